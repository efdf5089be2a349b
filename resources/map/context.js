/* Context for a zoomed-in map: major rivers from zoom 6, town names from
 * zoom 7 (mapviewer/map/context.py packs them), drawn on a canvas of their
 * own above the land and under the places.  Towns are taken biggest first,
 * each where its name overlaps no other town's and no place's marker or
 * name: the reader's places always come first. */

var RIVER_ZOOM = 6, TOWN_ZOOM = 7;
var RIVER_INK = '#7fb2cc', TOWN_INK = '#5d5d5d';

var ContextCanvas = L.Canvas.extend({
  initialize: function (options) {
    L.Canvas.prototype.initialize.call(this, options);
    this.towns = null;  // {x, y: zoom-0 pixels, name, population}
    this.rivers = null;  // [{runs, rank}]
  },

  setData: function (packed) {
    // The page's context JSON: towns as integer steps, rivers as runs of steps.
    if (!packed) { return; }
    var t = packed.towns, n = t.name.length, x = new Float64Array(n), y = new Float64Array(n);
    for (var k = 0; k < n; k++) { x[k] = worldX(t.xy[2 * k] / t.steps); y[k] = worldY(t.xy[2 * k + 1] / t.steps); }
    this.towns = { x: x, y: y, name: t.name };
    var r = packed.rivers;
    this.rivers = r.lines.map(function (lines, i) {
      return { rank: r.rank[i], runs: lines.map(function (d) {
        var xy = new Float64Array(d.length), lon = 0, lat = 0;
        for (var k = 0; k < d.length; k += 2) {
          lon += d[k]; lat += d[k + 1];
          xy[k] = worldX(lon / r.steps); xy[k + 1] = worldY(lat / r.steps);
        }
        return xy;
      }) };
    });
    if (this._map) { this._redraw(); }
  },

  _draw: function () {
    var map = this._map, zoom = map.getZoom(), shows = Boolean(this.towns) && zoom >= RIVER_ZOOM;
    this.drawn = 0;
    // Hidden while it has nothing to show: an empty canvas still costs every frame a copy of its pixels.
    this._container.style.display = shows ? '' : 'none';
    if (!shows) { return; }
    var ctx = this._ctx, s = map.getZoomScale(zoom, 0), o = map.getPixelOrigin(), b = this._bounds;
    ctx.strokeStyle = RIVER_INK; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    this.rivers.forEach(function (river) {
      ctx.lineWidth = river.rank <= 2 ? 1.8 : 1.1;
      ctx.beginPath();
      traceRuns(ctx, river.runs, s, -o.x, -o.y, false);
      ctx.stroke();
    });
    if (zoom >= TOWN_ZOOM) { this.drawTowns(ctx, s, o, b); }
  },

  drawTowns: function (ctx, s, o, b) {
    // Biggest first, each where its name is free; at most one name per 60 px square.
    var towns = this.towns, taken = placeBoxes(), n = towns.name.length, map = this._map;
    var offset = map.containerPointToLayerPoint([0, 0]);
    ctx.font = '11px "DejaVu Sans", Helvetica, Arial, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    var shown = 0;
    for (var k = 0; k < n && shown < 80; k++) {
      var x = towns.x[k] * s - o.x, y = towns.y[k] * s - o.y;
      if (x < b.min.x || x > b.max.x || y < b.min.y || y > b.max.y) { continue; }
      var w = ctx.measureText(towns.name[k]).width, cx = x - offset.x, cy = y - offset.y;
      var dot = box(cx - 3, cy - 3, 6, 6), label = box(cx + 5, cy - 7, w + 2, 14);
      if (overlapsAny(dot, taken) || overlapsAny(label, taken)) { continue; }
      taken.push(dot, label);
      ctx.fillStyle = TOWN_INK;
      ctx.beginPath(); ctx.arc(x, y, 2.2, 0, 2 * Math.PI); ctx.fill();
      ctx.strokeText(towns.name[k], x + 6, y);
      ctx.fillText(towns.name[k], x + 6, y);
      shown += 1;
    }
    this.drawn = shown;
  }
});

function placeBoxes() {
  // The boxes (container pixels) of the places' markers and names, which towns keep clear of.
  var out = [], markers = state.map ? markerBoxes() : {};
  Object.keys(markers).forEach(function (id) { out.push(markers[id]); });
  Object.keys(state.placedLabels).forEach(function (id) { out.push(state.placedLabels[id]); });
  return out;
}

function drawContext(map, block) {
  // The context layer; its data inline (an exported page) or through the bridge with the outlines.
  var data = block ? JSON.parse(block.textContent) : null;
  if (!data) { return; }
  if (!map.getPane('mvContext')) {
    var pane = map.createPane('mvContext');
    pane.style.zIndex = 350;  // above the land and online tiles, under the places (400)
    pane.style.pointerEvents = 'none';
  }
  var canvas = state.context = new ContextCanvas({ pane: 'mvContext', padding: CANVAS_PADDING }).addTo(map);
  if (data !== 'bridge') { canvas.setData(data); }
}

function setContext(json) {
  // Qt's context data, sent with the detailed outlines.
  if (state.context && json) { state.context.setData(JSON.parse(json)); }
  return true;
}

function redrawContext() {
  // After the places' names are laid out, towns make room for them.
  if (state.context && state.context._map && !state.map._animatingZoom) { state.context._redraw(); }
}

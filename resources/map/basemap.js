/* The offline background: country outlines (overview, then detailed once
 * zoomed in) in a canvas of their own, and the opt-in online tiles. */

function addTiles(map, tiles) {
  // Online basemaps are opt-in; the offline outlines stay underneath, so a
  // failed tile shows Natural Earth, and the first failure is reported.
  if (!tiles || !tiles.length) { return; }
  var offline = L.layerGroup(), layers = { 'Offline (Natural Earth)': offline };
  tiles.forEach(function (t) {
    var layer = L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.maxZoom || 18, crossOrigin: false });
    layer.on('tileerror', function () {
      if (!state.tileFailed) {
        state.tileFailed = t.name;
        if (state.bridge && state.bridge.tilesFailed) { state.bridge.tilesFailed(t.name); }
      }
    });
    layers[t.name] = layer;
  });
  var chosen = layers[tiles[0].name];
  (chosen || offline).addTo(map);
  state.baseLayers = layers;
  L.control.layers(layers, null, { position: 'topright' }).addTo(map);
}

function setBasemap(name) {
  var layers = state.baseLayers || {};
  if (!layers[name]) { return false; }
  Object.keys(layers).forEach(function (k) { if (state.map.hasLayer(layers[k])) { state.map.removeLayer(layers[k]); } });
  layers[name].addTo(state.map);
  return true;
}

var OutlineCanvas = L.Canvas.extend({
  // Country outlines in a canvas of their own, under tiles and places: the
  // generalised set at small scales, the detailed one from DETAIL_ZOOM on.
  // One canvas for both, which picks its set when it paints: no layer is
  // swapped while the map zooms, so the land is always painted by the same
  // renderer that Leaflet places, pads, clears and zoom-animates.
  // Projected once; each view change scales the rings in view into one
  // path per country, so the outlines cost a few milliseconds, not a
  // Leaflet layer per country and an object per vertex (~70 ms at start).
  // Layer pixels are small numbers at any zoom, so float precision holds.
  initialize: function (sets, options) {
    L.Canvas.prototype.initialize.call(this, options);
    this.sets = sets;  // {overview: packed | null, detail: packed | 'bridge' | null}, unpacked when first drawn
    this.unpacked = {};
  },

  shapesFor: function (zoom) {
    // The set to draw at this zoom: the detailed one once zoomed in and arrived, else the other.
    var want = zoom >= DETAIL_ZOOM ? 'detail' : 'overview', other = want === 'detail' ? 'overview' : 'detail';
    var which = this.usable(want) ? want : this.usable(other) ? other : null;
    if (which && !this.unpacked[which]) { this.unpacked[which] = unpackOutlines(this.sets[which]); }
    return which ? { which: which, shapes: this.unpacked[which] } : null;
  },

  usable: function (which) {
    var data = this.sets[which];
    return Boolean(data) && data !== 'bridge';
  },

  setDetail: function (packed) {
    // The detailed set came (through the bridge): paint with it if it is the one wanted now.
    this.sets.detail = packed;
    delete this.unpacked.detail;
    if (this._map && !this._map._animatingZoom) { this._redraw(); }
  },

  _draw: function () {
    // Leaflet's hook for painting after each view change (it clears first).
    var map = this._map, ctx = this._ctx, b = this._bounds, zoom = map.getZoom();
    var chosen = this.shapesFor(zoom);
    state.basemap = chosen ? chosen.which : null;
    if (!chosen) { return; }
    var s = map.getZoomScale(zoom, 0), o = map.getPixelOrigin();
    ctx.fillStyle = LAND; ctx.strokeStyle = BORDER; ctx.lineWidth = 0.7;
    chosen.shapes.forEach(function (shape) {
      var box = shape.box;
      if (box[2] * s - o.x < b.min.x || box[0] * s - o.x > b.max.x ||
          box[3] * s - o.y < b.min.y || box[1] * s - o.y > b.max.y) { return; }
      var path = new Path2D();
      traceRuns(path, shape.runs, s, -o.x, -o.y, true);
      ctx.fill(path, 'evenodd');
      ctx.stroke(path);
    });
  }
});

function unpackOutlines(packed) {
  // map/outlines.py's rings (integer steps on the data's grid) as worldRuns'
  // zoom-0 pixels with their box, one entry per country.
  // A latitude's y is worked out once per grid step, not once per vertex.
  var steps = packed.steps, xScale = 256 / (360 * steps), south = 90 * steps;
  var ys = new Float64Array(2 * south + 1).fill(NaN);
  return packed.shapes.map(function (rings) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    var runs = rings.map(function (d) {
      var xy = new Float64Array(d.length), x = 0, y = 0;
      for (var k = 0; k < d.length; k += 2) {
        x += d[k]; y += d[k + 1];
        var px = 128 + x * xScale, py = ys[y + south];
        if (py !== py) { py = ys[y + south] = worldY(y / steps); }  // NaN: not yet known
        xy[k] = px; xy[k + 1] = py;
        if (px < box[0]) { box[0] = px; } if (px > box[2]) { box[2] = px; }
        if (py < box[1]) { box[1] = py; } if (py > box[3]) { box[3] = py; }
      }
      return xy;
    });
    return { runs: runs, box: box };
  });
}

var DETAIL_ZOOM = 6;  // from here on a pixel is finer than the overview outlines

function drawBasemap(map, blocks) {
  // Generalised outlines at small scales, detailed ones once zoomed in, as
  // on printed maps: the start draws 36k vertices, not 115k. Each block is
  // parsed when the page starts and unpacked the first time it is drawn.
  // The desktop's page comes without the detailed block ("bridge"): it asks
  // Qt for it once zoomed in, shows the overview meanwhile, and is not ready
  // until it came.
  if (!map.getPane('mvOutlines')) {
    var pane = map.createPane('mvOutlines');
    pane.style.zIndex = 150;  // under online tiles (200): a failed tile shows the outlines
    pane.style.pointerEvents = 'none';
  }
  function read(which) { return blocks[which] ? JSON.parse(blocks[which].textContent) : null; }
  var outlines = state.outlines, sets = { overview: read('overview'), detail: read('detail') };
  if (!sets.overview && !sets.detail) { return; }
  var canvas = new OutlineCanvas(sets, { pane: 'mvOutlines', padding: CANVAS_PADDING });
  function wantDetail() {
    if (sets.detail === 'bridge' && map.getZoom() >= DETAIL_ZOOM) { outlines.wanted = true; askForOutlines(); }
  }
  outlines.arrive = function (data) { canvas.setDetail(data); };
  map.on('zoomend', wantDetail);
  wantDetail();
  canvas.addTo(map);
}

function askForOutlines() {
  var outlines = state.outlines;
  if (outlines.wanted && !outlines.asked && state.bridge && state.bridge.wantOutlines) {
    outlines.asked = true;
    state.bridge.wantOutlines();
  }
}

function setOutlines(json) {
  // Qt's answer to wantOutlines: the detailed block, or null if it has none.
  var outlines = state.outlines;
  if (!outlines.wanted || outlines.arrived) { return false; }
  outlines.arrived = true;
  outlines.arrive(json ? JSON.parse(json) : null);
  if (outlines.readyWaits !== null && outlines.readyWaits === state.drawing) { outlines.readyWaits = null; announceReady(); }
  return true;
}

/* Places as Leaflet layers (below CLOUD_MIN of them): points, lines and
 * areas drawn from their zoom-0 pixels, their labels and clicks, and the
 * views that frame them. */

function pointLayer(f, renderer) {
  var ll = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
  return L.circleMarker(ll, {
    renderer: renderer, radius: 7, color: ring(f), weight: state.documents.length > 1 ? 3 : 2,
    fillColor: colour(f.properties.kind), fillOpacity: 1
  });
}

var PlaceCanvas = L.Canvas.extend({
  // The places' canvas.  After a view change Leaflet redraws a canvas at
  // once but leaves waiting the frame it had asked for, which then draws
  // it all again; here that frame is called off.
  _redraw: function () {
    if (this._redrawRequest) { L.Util.cancelAnimFrame(this._redrawRequest); }
    L.Canvas.prototype._redraw.call(this);
  },

  drawNow: function () {
    // What the layout moved (markers spread apart) drawn in this task, with
    // the view it follows: in software each drawing of the canvas costs a
    // raster of its pixels, so it is drawn once, not again a frame later.
    if (!this._redrawRequest) { return; }
    this._redrawBounds = null;
    this._redraw();
  }
});

var WORLD_TYPES = { LineString: 1, MultiLineString: 1, Polygon: 1, MultiPolygon: 1 };

function makeLayer(f, renderer) {
  var t = f.geometry.type, options = L.extend({ renderer: renderer }, styleFor(f, false));
  if (t === 'Point') { return pointLayer(f, renderer); }
  if (WORLD_TYPES[t]) { return new WorldPath(f, options); }
  return L.GeoJSON.geometryToLayer(f, options);  // anything else, the way Leaflet draws it
}

function bindEvents(id, layer, label) {
  // Names shown for good are laid out with everything else (labels.js);
  // the others show on hover.
  if (!label.permanent) {
    // One shared hover tooltip for all features instead of one each.
    layer.on('mouseover', function (e) {
      state.map.openTooltip(state.hover.setContent(textNode(label.text)), e.latlng);
    });
    layer.on('mousemove', function (e) { state.hover.setLatLng(e.latlng); });
    layer.on('mouseout', function () { state.map.closeTooltip(state.hover); });
  }
  layer.on('click', function (e) {
    if (e && e.originalEvent) { L.DomEvent.stopPropagation(e); }
    clicked(id, e && e.latlng);
  });
}

function clicked(id, latlng) {
  // A click on a place.  In the window, Python decides: it selects the place
  // and answers with select(id, popup).  A standalone page (the HTML export,
  // which carries its own sentences) selects by itself.
  state.clicks.push(id);
  state.lastClick = { id: id, latlng: latlng || null };
  if (state.bridge) { state.bridge.featureClicked(id); }
  if (!state.bridge || state.standalone) { select(id, ownPopup(id)); }
}

function ownPopup(id) {
  // The exported page's popup: counts and sentences from its own data.
  var p = state.features[id].properties, n = p.pledges || 0;
  return { name: p.name, meta: p.kind + ' · ' + n + (n === 1 ? ' pledge' : ' pledges'), sentences: p.sentences || null };
}

function popupContent(popup) {
  // Built from DOM nodes and textContent: a declaration is data, never markup.
  var box = el('div', 'mv-popup');
  box.appendChild(el('div', 'mv-popup-name', popup.name));
  if (popup.meta) { box.appendChild(el('div', 'mv-popup-meta', popup.meta)); }
  var texts = state.sentences;
  if (texts && popup.sentences) {
    var list = el('ol', 'mv-popup-sentences');
    popup.sentences.forEach(function (key) {
      var text = texts[key[0] + ':' + key[1]];
      if (text === undefined) { return; }
      var item = el('li', null, text);
      if (state.documents.length > 1) {
        item.insertBefore(el('b', null, state.documents[key[0]].name + ': '), item.firstChild);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  return box;
}

function latLngOf(lonLat) {
  return L.latLng(lonLat[1], lonLat[0]);
}

function anchorOf(layer) {
  return layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
}

function openPopup(id, popup) {
  // The one popup, on the selected place: where it was clicked, else on its anchor.
  closePopup();
  var layer = state.layers[id], click = state.lastClick;
  if (!layer || !popup) { return; }
  var at = click && click.id === id && click.latlng ? click.latlng : anchorOf(layer);
  state.popup = L.popup({ maxWidth: state.sentences ? 420 : 260, maxHeight: 320, autoPan: true,
                          autoPanPaddingTopLeft: L.point(140, 20) })
    .setLatLng(at).setContent(popupContent(popup)).openOn(state.map);
  state.popup.placeId = id;
}

function closePopup() {
  if (state.popup) { state.map.closePopup(state.popup); state.popup = null; }
}

var WorldPath = L.Path.extend({
  // A line or an area for Leaflet's canvas renderer, drawn from its
  // zoom-0 pixels (worldRuns): no LatLng or Point per vertex, no clipping
  // or simplifying (the canvas clips). As an L.Polygon, China's 5,547
  // vertices cost ~25 ms of the seed's start; events, tooltips, styles
  // and drawing order stay Leaflet's.
  initialize: function (f, options) {
    L.setOptions(this, options);
    var world = worldRuns(f.geometry), b = boxOf(f);
    this._runs = world.runs;
    this._box = world.box;
    this._closed = shapeOf(f) === 'area';
    if (this._closed) { this.options.fill = true; }
    this._latLngBounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    this._outer = this._closed ? outerRings(f.geometry) : null;
  },

  getBounds: function () { return this._latLngBounds; },

  getCenter: function () {
    // Where its label goes: the middle of a line; the centroid of an
    // area's largest part, so a country is not labelled on an island.
    if (!this._centre) {
      var runs = this._runs, xy;
      if (this._closed) {
        this._outer.forEach(function (r) {
          var c = ringCentre(runs[r]);
          if (!xy || c[2] > xy[2]) { xy = c; }
        });
      } else {
        xy = lineMiddle(runs);
      }
      this._centre = latLngOf(worldLonLat(xy[0], xy[1]));
    }
    return this._centre;
  },

  _project: function () {
    var map = this._map, o = map.getPixelOrigin(), s = map.getZoomScale(map.getZoom(), 0), b = this._box;
    this._view = { s: s, dx: -o.x, dy: -o.y };
    this._rawPxBounds = L.bounds([b[0] * s - o.x, b[1] * s - o.y], [b[2] * s - o.x, b[3] * s - o.y]);
    this._updateBounds();
  },

  _updateBounds: function () {
    if (!this._rawPxBounds) { return; }
    var w = this._clickTolerance(), p = L.point(w, w);
    this._pxBounds = L.bounds(this._rawPxBounds.min.subtract(p), this._rawPxBounds.max.add(p));
  },

  _update: function () {
    if (this._map) { this._updatePath(); }
  },

  _updatePath: function () {
    var renderer = this._renderer, v = this._view;
    if (!renderer._drawing || !v) { return; }
    renderer._ctx.beginPath();
    traceRuns(renderer._ctx, this._runs, v.s, v.dx, v.dy, this._closed);
    renderer._fillStroke(renderer._ctx, this);
  },

  _containsPoint: function (p) {
    // Inside an area (even-odd, as it is filled) or within reach of its outline.
    if (!this._pxBounds || !this._pxBounds.contains(p)) { return false; }
    var v = this._view, x = (p.x - v.dx) / v.s, y = (p.y - v.dy) / v.s, reach = this._clickTolerance() / v.s;
    if (this._closed && insideRings(x, y, this._runs)) { return true; }
    var closed = this._closed;
    return this._runs.some(function (xy) {
      var n = xy.length;
      for (var k = 2; k < n + (closed ? 2 : 0); k += 2) {
        var a = (k - 2) % n, c = k % n;
        if (nearSegment(x, y, xy[a], xy[a + 1], xy[c], xy[c + 1], reach)) { return true; }
      }
      return false;
    });
  }
});

function shownOnMap(id) {
  var layer = state.layers[id];
  return layer instanceof Proxy ? layer.visible : state.map.hasLayer(layer);
}

function drawFeatures(map, features, renderer, labelled) {
  var areas = [], lines = [], points = [];
  features.forEach(function (f) {
    var t = f.geometry.type;
    (t === 'Point' ? points : t.indexOf('LineString') >= 0 ? lines : areas).push(f);
  });
  var groups = { areas: areas, lines: lines, points: points };
  if (features.length >= CLOUD_MIN) {
    var cloud = new Cloud(features);
    features.forEach(function (f, i) {
      state.features[f.properties.id] = f;
      state.layers[f.properties.id] = cloud.proxies[i];
      state.order.push(f.properties.id);
    });
    state.cloud = cloud.addTo(map);
    return groups;
  }
  var size = {};
  areas.forEach(function (f) { size[f.properties.id] = areaOf(f); });
  areas.sort(function (a, b) { return size[b.properties.id] - size[a.properties.id]; });
  [areas, lines, points].forEach(function (group) {
    group.forEach(function (f) {
      var id = f.properties.id, layer = makeLayer(f, renderer);
      bindEvents(id, layer, { text: f.properties.name, permanent: labelled });
      layer.addTo(map);
      state.features[id] = f;
      state.layers[id] = layer;
      state.order.push(id);
      if (f.properties.parts) { drawParts(map, f, renderer); }
    });
  });
  return groups;
}

function drawParts(map, f, renderer) {
  // A divided area's parts, each outlined with a dashed line of the area's colour and
  // not filled: who administers and who claims each part is the panel's to say.
  var c = colour(f.properties.kind);
  f.properties.parts.forEach(function (part) {
    var line = new WorldPath({ type: 'Feature', geometry: part.geometry, properties: { kind: f.properties.kind } },
                             { renderer: renderer, color: c, weight: 1.2, opacity: 0.85, dashArray: '3 4', fill: false,
                               interactive: false });
    line._closed = true;
    line.options.fill = false;
    line.addTo(map);
    (state.partLayers[f.properties.id] = state.partLayers[f.properties.id] || []).push(line);
  });
}

function boundsOf(ids) {
  var b = L.latLngBounds([]);
  ids.forEach(function (id) {
    var layer = state.layers[id];
    if (!layer) { return; }
    b.extend(layer.getLatLng ? layer.getLatLng() : layer.getBounds());
  });
  return b;
}

function extentOf(features) {
  // Every place in view: points and lines whole, areas by their middle, so
  // a sea or a country named once brings its label in without zooming the
  // map out to its whole extent.  From the coordinates, so the view can be
  // set before any layer exists (moving the map after adding 100k layers
  // re-projects them all).
  var box = [Infinity, Infinity, -Infinity, -Infinity];
  function extend(w, s, e, n) {
    if (w < box[0]) { box[0] = w; } if (e > box[2]) { box[2] = e; }
    if (s < box[1]) { box[1] = s; } if (n > box[3]) { box[3] = n; }
  }
  features.forEach(function (f) {
    var t = f.geometry.type, c = f.geometry.coordinates;
    if (t === 'Point') { extend(c[0], c[1], c[0], c[1]); return; }
    var b = boxOf(f), x = (b[0] + b[2]) / 2, y = (b[1] + b[3]) / 2;
    if (t.indexOf('Polygon') >= 0) { extend(x, y, x, y); } else { extend(b[0], b[1], b[2], b[3]); }
  });
  return box[0] <= box[2] ? L.latLngBounds([box[1], box[0]], [box[3], box[2]]) : null;
}

var READABLE_PX = 40;  // the first view draws every line of a pledge at least this long
var FIT_PADDING = 48;  // around the places the first view frames: room for their names (placed either side)

function fitFeatures(features, animate) {
  // The places the pledges are about (all places, if none is), points and
  // lines whole and areas by their middle, at a scale where their shortest
  // line can be read; when they do not all fit at that scale, the lines
  // stay in view and the view keeps as much of the rest as it can.
  var focus = features.filter(function (f) { return f.properties.focus; });
  if (!focus.length) { focus = features; }
  var b = extentOf(focus), map = state.map;
  if (!b) { return; }
  var options = { padding: [FIT_PADDING, FIT_PADDING], maxZoom: 9, animate: !!animate };
  var zoom = map.getBoundsZoom(b, false, L.point(2 * FIT_PADDING, 2 * FIT_PADDING));
  var lines = focus.filter(function (f) { return shapeOf(f) === 'line'; }), shortest = Infinity;
  lines.forEach(function (f) { shortest = Math.min(shortest, runsLength(worldRuns(f.geometry).runs)); });
  var readable = shortest < Infinity && shortest > 0 ? Math.log(READABLE_PX / shortest) / Math.LN2 : -Infinity;
  if (readable <= zoom || readable > options.maxZoom) {
    map.fitBounds(b, options);
    return;
  }
  var z = Math.ceil(readable * 4) / 4;
  map.setView(map.unproject(bestCentre(focus, lines, z), z), z, { animate: !!animate });
}

function bestCentre(focus, lines, z) {
  // The view's centre (in pixels at zoom z) that keeps every line whole in
  // view and the most of the other places' anchors (points, areas' middles),
  // those near the lines counting more: far ones may sit beyond the edge.
  var map = state.map, size = map.getSize(), halfW = size.x / 2 - FIT_PADDING, halfH = size.y / 2 - FIT_PADDING;
  var core = extentOf(lines), nw = map.project(core.getNorthWest(), z), se = map.project(core.getSouthEast(), z);
  var middle = L.point((nw.x + se.x) / 2, (nw.y + se.y) / 2);
  var anchors = focus.map(function (f) {
    var p = map.project(extentOf([f]).getCenter(), z);
    return { p: p, weight: 1 / (1 + p.distanceTo(middle) / size.x) };
  });
  function clampX(x) { return Math.min(Math.max(x, se.x - halfW), nw.x + halfW); }
  function clampY(y) { return Math.min(Math.max(y, se.y - halfH), nw.y + halfH); }
  var xs = [middle.x], ys = [middle.y], best = null;
  anchors.forEach(function (a) {
    xs.push(clampX(a.p.x + halfW), clampX(a.p.x - halfW));
    ys.push(clampY(a.p.y + halfH), clampY(a.p.y - halfH));
  });
  xs.forEach(function (x) {
    ys.forEach(function (y) {
      var score = 0;
      anchors.forEach(function (a) { if (Math.abs(a.p.x - x) <= halfW && Math.abs(a.p.y - y) <= halfH) { score += a.weight; } });
      var d = Math.abs(x - middle.x) + Math.abs(y - middle.y);
      if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) <= 1e-9 && d < best.d)) {
        best = { score: score, d: d, x: x, y: y };
      }
    });
  });
  return L.point(best.x, best.y);
}

function fitAll(animate) {
  fitFeatures(state.order.map(function (id) { return state.features[id]; }), animate);
}

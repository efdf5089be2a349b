/* What Python (and the exported page) may call: window.mapviewer. */

function restyle(id, selected) {
  var f = state.features[id], layer = state.layers[id];
  if (!f || !layer) { return; }
  if (layer instanceof Proxy) {
    if (selected) { layer.cloud.selected = layer.index; } else if (layer.cloud.selected === layer.index) { layer.cloud.selected = -1; }
    if (layer.cloud._map) { layer.cloud.top._redraw(); }
    return;
  }
  if (f.geometry.type === 'Point') { layer.setStyle(pointStyle(f, selected)); }
  else { layer.setStyle(styleFor(f, selected)); }
  if (selected && layer.bringToFront && f.geometry.type.indexOf('Polygon') < 0) { layer.bringToFront(); }
}

function select(id, popup) {
  // Python's choice of place (or the exported page's own click): one place
  // is selected, and only it may have a popup, opened when ``popup``
  // ({name, meta, sentences}) is given and the place is on the map.
  var known = id && state.features[id] ? id : null;
  if (state.selected && state.selected !== known) { restyle(state.selected, false); }
  state.selected = known;
  if (known) { restyle(known, true); }
  closePopup();
  if (known && popup && shownOnMap(known)) { openPopup(known, popup); }
  layout();  // the selected place's name comes first
  return state.selected;
}

function setVisible(indexes) {
  // Python's filter: show the places at these indexes of the data's columns
  // (null: every place).  The page decides nothing of what passes.
  var shown = null;
  if (indexes) {
    shown = Object.create(null);
    indexes.forEach(function (i) { var id = state.byIndex[i]; if (id !== undefined) { shown[id] = true; } });
  }
  var count = 0;
  state.order.forEach(function (id) {
    var layer = state.layers[id], visible = !shown || shown[id] === true;
    if (visible) { count += 1; }
    if (layer instanceof Proxy) { layer.visible = visible; }
    else if (visible && !state.map.hasLayer(layer)) { layer.addTo(state.map); }
    else if (!visible && state.map.hasLayer(layer)) { state.map.removeLayer(layer); }
    (state.partLayers[id] || []).forEach(function (part) {
      if (visible !== state.map.hasLayer(part)) { if (visible) { part.addTo(state.map); } else { state.map.removeLayer(part); } }
    });
  });
  if (state.cloud) { state.cloud.redraw(); }
  if (state.popup && !shownOnMap(state.popup.placeId)) { closePopup(); }
  layout();
  return count;
}

function focus(ids) {
  // Bring these places into view; what is selected is Python's business.
  var known = (ids || []).filter(function (id) { return state.layers[id]; });
  if (!known.length) { return 0; }
  var b = boundsOf(known);
  state.moved = true;
  if (b.isValid()) { state.map.flyToBounds(b, { padding: [60, 60], maxZoom: 8, duration: 0.6 }); }
  return known.length;
}

var CONTROLS = { legend: '.mv-legend', scale: '.leaflet-control-scale', attribution: '.leaflet-control-attribution',
                 zoom: '.leaflet-control-zoom', layers: '.leaflet-control-layers' };

function setControls(shown) {
  // Show or hide the map's controls by name (a picture has no buttons).
  Object.keys(CONTROLS).forEach(function (k) {
    document.querySelectorAll(CONTROLS[k]).forEach(function (e) { e.style.display = shown[k] === false ? 'none' : ''; });
  });
  return true;
}

function setView(v) {
  // [lon, lat, zoom] and, to land on the very same pixels (not half a pixel
  // off), the lon and lat of the top-left corner; null fits every place.
  state.moved = v !== null;
  if (v === null) { fitAll(false); return true; }
  state.map.setView([v[1], v[0]], v[2], { animate: false });
  if (v.length === 5) {
    var p = state.map.latLngToContainerPoint([v[4], v[3]]);
    if (Math.round(p.x) || Math.round(p.y)) { state.map.panBy([Math.round(p.x), Math.round(p.y)], { animate: false }); }
  }
  return true;
}

function fitPlaces(ids, padding, maxZoom) {
  // A view of just these places where they sit apart (an export's inset), at their true positions.
  var b = L.latLngBounds([]);
  ids.forEach(function (id) {
    var f = state.features[id];
    if (f && f.geometry.type === 'Point') { b.extend(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0])); }
  });
  if (!b.isValid()) { return false; }
  state.moved = true;
  state.map.fitBounds(b, { padding: [padding, padding], maxZoom: maxZoom, animate: false });
  return true;
}

function batch(calls) {
  // Several calls as one (a picture's settings, a new set of places with
  // them): each call alone lays the names out, here they are laid out once, after the last.
  state.batching += 1;
  try { return calls(); } finally {
    state.batching -= 1;
    if (!state.batching && state.layoutDue) { state.layoutDue = false; layout(); }
  }
}

function whenPainted(token, mark) {
  // After two animation frames what was asked before is on screen: say so
  // with ``token`` through the bridge (and in state().painted for a probe).
  // A picture's strip (showMark) takes the colour ``mark`` in the first of
  // them, the frame that paints what was asked.
  requestAnimationFrame(function () {
    if (mark && setMark(mark)) { paintMark(); }  // in the frame that paints what was asked
    requestAnimationFrame(function () {
      state.painted = token;
      if (state.bridge && state.bridge.framePainted) { state.bridge.framePainted(token); }
    });
  });
  return true;
}

var MARK_PX = 2;

function showMark() {
  // A picture's frame mark: a strip of MARK_PX below the map whose colour
  // says which request a frame shows, set in the frame that paints it.
  // Python grabs until it sees the colour it asked for, then cuts the strip
  // off: a frame reaches Qt some frames after the page painted it, and a
  // large one later still.  Shown on PICTURE pages.
  if (!state.markEl) {
    state.markEl = L.DomUtil.create('div', 'mv-mark', document.body);
    state.markEl.style.height = MARK_PX + 'px';
    state.map.getContainer().style.height = 'calc(100% - ' + MARK_PX + 'px)';
    state.map.invalidateSize({ pan: false });
  }
}

function setMark(colour) {
  // The strip's colour at the next "ready" or "painted" (a CSS hex colour).
  state.mark = /^#[0-9a-f]{6}$/.test(colour) ? colour : null;
  return state.mark !== null;
}

function paintMark() {
  if (state.markEl && state.mark) { state.markEl.style.background = state.mark; }
}

function viewSize() {
  // The map's size as the page sees it, in CSS pixels: a resized view is ready to be moved once it agrees.
  return [window.innerWidth, window.innerHeight - (state.markEl ? MARK_PX : 0)];
}

function zoom(delta) {
  // A zoom step, animated; Leaflet starts it a frame later, so it counts as
  // moving from now on (state().moving) when the zoom will change.
  var map = state.map, target = map._limitZoom(map.getZoom() + (delta > 0 ? 1 : -1));
  state.moved = true;
  if (target !== map.getZoom()) { state.moving = true; }
  if (delta > 0) { map.zoomIn(); } else { map.zoomOut(); }
  return target;
}

function fireClick(id) {
  var layer = state.layers[id];
  if (!layer) { return false; }
  var ll = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
  if (layer instanceof Proxy) { clicked(id, ll); return true; }
  layer.fire('click', { latlng: ll }, true);  // propagate to the group, as a real click does
  return true;
}

function boxIn(el) {
  // An element's box in the map container's pixels: [left, top, right, bottom].
  var r = el.getBoundingClientRect(), o = state.map.getContainer().getBoundingClientRect();
  return [r.left - o.left, r.top - o.top, r.right - o.left, r.bottom - o.top];
}

function summary() {
  // The centre of the pixels shown (not the last centre asked for, which
  // may lie half a pixel off): an export "as shown" must land on the same pixels.
  var m = state.map, c = m.containerPointToLatLng(m.getSize().divideBy(2));
  return JSON.stringify({
    ready: state.ready, selected: state.selected, clicks: state.clicks, painted: state.painted, moving: state.moving,
    popup: state.popup && state.map.hasLayer(state.popup) ? state.popup.getElement().textContent : null,
    tileFailed: state.tileFailed, timings: state.timings, basemap: state.basemap,
    towns: state.context ? state.context.drawn || 0 : null,
    zoom: m.getZoom(), center: [c.lng, c.lat],
    topLeft: (function (t) { return [t.lng, t.lat]; })(m.containerPointToLatLng([0, 0])),
    features: state.order.map(function (id) {
      var f = state.features[id], layer = state.layers[id], ll;
      ll = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
      var pt = m.latLngToContainerPoint(ll), spread = state.spread[id], label = state.placedLabels[id];
      var el = state.labels[id], callout = state.calloutEls[id];
      return { id: id, type: f.geometry.type, kind: f.properties.kind, name: f.properties.name, onMap: shownOnMap(id),
               clustered: layer instanceof Proxy && Boolean(layer.cloud.inCluster && layer.cloud.inCluster[layer.index]),
               x: pt.x, y: pt.y, trueX: spread ? spread.trueX : pt.x, trueY: spread ? spread.trueY : pt.y,
               label: label && el && el.style.visibility !== 'hidden' ?
                 { text: el.firstChild.textContent, box: [label.left, label.top, label.right, label.bottom] } : null,
               callout: callout && callout.style.visibility !== 'hidden' ? boxIn(callout) : null };
    }),
    controls: controlBoxes().map(function (r) { return [r.left, r.top, r.right, r.bottom]; }),
    legend: (function (el) { return el ? { folded: L.DomUtil.hasClass(el, 'mv-folded'), box: boxIn(el),
      kinds: [].map.call(el.querySelectorAll('.mv-legend-row'), function (r) { return r.textContent; }) } : null; })(
      state.legend && state.legend.getContainer()),
    crowds: state.crowds,
    clusters: (state.cloud && state.cloud.drawn ? state.cloud.drawn.clusters : []).map(function (c) {
      var pt = m.layerPointToContainerPoint([c.x, c.y]);
      return { n: c.n, x: pt.x, y: pt.y, r: c.r };
    })
  });
}

function announceReady() {
  // Two frames: the first lays out, the second has painted the canvas.
  // Only the latest set of places may say so.
  var drawing = ++state.drawing;
  function complete() { return drawing === state.drawing && !(state.outlines.wanted && !state.outlines.arrived); }
  requestAnimationFrame(function () {
    if (complete()) { paintMark(); }  // in the frame that draws the places: Qt's grab waits for it
    requestAnimationFrame(function () {
      if (drawing !== state.drawing) { return; }
      if (!complete()) { state.outlines.readyWaits = drawing; return; }
      state.ready = true;
      paintMark();  // again: the outlines may have come since the first frame
      document.documentElement.setAttribute('data-mapviewer-ready', 'true');
      if (state.bridge) { state.bridge.mapReady(); }
    });
  });
}

function init(map, dataElementId) {
  // Map-wide set-up, once per page; the places come with the page (an
  // export) or later through setData (the desktop window).
  var data = JSON.parse(document.getElementById(dataElementId).textContent);
  state.map = map;
  if (PICTURE) { showMark(); }  // now, while the map is empty: a resize costs nothing
  var basemapBlocks = { detail: document.getElementById(dataElementId + '-basemap'),
                        overview: document.getElementById(dataElementId + '-basemap-overview') };
  map.options.zoomSnap = 0.25;  // a first view fitted closely, not a whole zoom step too far out
  map.getContainer().style.background = SEA;
  addTiles(map, data.tiles);
  state.renderer = new PlaceCanvas({ padding: CANVAS_PADDING, tolerance: 4 }).addTo(map);  // now, while Qt builds the window, not with the first place
  state.hover = L.tooltip({ className: 'mv-tip', direction: 'top', offset: [0, -8], opacity: 0.95 });
  drawBasemap(map, basemapBlocks);
  drawContext(map, document.getElementById(dataElementId + '-context'));
  map.on('mousemove', function (e) {
    if (state.bridge && state.bridge.cursorMoved) { state.bridge.cursorMoved(e.latlng.lng, e.latlng.lat); }
  });
  map.on('zoomend moveend', layout);
  // Whether the view is still flying or zooming: a probe waits for it to rest.
  map.on('movestart zoomstart', function () { state.moving = true; });
  map.on('moveend zoomend', function () { state.moving = false; });
  // Until someone moves the map, a resized window shows all places again.
  map.on('dragstart', function () { state.moved = true; });
  map.getContainer().addEventListener('wheel', function () { state.moved = true; }, { passive: true });
  map.on('resize', function () { if (!state.moved) { fitAll(false); } });
  if (data.places) { show(data); }
}

function clear() {
  state.order.forEach(function (id) {
    if (!(state.layers[id] instanceof Proxy)) { state.map.removeLayer(state.layers[id]); }
  });
  if (state.cloud) { state.map.removeLayer(state.cloud); state.cloud = null; }
  if (state.legend) { state.map.removeControl(state.legend); }
  closePopup();
  state.features = Object.create(null);
  state.layers = Object.create(null);
  if (state.leaders) { state.map.removeLayer(state.leaders); state.leaders = null; }
  Object.keys(state.partLayers).forEach(function (id) {
    state.partLayers[id].forEach(function (l) { state.map.removeLayer(l); });
  });
  state.partLayers = {};
  Object.keys(state.labels).forEach(function (id) { L.DomUtil.remove(state.labels[id]); });
  Object.keys(state.calloutEls).forEach(function (id) { L.DomUtil.remove(state.calloutEls[id]); });
  state.labels = {}; state.calloutEls = {}; state.placedLabels = {}; state.spread = {};
  state.order = []; state.clicks = [];
  state.selected = null; state.legend = null; state.lastClick = null; state.byIndex = [];
}

function show(data) {
  // Draw one set of places: the page's own or one handed over by setData.
  clear();
  // The view's size now, not at the next frame (when Leaflet would look):
  // a window shown while the page loaded must not fit, draw, then refit.
  state.map.invalidateSize({ pan: false });
  state.ready = false;
  document.documentElement.removeAttribute('data-mapviewer-ready');
  state.documents = data.documents || [];
  state.sentences = data.sentences || null;
  state.standalone = Boolean(data.standalone);
  state.byIndex = data.places ? data.places.id : [];
  var t0 = performance.now(), t1, t2, features = data.places ? placeFeatures(data.places) : [];
  batch(function () {  // the fit's moves and the new places lay the names out once, at the end
    state.moved = false;
    fitFeatures(features, false);
    t1 = performance.now();
    state.labelAll = features.length <= (data.labelLimit || 60);
    drawFeatures(state.map, features, state.renderer, state.labelAll);
    t2 = performance.now();
    state.legend = makeLegend(state.map);
    layout();
  });
  state.timings = { fit: t1 - t0, layers: t2 - t1, layout: performance.now() - t2 };
  announceReady();
  return state.order.length;
}

function setData(json) {
  // The desktop window's way in: one JSON string per document set, so the
  // page (Leaflet, outlines) loads once while the places are still found.
  var t0 = performance.now(), data = JSON.parse(json), parsed = performance.now() - t0;
  var n = show(data);
  state.timings.parse = parsed;
  return n;
}

function attachBridge(bridge) {
  state.bridge = bridge;
  askForOutlines();
  if (state.ready) { bridge.mapReady(); }
  if (state.tileFailed && bridge.tilesFailed) { bridge.tilesFailed(state.tileFailed); }
}

window.mapviewer = {
  init: init, setData: setData, setOutlines: setOutlines, setVisible: setVisible, select: select, focus: focus,
  fitAll: fitAll, zoom: zoom, setBasemap: setBasemap, setControls: setControls, setView: setView, setCallouts: setCallouts,
  setContext: setContext, fitPlaces: fitPlaces, setReserved: setReserved,
  batch: batch, whenPainted: whenPainted, setMark: setMark, viewSize: viewSize, fireClick: fireClick, state: summary, attachBridge: attachBridge
};

/* What sits on top of the places, laid out together so that nothing overlaps.
 *
 * After every view change the page knows every box: the places' markers,
 * the map's controls (legend, scale bar, attribution, buttons) and each
 * name.  (A picture's key of the callout numbers is a band under the map,
 * ui/snapshot.py, so it never covers a place.)  Markers that fall on the same pixels
 * are spread apart, each with a leader to where it really is, so each can
 * be clicked.  Then, most important first, each place gets its number (when
 * callouts are on) and its name beside its own marker, on its line or in
 * its area, where it overlaps nothing already placed and no other marker;
 * a name that fits nowhere is shortened, then left out.  Names are page
 * elements of their own (not Leaflet tooltips): a click on one selects its
 * place.
 */

var SPREAD_PX = 13;  // markers whose centres are closer than this are spread apart
var MARKER_BOX = 9;  // half the box a marker takes, ring included
var EDGE = 3;  // names and numbers keep this far inside the map
var LEGEND_CORNERS = ['bottomleft', 'bottomright', 'topright', 'topleft'];

function overlayPane(map) {
  // Names and numbers above the places, hidden while a zoom animates (they are laid out again after).
  var pane = map.getPane('mvLabels') || map.createPane('mvLabels');
  pane.style.zIndex = 640;  // above markers and paths, under tooltips (650) and popups (700)
  L.DomUtil.addClass(pane, 'leaflet-zoom-hide');
  return pane;
}

function labelled(id) {
  // Places that carry a permanent name: all of them, up to the page's label limit.
  return !state.cloud && state.labelAll && shownOnMap(id);
}

function priorityOrder() {
  // The selected place first, then lines (short, easy to miss), points, areas;
  // within each, the places with more pledges, then more mentions, first.
  var rank = { line: 0, point: 1, area: 2 };
  return state.order.filter(labelled).sort(function (a, b) {
    if (a === state.selected) { return -1; }
    if (b === state.selected) { return 1; }
    var fa = state.features[a], fb = state.features[b], pa = fa.properties, pb = fb.properties;
    return (rank[shapeOf(fa)] - rank[shapeOf(fb)]) || ((pb.focus || 0) - (pa.focus || 0)) ||
      ((pb.pledges || 0) - (pa.pledges || 0)) || ((pb.mentions || 0) - (pa.mentions || 0));
  });
}

// --- boxes ----------------------------------------------------------------------------

function box(x, y, w, h) { return { left: x, top: y, right: x + w, bottom: y + h }; }

function overlapsAny(r, boxes) {
  for (var k = 0; k < boxes.length; k++) { if (overlaps(r, boxes[k])) { return true; } }
  return false;
}

function overlaps(r, q) {
  return r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top;
}

function insideMap(r, size) {
  return r.left >= EDGE && r.top >= EDGE && r.right <= size.x - EDGE && r.bottom <= size.y - EDGE;
}

function controlBoxes() {
  // The map's controls, in container pixels: nothing is written under them.
  return otherControls(null);
}

function otherControls(own) {
  // The boxes of the map's controls but ``own``, in container pixels.
  var container = state.map.getContainer(), origin = container.getBoundingClientRect(), out = [];
  container.querySelectorAll('.leaflet-control').forEach(function (el) {
    if (el === own || !el.offsetWidth || el.style.display === 'none') { return; }
    var r = el.getBoundingClientRect();
    out.push({ left: r.left - origin.left - 2, top: r.top - origin.top - 2,
               right: r.right - origin.left + 2, bottom: r.bottom - origin.top + 2 });
  });
  return out;
}

// --- markers that fall on the same pixels -------------------------------------------

function spreadMarkers() {
  // Points closer than SPREAD_PX are drawn around their middle, a leader to each
  // one's true place; apart again once zoomed in far enough.
  var map = state.map, points = [];
  if (state.leaders) { map.removeLayer(state.leaders); state.leaders = null; }
  state.spread = {};
  state.crowds = [];
  state.order.forEach(function (id) {
    var layer = state.layers[id], f = state.features[id];
    if (!(layer instanceof L.CircleMarker)) { return; }
    var c = f.geometry.coordinates, truth = L.latLng(c[1], c[0]);
    if (!layer.getLatLng().equals(truth)) { layer.setLatLng(truth); }
    if (shownOnMap(id)) { points.push({ id: id, layer: layer, truth: truth, p: map.latLngToContainerPoint(truth) }); }
  });
  var groups = [], seen = {};
  points.forEach(function (a) {
    if (seen[a.id]) { return; }
    var group = [a], k = 0;
    seen[a.id] = true;
    while (k < group.length) {  // everything within reach of a member, transitively
      var m = group[k++];
      points.forEach(function (b) {
        if (!seen[b.id] && m.p.distanceTo(b.p) < SPREAD_PX) { seen[b.id] = true; group.push(b); }
      });
    }
    if (group.length > 1) { groups.push(group); }
  });
  if (!groups.length) { return; }
  state.crowds = groups.map(function (group) {
    var b = L.latLngBounds(group.map(function (m) { return m.truth; }));
    return { ids: group.map(function (m) { return m.id; }), box: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
  });
  var leaders = [];
  groups.forEach(function (group) {
    var cx = 0, cy = 0, n = group.length, radius = Math.max(11, 3 + 4 * n);
    group.forEach(function (m) { cx += m.p.x; cy += m.p.y; });
    cx /= n; cy /= n;
    // In reading order around the middle, from the left: two places side by side.
    group.sort(function (a, b) { return state.order.indexOf(a.id) - state.order.indexOf(b.id); });
    group.forEach(function (m, i) {
      var angle = Math.PI + 2 * Math.PI * i / n, at = L.point(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
      var shown = map.containerPointToLatLng(at);
      m.layer.setLatLng(shown);
      state.spread[m.id] = { x: at.x, y: at.y, trueX: m.p.x, trueY: m.p.y };
      leaders.push(L.polyline([m.truth, shown], { renderer: state.renderer, color: '#37474f', weight: 1.2,
                                                  opacity: 0.9, interactive: false }));
    });
  });
  state.leaders = L.layerGroup(leaders).addTo(map);
  state.leaders.eachLayer(function (l) { l.bringToBack(); });
}

function markerBoxes() {
  var map = state.map, out = {};
  state.order.forEach(function (id) {
    var layer = state.layers[id];
    if (!(layer instanceof L.CircleMarker) || !shownOnMap(id)) { return; }
    var p = map.latLngToContainerPoint(layer.getLatLng());
    out[id] = box(p.x - MARKER_BOX, p.y - MARKER_BOX, 2 * MARKER_BOX, 2 * MARKER_BOX);
  });
  return out;
}

// --- where a name or a number may go ----------------------------------------------------

function anchorsOf(id) {
  // Container points a place's name is written at or beside, best first.
  var map = state.map, layer = state.layers[id], f = state.features[id], shape = shapeOf(f);
  if (shape === 'point') { return [map.latLngToContainerPoint(layer.getLatLng())]; }
  if (!layer._runs) { return [map.latLngToContainerPoint(layer.getBounds().getCenter())]; }
  var s = map.getZoomScale(map.getZoom(), 0), o = map.getPixelOrigin();
  function container(xy) { return map.layerPointToContainerPoint(L.point(xy[0] * s - o.x, xy[1] * s - o.y)); }
  if (shape === 'line') {
    return [0.5, 0.35, 0.65, 0.2, 0.8].map(function (t) { return container(linePointAt(layer._runs, t)); });
  }
  // Its label point, then points inside it across the part of its box in
  // view, middle first: a small area crowded at its label point (Jammu and
  // Kashmir beside Islamabad) still finds room for its name or number, and
  // one larger than the view is named where it shows.
  var size = map.getSize(), out = [map.latLngToContainerPoint(layer.getCenter())];
  var b = layer.getBounds(), nw = map.latLngToContainerPoint(b.getNorthWest()), se = map.latLngToContainerPoint(b.getSouthEast());
  var left = Math.max(0, nw.x), top = Math.max(0, nw.y), w = Math.min(size.x, se.x) - left, h = Math.min(size.y, se.y) - top;
  if (w <= 0 || h <= 0) { return out; }
  [[0.5, 0.5], [0.3, 0.5], [0.7, 0.5], [0.5, 0.3], [0.5, 0.7], [0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]
    .forEach(function (f) {
      var p = L.point(left + w * f[0], top + h * f[1]), layerPoint = map.containerPointToLayerPoint(p);
      if (insideRings((layerPoint.x + o.x) / s, (layerPoint.y + o.y) / s, layer._runs)) { out.push(p); }
    });
  return out;
}

function candidates(shape, anchor, w, h) {
  // Boxes of w x h for a name (or a number) at this anchor, best first.
  var x = anchor.x, y = anchor.y, gap = MARKER_BOX + 2;
  if (shape === 'point') {
    return [box(x + gap, y - h / 2, w, h), box(x - gap - w, y - h / 2, w, h), box(x - w / 2, y - gap - h, w, h),
            box(x - w / 2, y + gap, w, h), box(x + 4, y - gap - h, w, h), box(x + 4, y + gap, w, h),
            box(x - 4 - w, y - gap - h, w, h), box(x - 4 - w, y + gap, w, h)];
  }
  if (shape === 'line') {  // beside the line (on it, a short line would be hidden), else on it
    return [box(x - w / 2, y - h - 6, w, h), box(x - w / 2, y + 6, w, h), box(x + 8, y - h / 2, w, h),
            box(x - 8 - w, y - h / 2, w, h), box(x - w / 2, y - h / 2, w, h)];
  }
  return [box(x - w / 2, y - h / 2, w, h), box(x - w / 2, y - h - 5, w, h), box(x - w / 2, y + 5, w, h)];
}

function findPlace(shape, anchors, w, h, taken, others, size) {
  // The first free box beside an anchor in view (a name never stands for a place off the map).
  for (var a = 0; a < anchors.length; a++) {
    if (anchors[a].x < 0 || anchors[a].y < 0 || anchors[a].x > size.x || anchors[a].y > size.y) { continue; }
    var options = candidates(shape, anchors[a], w, h);
    for (var k = 0; k < options.length; k++) {
      var r = options[k];
      if (insideMap(r, size) && !overlapsAny(r, taken) && !overlapsAny(r, others)) { return r; }
    }
  }
  return null;
}

function firstFree(boxes, taken, others, size) {
  for (var k = 0; k < boxes.length; k++) {
    var r = boxes[k];
    if (insideMap(r, size) && !overlapsAny(r, taken) && !overlapsAny(r, others)) { return r; }
  }
  return null;
}

// --- the elements ------------------------------------------------------------------------

function labelElement(id) {
  // The name of a place: made once, reused while its places stay the same.
  var labels = state.labels, el = labels[id];
  if (!el) {
    var f = state.features[id];
    el = labels[id] = L.DomUtil.create('div', 'mv-label mv-label-' + shapeOf(f), overlayPane(state.map));
    el.appendChild(textNode(f.properties.name));
    el.title = String(f.properties.name);
    L.DomEvent.disableClickPropagation(el);
    L.DomEvent.on(el, 'click', function () {
      var layer = state.layers[id];
      clicked(id, layer && layer.getLatLng ? layer.getLatLng() : null);
    });
  }
  return el;
}

function calloutElement(id, number) {
  var callouts = state.calloutEls, el = callouts[id];
  if (!el) {
    el = callouts[id] = L.DomUtil.create('div', 'mv-callout', overlayPane(state.map));
    L.DomEvent.disableClickPropagation(el);
    L.DomEvent.on(el, 'click', function () { clicked(id, null); });
  }
  el.textContent = String(number);
  return el;
}

function put(el, r) {
  // An element at a box given in container pixels (the pane moves with the map).
  var p = state.map.containerPointToLayerPoint(L.point(r.left, r.top));
  L.DomUtil.setPosition(el, p);
  el.style.visibility = '';
}

function hide(el) { if (el) { el.style.visibility = 'hidden'; } }

var LABEL_FONTS = { point: '600 13px "DejaVu Sans", sans-serif', line: '600 13px "DejaVu Sans", sans-serif',
                    area: 'italic 500 13px "DejaVu Sans", sans-serif' };
var LABEL_HEIGHT = 19, LABEL_PADDING = 8;  // map.css: 13px/1.3 text, 1px 4px padding

function labelSize(text, shape) {
  // A name's box from its font's metrics: no layout of the page to measure each name.
  var ctx = state.measure || (state.measure = document.createElement('canvas').getContext('2d'));
  ctx.font = LABEL_FONTS[shape];
  return [Math.ceil(ctx.measureText(String(text)).width) + LABEL_PADDING + 1, LABEL_HEIGHT];
}

function shortened(text, keep) {
  // The first words of a name that fit ``keep`` characters, with an ellipsis; null if none do.
  var words = String(text).split(/\s+/), out = '';
  for (var k = 0; k < words.length; k++) {
    var next = out ? out + ' ' + words[k] : words[k];
    if (next.length + 1 > keep) { break; }
    out = next;
  }
  return out && out.length < String(text).length ? out + '…' : null;
}

// --- the layout ------------------------------------------------------------------------

function layout() {
  // Spread, place the legend, then every number and name: after each view change.
  var map = state.map;
  if (!map) { return; }
  if (state.batching) { state.layoutDue = true; return; }
  spreadMarkers();
  refreshLegend();
  placeCorner(state.legend);
  var size = map.getSize(), markers = markerBoxes(), taken = controlBoxes().concat(state.reserved), placed = state.placedLabels = {};
  var order = priorityOrder(), numbers = state.callouts;
  Object.keys(state.labels).forEach(function (id) { if (order.indexOf(id) < 0) { hide(state.labels[id]); } });
  Object.keys(state.calloutEls).forEach(function (id) { if (!numbers || order.indexOf(id) < 0) { hide(state.calloutEls[id]); } });
  var els = order.map(labelElement);
  els.forEach(function (el) { el.style.visibility = 'hidden'; el.firstChild.textContent = el.title; });
  var sizes = order.map(function (id, i) { return labelSize(els[i].title, shapeOf(state.features[id])); });
  var markerList = Object.keys(markers).map(function (id) { return markers[id]; });
  order.forEach(function (id, i) {
    var shape = shapeOf(state.features[id]), anchors = anchorsOf(id), own = markers[id];
    var others = markerList.filter(function (r) { return r !== own; });
    var el = els[i], w = sizes[i][0], h = sizes[i][1], r = findPlace(shape, anchors, w, h, taken, others, size);
    if (!r) {  // a shorter name (measured as it is written), then none
      var text = el.title, keep = Math.floor(text.length * 0.6), short = keep >= 6 ? shortened(text, keep) : null;
      if (short) {
        var fits = labelSize(short, shape);
        r = findPlace(shape, anchors, fits[0], fits[1], taken, others, size);
        if (r) { el.firstChild.textContent = short; }
      }
    }
    if (r) {
      put(el, r);
      taken.push(r);
      placed[id] = r;
    } else {
      hide(el);
    }
    if (numbers && numbers[id] !== undefined) {
      // The number beside the marker; for a line or an area beside its name, else at its anchor.
      var disc = calloutElement(id, numbers[id]), spot;
      if (shape === 'point') {
        spot = findPlace('point', anchors, 18, 18, taken, others, size);
      } else {
        var mid = r ? (r.top + r.bottom) / 2 : 0;
        spot = (r && firstFree([box(r.left - 20, mid - 9, 18, 18), box(r.right + 2, mid - 9, 18, 18)], taken, others, size)) ||
          findPlace('line', anchors, 18, 18, taken, others, size);
      }
      if (spot) { put(disc, spot); taken.push(spot); } else { hide(disc); }
    }
  });
  showClusterKey();
  state.renderer.drawNow();
  redrawContext();
}

// --- the legend ---------------------------------------------------------------------------

function placeCorner(control) {
  // A control goes to the corner where it covers the fewest markers and
  // anchors of names.  Not while the reader pans: a box that jumps about is worse.
  var el = control && control.getContainer();
  if (!el || !el.offsetWidth) { return; }
  var map = state.map, points = [];
  state.order.forEach(function (id) {
    if (!shownOnMap(id) || state.layers[id] instanceof Proxy) { return; }
    var layer = state.layers[id], shape = shapeOf(state.features[id]);
    if (shape === 'line') {  // a line by points along it: a box over any part of it hides it
      [0, 0.25, 0.5, 0.75, 1].forEach(function (t) {
        var xy = linePointAt(layer._runs, t), s = map.getZoomScale(map.getZoom(), 0), o = map.getPixelOrigin();
        points.push(map.layerPointToContainerPoint(L.point(xy[0] * s - o.x, xy[1] * s - o.y)));
      });
    } else {
      points.push(map.latLngToContainerPoint(layer.getLatLng ? layer.getLatLng() : layer.getCenter()));
    }
  });
  var controls = otherControls(el), boxes = cornerBoxes(control, el.offsetWidth, el.offsetHeight), best = null;
  for (var k = 0; k < LEGEND_CORNERS.length; k++) {
    var r = boxes[LEGEND_CORNERS[k]], hidden = 0;
    state.reserved.concat(controls).forEach(function (q) { if (overlaps(r, q)) { hidden += 1000; } });  // never over an inset or a control
    points.forEach(function (p) {
      if (p.x > r.left - 14 && p.x < r.right + 14 && p.y > r.top - 14 && p.y < r.bottom + 14) { hidden += 1; }
    });
    if (!best || hidden < best.hidden) { best = { corner: LEGEND_CORNERS[k], hidden: hidden }; }
    if (hidden === 0) { break; }
  }
  if (control.getPosition() !== best.corner) { control.setPosition(best.corner); }
}

function cornerBoxes(control, w, h) {
  // Where a control of w x h would sit in each corner (container pixels), worked out rather
  // than tried: Leaflet builds a control afresh each time it moves.  Below the corner's other
  // controls at the top, above them at the bottom, 10 px from the edges (Leaflet's margins).
  var map = state.map, size = map.getSize(), own = control.getContainer(), out = {};
  LEGEND_CORNERS.forEach(function (name) {
    var corner = map._controlCorners[name];
    var stack = corner.getBoundingClientRect().height - (own.parentNode === corner ? own.offsetHeight + 10 : 0);
    var left = name.indexOf('left') >= 0 ? 10 : size.x - 10 - w;
    var top = name.indexOf('top') >= 0 ? stack + 10 : size.y - stack - 10 - h;
    out[name] = { left: left, top: top, right: left + w, bottom: top + h };
  });
  return out;
}

function inView(id, bounds) {
  var layer = state.layers[id];
  if (layer instanceof Proxy) { return true; }  // the cloud's places: all kinds it has
  return layer.getLatLng ? bounds.contains(layer.getLatLng()) : bounds.intersects(layer.getBounds());
}

function legendKinds() {
  // The kinds of the places the map shows now (the filter's, in view), points first.
  var kinds = {}, order = [], bounds = state.map.getBounds();
  state.order.forEach(function (id) {
    if (!shownOnMap(id) || !inView(id, bounds)) { return; }
    var f = state.features[id], kind = f.properties.kind;
    if (!(kind in kinds)) { kinds[kind] = shapeOf(f); order.push(kind); }
  });
  var rank = { point: 0, line: 1, area: 2 };
  return order.sort(function (a, b) { return rank[kinds[a]] - rank[kinds[b]]; }).map(function (k) { return [k, kinds[k]]; });
}

function makeLegend(map) {
  var legend = L.control({ position: 'bottomleft' });
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'mv-legend');
    var head = L.DomUtil.create('button', 'mv-legend-head', div);
    head.type = 'button';
    head.title = 'Show or hide the legend';
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(head, 'click', function () {
      state.legendFolded = !legendFolded();
      fillLegend(div);
      layout();
    });
    fillLegend(div);
    return div;
  };
  legend.addTo(map);
  return legend;
}

function legendFolded() {
  // Folded when the reader folded it; by default when the map is small.
  if (state.legendFolded !== null) { return state.legendFolded; }
  var size = state.map.getSize();
  return size.x < 520 || size.y < 380;
}

function fillLegend(div) {
  var folded = legendFolded(), rows = legendKinds();
  var key = JSON.stringify([folded, rows, state.cloud !== null, state.documents.length, legendDashed()]);
  if (div.legendKey === key) { return; }  // the same rows: nothing to build again
  div.legendKey = key;
  L.DomUtil[folded ? 'addClass' : 'removeClass'](div, 'mv-folded');
  var head = div.firstChild;
  head.textContent = folded ? 'Legend ▸' : 'Legend ▾';
  while (head.nextSibling) { div.removeChild(head.nextSibling); }
  if (folded) { return; }
  rows.forEach(function (row) {
    var line = L.DomUtil.create('div', 'mv-legend-row', div);
    var sym = L.DomUtil.create('span', 'mv-sym mv-sym-' + row[1], line);
    sym.style.setProperty('--c', colour(row[0]));
    line.appendChild(textNode(row[0]));
  });
  if (legendDashed()) {
    var dashed = L.DomUtil.create('div', 'mv-legend-row mv-legend-wide', div);
    L.DomUtil.create('span', 'mv-sym mv-sym-dashed', dashed);
    dashed.appendChild(textNode('dashed: approximate or disputed'));
  }
  if (state.cloud) {  // a number on a white disc: that many places, too close to draw apart
    var cluster = L.DomUtil.create('div', 'mv-legend-row mv-legend-cluster', div);
    L.DomUtil.create('span', 'mv-sym mv-sym-cluster', cluster).appendChild(textNode('8'));
    cluster.appendChild(textNode('places close together'));
  }
  if (state.documents.length > 1) {
    state.documents.forEach(function (d, i) {
      var row = L.DomUtil.create('div', 'mv-legend-row', div);
      var sym = L.DomUtil.create('span', 'mv-sym mv-sym-point mv-sym-doc', row);
      sym.style.setProperty('--c', DOC_COLOURS[i % DOC_COLOURS.length]);
      row.appendChild(textNode(d.name));
    });
  }
}

function legendDashed() {
  // Whether a place in view is drawn dashed (approximate or disputed).
  var bounds = state.map.getBounds();
  return state.order.some(function (id) {
    var f = state.features[id];
    return shownOnMap(id) && dashOf(f, shapeOf(f)).length && inView(id, bounds);
  });
}

function refreshLegend() {
  var el = state.legend && state.legend.getContainer();
  if (el) { fillLegend(el); }
}

function showClusterKey() {
  // The legend's cluster row, while the cloud's last drawing has clusters.
  var row = document.querySelector('.mv-legend-cluster'), drawn = state.cloud && state.cloud.drawn;
  if (row) { row.style.display = drawn && drawn.clusters.length ? '' : 'none'; }
}

function setReserved(boxes) {
  // Boxes of the map (container pixels) kept free of names and controls: an export's insets.
  state.reserved = (boxes || []).map(function (b) { return { left: b[0], top: b[1], right: b[2], bottom: b[3] }; });
  layout();
  return true;
}

function setCallouts(numbers) {
  // Python's numbers of the places ({id: n}), as the PDF's list numbers them; null: none.
  state.callouts = numbers || null;
  layout();
  return true;
}

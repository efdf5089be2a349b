/* What sits on top of the places: permanent labels kept apart, and the
 * legend, placed where it hides the least. */

var LEGEND_CORNERS = ['bottomleft', 'bottomright', 'topright'];

function placeLegend() {
  // The legend goes where it hides the fewest places and names: bottom-left
  // unless something lies under it there.  A view fitted to its places (a
  // small export most of all) would otherwise hide some behind it.  Not
  // while the reader pans: a legend that jumps about is worse.
  var legend = state.legend, el = legend && legend.getContainer();
  if (!el || !el.offsetWidth || state.cloud) { return; }
  var obstacles = obstaclesOnMap(), best = null;
  for (var k = 0; k < LEGEND_CORNERS.length; k++) {
    // setPosition adds the control again: its element is a new one
    if (legend.getPosition() !== LEGEND_CORNERS[k]) { legend.setPosition(LEGEND_CORNERS[k]); }
    var hidden = covered(legend.getContainer().getBoundingClientRect(), obstacles);
    if (!best || hidden < best.hidden) { best = { corner: LEGEND_CORNERS[k], hidden: hidden }; }
    if (hidden === 0) { break; }
  }
  if (legend.getPosition() !== best.corner) { legend.setPosition(best.corner); }
}

function obstaclesOnMap() {
  // Boxes on the page of the places' markers and of the names shown.
  var out = [], box = state.map.getContainer().getBoundingClientRect();
  state.order.forEach(function (id) {
    var layer = state.layers[id];
    if (!shownOnMap(id)) { return; }
    if (layer.getLatLng) {
      var p = state.map.latLngToContainerPoint(layer.getLatLng());
      out.push({ left: box.left + p.x - 8, right: box.left + p.x + 8, top: box.top + p.y - 8, bottom: box.top + p.y + 8 });
    }
    var el = labelElement(layer);
    if (el && el.style.visibility !== 'hidden') { out.push(labelBox(el)); }
  });
  return out;
}

function covered(r, boxes) {
  return boxes.filter(function (q) { return overlaps(r, q); }).length;
}

function overlaps(r, q) {
  return r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top;
}

function labelElement(layer) {
  // A place's permanent label on the page, or null.
  var tip = layer.getTooltip && layer.getTooltip();
  return (tip && tip.options.permanent && tip.getElement()) || null;
}

function labelBox(el) {
  return (el.firstChild || el).getBoundingClientRect();  // a Label's box is its span
}

function declutter() {
  // Hide permanent labels that would overlap one already shown, in
  // drawing priority: points first, then lines, then areas.
  var placed = [];
  state.priority.forEach(function (id) {
    if (!shownOnMap(id)) { return; }
    var el = labelElement(state.layers[id]);
    if (!el) { return; }
    el.style.visibility = '';
    var r = labelBox(el);
    if (placed.some(function (q) { return overlaps(r, q); })) { el.style.visibility = 'hidden'; } else { placed.push(r); }
  });
}

function addLegend(map, groups) {
  var kinds = {};
  groups.points.concat(groups.lines, groups.areas).forEach(function (f) {
    kinds[f.properties.kind] = f.geometry.type;
  });
  var names = Object.keys(kinds);
  if (!names.length) { return null; }
  var legend = L.control({ position: 'bottomleft' });
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'mv-legend');
    names.forEach(function (kind) {
      var row = L.DomUtil.create('div', 'mv-legend-row', div);
      var sym = L.DomUtil.create('span', 'mv-sym', row);
      var t = kinds[kind];
      sym.className += t === 'Point' ? ' mv-sym-point' : (t.indexOf('LineString') >= 0 ? ' mv-sym-line' : ' mv-sym-area');
      sym.style.setProperty('--c', colour(kind));
      row.appendChild(textNode(kind));
    });
    if (state.cloud) {  // a number on a white disc: that many places, too close to draw apart
      var row = L.DomUtil.create('div', 'mv-legend-row mv-legend-cluster', div);
      L.DomUtil.create('span', 'mv-sym mv-sym-cluster', row).appendChild(textNode('8'));
      row.appendChild(textNode('places close together'));
    }
    if (state.documents.length > 1) {
      state.documents.forEach(function (d, i) {
        var row = L.DomUtil.create('div', 'mv-legend-row', div);
        var sym = L.DomUtil.create('span', 'mv-sym mv-sym-point mv-sym-doc', row);
        sym.style.setProperty('--c', DOC_COLOURS[i % DOC_COLOURS.length]);
        row.appendChild(textNode(d.name));
      });
    }
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
  showClusterKey();
  return legend;
}

function showClusterKey() {
  // The legend's cluster row, while the cloud's last drawing has clusters.
  var row = document.querySelector('.mv-legend-cluster'), drawn = state.cloud && state.cloud.drawn;
  if (row) { row.style.display = drawn && drawn.clusters.length ? '' : 'none'; }
}

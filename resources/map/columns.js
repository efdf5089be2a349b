/* The page's data (mapviewer/map/features.py: one list per field) back into
 * GeoJSON-like features.  Pure: no map, no DOM. */

var SCALE = 1e5;  // coordinates come as integers of 1e-5 degree (features.SCALE)

function placeFeatures(p) {
  // The columns of features.page_places back into GeoJSON-like features.
  var geoms = new Array(p.id.length), g = p.geometry;
  var boxes = new Array(p.id.length);
  function at(xy, k) { return [xy[2 * k] / SCALE, xy[2 * k + 1] / SCALE]; }
  function box(xy, a, b) {  // of coordinates a..b-1: the feature's bbox, for free
    var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (var k = a; k < b; k++) {
      var x = xy[2 * k], y = xy[2 * k + 1];
      if (x < w) { w = x; } if (x > e) { e = x; } if (y < s) { s = y; } if (y > n) { n = y; }
    }
    return [w / SCALE, s / SCALE, e / SCALE, n / SCALE];
  }
  function run(xy, a, b) { var out = []; for (var k = a; k < b; k++) { out.push(at(xy, k)); } return out; }
  function parts(o, level, a, b, leaf) {
    // Offsets o[level] split [a, b) of the level below, down to coordinate runs.
    var out = [];
    for (var k = a; k < b; k++) { out.push(level === 0 ? leaf(o[0][k], o[0][k + 1]) : parts(o, level - 1, o[level][k], o[level][k + 1], leaf)); }
    return out;
  }
  if (g.points) {
    g.points.i.forEach(function (i, j) { geoms[i] = { type: 'Point', coordinates: at(g.points.xy, j) }; });
  }
  if (g.lines) {
    var lines = g.lines, runLine = function (a, b) { return run(lines.xy, a, b); };
    lines.i.forEach(function (i, j) {
      var c = parts(lines.o, 0, lines.o[1][j], lines.o[1][j + 1], runLine);
      geoms[i] = c.length === 1 ? { type: 'LineString', coordinates: c[0] } : { type: 'MultiLineString', coordinates: c };
      boxes[i] = box(lines.xy, lines.o[0][lines.o[1][j]], lines.o[0][lines.o[1][j + 1]]);
    });
  }
  if (g.areas) {
    var areas = g.areas, runRing = function (a, b) { return run(areas.xy, a, b); };
    areas.i.forEach(function (i, j) {
      var c = parts(areas.o, 1, areas.o[2][j], areas.o[2][j + 1], runRing);
      geoms[i] = c.length === 1 ? { type: 'Polygon', coordinates: c[0] } : { type: 'MultiPolygon', coordinates: c };
      boxes[i] = box(areas.xy, areas.o[0][areas.o[1][areas.o[2][j]]], areas.o[0][areas.o[1][areas.o[2][j + 1]]]);
    });
  }
  if (g.other) { g.other.i.forEach(function (i, j) { geoms[i] = g.other.geometry[j]; }); }
  // features.table columns: each place's value is one of a few, shared.
  function table(c) { return function (i) { return c.values[c.index[i]]; }; }
  var kind = table(p.kind), precision = table(p.precision), extent = table(p.extent);
  var focus = p.focus ? table(p.focus) : function () { return 0; };
  var themes = table(p.themes), parties = table(p.parties), docs = table(p.docs);
  var parts = {};  // a divided area's parts (Jammu and Kashmir), by place index
  if (p.parts) { p.parts.i.forEach(function (i, k) { parts[i] = p.parts.parts[k]; }); }
  return p.id.map(function (id, i) {
    if (!geoms[i]) { return null; }  // an empty geometry: nothing to draw
    var props = { id: id, name: p.name[i], kind: kind(i), precision: precision(i), mentions: p.mentions[i],
                  pledges: p.pledges[i], focus: focus(i), themes: themes(i), parties: parties(i), docs: docs(i) };
    if (extent(i)) { props.extent = extent(i); }
    if (p.sentences) { props.sentences = p.sentences[i]; }
    if (parts[i]) { props.parts = parts[i]; }
    var f = { type: 'Feature', geometry: geoms[i], properties: props };
    if (boxes[i]) { f.bbox = boxes[i]; }
    return f;
  }).filter(Boolean);
}

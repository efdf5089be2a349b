/* Web Mercator at zoom 0 and geometry on its pixels: pure functions of
 * coordinates (no map, no DOM), so they can be tested on their own. */

function boxOf(f) {
  // [west, south, east, north]: the feature's GeoJSON bbox, made from its coordinates once.
  if (f.bbox) { return f.bbox; }
  var box = [Infinity, Infinity, -Infinity, -Infinity];
  (function walk(c) {
    if (typeof c[0] === 'number') {
      if (c[0] < box[0]) { box[0] = c[0]; } if (c[0] > box[2]) { box[2] = c[0]; }
      if (c[1] < box[1]) { box[1] = c[1]; } if (c[1] > box[3]) { box[3] = c[1]; }
    } else { for (var i = 0; i < c.length; i++) { walk(c[i]); } }
  })(f.geometry.coordinates);
  f.bbox = box;
  return box;
}

function areaOf(f) {
  // Bounding-box size straight from the coordinates: no layer needed.
  var b = boxOf(f);
  return (b[2] - b[0]) * (b[3] - b[1]);
}

var MAX_LAT = 85.0511287798;  // where Web Mercator stops, as in Leaflet

function worldPixel(lng, lat) {
  // Web Mercator at zoom 0 (a 256-pixel world), the projection Leaflet uses.
  return [worldX(lng), worldY(lat)];
}

function worldX(lng) { return 128 + lng * 256 / 360; }

function worldY(lat) {
  var y = Math.sin(Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180);
  return 128 - 128 * Math.log((1 + y) / (1 - y)) / (2 * Math.PI);
}

function worldRuns(geometry) {
  // The coordinate runs of a line or an area (each part, each ring), or of
  // a country outline, in zoom-0 pixels, with their box: kept, so that a
  // view change only scales them.
  var runs = [], box = [Infinity, Infinity, -Infinity, -Infinity];
  function add(coords) {
    var xy = new Float64Array(coords.length * 2);
    for (var k = 0; k < coords.length; k++) {
      var p = worldPixel(coords[k][0], coords[k][1]);
      xy[2 * k] = p[0]; xy[2 * k + 1] = p[1];
      if (p[0] < box[0]) { box[0] = p[0]; } if (p[0] > box[2]) { box[2] = p[0]; }
      if (p[1] < box[1]) { box[1] = p[1]; } if (p[1] > box[3]) { box[3] = p[1]; }
    }
    runs.push(xy);
  }
  var t = geometry.type, c = geometry.coordinates;
  if (t === 'LineString') { add(c); }
  else if (t === 'MultiLineString' || t === 'Polygon') { c.forEach(add); }
  else if (t === 'MultiPolygon') { c.forEach(function (poly) { poly.forEach(add); }); }
  return { runs: runs, box: box };
}

function traceRuns(target, runs, s, dx, dy, closed) {
  // Runs of zoom-0 pixels (see worldRuns) onto a canvas context or a Path2D, as x * s + dx.
  runs.forEach(function (xy) {
    target.moveTo(xy[0] * s + dx, xy[1] * s + dy);
    for (var k = 2; k < xy.length; k += 2) { target.lineTo(xy[k] * s + dx, xy[k + 1] * s + dy); }
    if (closed) { target.closePath(); }
  });
}

function worldLonLat(x, y) {
  // The inverse of worldPixel: [longitude, latitude].
  return [(x - 128) * 360 / 256, Math.asin(Math.tanh(Math.PI * (1 - y / 128))) * 180 / Math.PI];
}

function ringCentre(xy) {
  // Area-weighted centroid of a ring of zoom-0 pixels (its first vertex if
  // it has no area), and the area's size.
  var a = 0, cx = 0, cy = 0;
  for (var k = 0, j = xy.length - 2; k < xy.length; j = k, k += 2) {
    var cross = xy[j] * xy[k + 1] - xy[k] * xy[j + 1];
    a += cross; cx += (xy[j] + xy[k]) * cross; cy += (xy[j + 1] + xy[k + 1]) * cross;
  }
  return a ? [cx / (3 * a), cy / (3 * a), Math.abs(a / 2)] : [xy[0], xy[1], 0];
}

function runsLength(runs) {
  // A line's length in zoom-0 pixels.
  var total = 0;
  runs.forEach(function (xy) {
    for (var k = 0; k + 3 < xy.length; k += 2) { total += Math.sqrt(Math.pow(xy[k + 2] - xy[k], 2) + Math.pow(xy[k + 3] - xy[k + 1], 2)); }
  });
  return total;
}

function linePointAt(runs, t) {
  // The point at fraction t (0..1) of the way along a line's runs, in zoom-0 pixels.
  var total = 0, k, xy;
  function seg(xy, k) { return Math.sqrt(Math.pow(xy[k + 2] - xy[k], 2) + Math.pow(xy[k + 3] - xy[k + 1], 2)); }
  runs.forEach(function (xy) { for (var k = 0; k + 3 < xy.length; k += 2) { total += seg(xy, k); } });
  var left = total * t;
  for (var r = 0; r < runs.length; r++) {
    xy = runs[r];
    for (k = 0; k + 3 < xy.length; k += 2) {
      var d = seg(xy, k);
      if (d >= left && d > 0) { return [xy[k] + (xy[k + 2] - xy[k]) * left / d, xy[k + 1] + (xy[k + 3] - xy[k + 1]) * left / d]; }
      left -= d;
    }
  }
  var last = runs[runs.length - 1];
  return t > 0 ? [last[last.length - 2], last[last.length - 1]] : [runs[0][0], runs[0][1]];
}

function lineMiddle(runs) {
  // The point halfway along a line's runs, in zoom-0 pixels.
  return linePointAt(runs, 0.5);
}

function outerRings(geometry) {
  // Indexes, into worldRuns' runs, of each polygon's outer ring.
  var polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates, out = [], at = 0;
  polygons.forEach(function (poly) { out.push(at); at += poly.length; });
  return out;
}

function shapeOf(f) {
  var t = f.geometry.type;
  return t === 'Point' ? 'point' : t.indexOf('LineString') >= 0 ? 'line' : 'area';
}

function nearSegment(px, py, ax, ay, bx, by, reach) {
  var vx = bx - ax, vy = by - ay, len = vx * vx + vy * vy;
  var t = len ? Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len)) : 0;
  var dx = ax + t * vx - px, dy = ay + t * vy - py;
  return dx * dx + dy * dy <= reach * reach;
}

function insideRings(px, py, runs) {
  // Even-odd, as the canvas fills: holes are outside.
  var inside = false;
  runs.forEach(function (xy) {
    for (var k = 0, j = xy.length - 2; k < xy.length; j = k, k += 2) {
      if ((xy[k + 1] > py) !== (xy[j + 1] > py) &&
          px < (xy[j] - xy[k]) * (py - xy[k + 1]) / (xy[j + 1] - xy[k + 1]) + xy[k]) { inside = !inside; }
    }
  });
  return inside;
}

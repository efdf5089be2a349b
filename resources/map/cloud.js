/* Many places (CLOUD_MIN and more): one canvas pass instead of one Leaflet
 * layer each, hit-tested through grids, clustered where dense. */

function spritePixels(mark) {
  // A sprite's pixels, premultiplied by their alpha, read once, in two
  // lists: opaque ones (copied as one 32-bit word) and the partly
  // transparent rim (blended); fully transparent ones are left out.
  if (!mark.pixels) {
    var S = mark.canvas.width, px = mark.canvas.getContext('2d').getImageData(0, 0, S, S).data;
    var words = new Uint32Array(px.buffer), solid = [], solidWord = [], rim = [], rimPx = [];
    for (var k = 0; k < S * S; k++) {
      var a = px[4 * k + 3];
      if (a === 255) { solid.push(k); solidWord.push(words[k]); }
      else if (a > 0) {
        rim.push(k);
        rimPx.push(px[4 * k] * a / 255, px[4 * k + 1] * a / 255, px[4 * k + 2] * a / 255, a);
      }
    }
    mark.pixels = { size: S, solid: Int32Array.from(solid), solidWord: Uint32Array.from(solidWord),
                    rim: Int32Array.from(rim), rimPx: Float64Array.from(rimPx) };
  }
  return mark.pixels;
}

function offsets(pixels, S, W) {
  // A sprite's pixel indexes as offsets in a buffer W pixels wide.
  var out = new Int32Array(pixels.length);
  for (var k = 0; k < pixels.length; k++) { out[k] = Math.floor(pixels[k] / S) * W + pixels[k] % S; }
  return out;
}

function blend(buf, d, px, s) {
  // Premultiplied source-over of px[s..s+3] onto buf[d..d+3].
  var keep = 255 - px[s + 3];
  buf[d] = px[s] + (buf[d] * keep + 127) / 255;
  buf[d + 1] = px[s + 1] + (buf[d + 1] * keep + 127) / 255;
  buf[d + 2] = px[s + 2] + (buf[d + 2] * keep + 127) / 255;
  buf[d + 3] = px[s + 3] + (buf[d + 3] * keep + 127) / 255;
}

function stampClipped(buf, W, H, sp, x0, y0) {
  // A sprite over the buffer's edge: pixel by pixel, inside only.
  var S = sp.size, one = new Float64Array(4);
  function put(list, k, solidPixel) {
    var x = x0 + list[k] % S, y = y0 + Math.floor(list[k] / S);
    if (x < 0 || y < 0 || x >= W || y >= H) { return; }
    var d = 4 * (y * W + x);
    if (solidPixel) { new Uint32Array(buf.buffer, d, 1)[0] = sp.solidWord[k]; return; }
    one[0] = sp.rimPx[4 * k]; one[1] = sp.rimPx[4 * k + 1]; one[2] = sp.rimPx[4 * k + 2]; one[3] = sp.rimPx[4 * k + 3];
    blend(buf, d, one, 0);
  }
  for (var k = 0; k < sp.solid.length; k++) { put(sp.solid, k, true); }
  for (k = 0; k < sp.rim.length; k++) { put(sp.rim, k, false); }
}

var CLOUD_MIN = 1000;  // below this, places are ordinary Leaflet layers (labels, per-layer events)
var LINE_REACH = 6;  // pixels from a line that still hit it
// Where points are dense the cloud draws a cluster: a disc with their
// number, on a grid of cells fixed to the map (stable while panning).  A
// cell becomes a cluster when it holds more points than its markers could
// show side by side; from CLUSTER_ZOOM on (a town's scale) every point is
// drawn, however close.
var CLUSTER_CELL = 64, CLUSTER_ZOOM = 13, CLUSTER_INK = '#263238';

function clusterRadius(n) { return Math.min(30, 11 + 4 * Math.log(n) / Math.LN10); }

function clusterLabel(n) {
  return n < 1000 ? String(n) : n < 10000 ? (n / 1000).toFixed(1) + 'k' : Math.round(n / 1000) + 'k';
}

function Proxy(cloud, index) {
  // What the rest of this script needs of a layer, for a place the cloud draws.
  this.cloud = cloud; this.index = index; this.visible = true;
}

function PointProxy(cloud, index) {
  Proxy.call(this, cloud, index);
}
PointProxy.prototype = Object.create(Proxy.prototype);
PointProxy.prototype.getLatLng = function () {
  // Made when first asked for (a click, a focus): not 80k objects at start.
  if (!this.latlng) {
    var c = this.cloud.features[this.index].geometry.coordinates;
    this.latlng = L.latLng(c[1], c[0]);
  }
  return this.latlng;
};

function PathProxy(cloud, index) {
  Proxy.call(this, cloud, index);
}
PathProxy.prototype = Object.create(Proxy.prototype);
PathProxy.prototype.getBounds = function () {
  if (!this.bounds) {
    var b = boxOf(this.cloud.features[this.index]);
    this.bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
  }
  return this.bounds;
};

var Cloud = L.Canvas.extend({
  // Every place on one canvas (and the selected one alone on a second):
  // coordinates are projected once to zoom-0 pixels, and each view change
  // scales them and draws one path per style, where Leaflet would keep
  // and redraw one layer per place.  Drawn in order: areas (largest
  // first), lines, points; hit-tested the other way round.  Leaflet's
  // canvas renderer places, pads and zoom-animates both canvases and calls
  // _draw after each view change (it clears first); coordinates here are
  // its layer pixels.
  initialize: function (features) {
    L.Canvas.prototype.initialize.call(this, { pane: 'mvPoints', padding: CANVAS_PADDING });
    var n = features.length, byShape = { area: [], line: [], point: [] };
    this.features = features;
    this.ids = features.map(function (f) { return f.properties.id; });
    this.shapes = features.map(shapeOf);
    this.world = new Array(n);  // lines' and areas' runs
    this.point = new Float64Array(2 * n);  // points, flat: most places at scale are points
    this.screen = new Float64Array(2 * n);  // points where last drawn, for hit tests
    this.proxies = features.map(function (f, i) {
      var shape = this.shapes[i];
      byShape[shape].push(i);
      if (shape !== 'point') { this.world[i] = worldRuns(f.geometry); return new PathProxy(this, i); }
      var c = f.geometry.coordinates;
      this.point[2 * i] = worldX(c[0]); this.point[2 * i + 1] = worldY(c[1]);
      return new PointProxy(this, i);
    }, this);
    var world = this.world, size = function (i) { var b = world[i].box; return (b[2] - b[0]) * (b[3] - b[1]); };
    byShape.area.sort(function (a, b) { return size(b) - size(a); });
    this.order = byShape.area.concat(byShape.line, byShape.point);
    this.selected = -1;
    this.drawn = null;
    var cloud = this;
    this.top = new (L.Canvas.extend({ _draw: function () { cloud.drawSelected(this._ctx); } }))(
      { pane: 'mvPoints', padding: CANVAS_PADDING });
  },

  onAdd: function (map) {
    if (!map.getPane('mvPoints')) {
      var pane = map.createPane('mvPoints');
      pane.style.zIndex = 450;  // above the paths, below tooltips and popups
      pane.style.pointerEvents = 'none';  // the map hears the mouse; the cloud hit-tests
    }
    L.Canvas.prototype.onAdd.call(this, map);
    L.DomUtil.addClass(this._container, 'mv-points');
    this.top.addTo(map);
  },

  onRemove: function (map) {
    map.removeLayer(this.top);
    L.Canvas.prototype.onRemove.call(this, map);
  },

  getEvents: function () {
    var events = L.Canvas.prototype.getEvents.call(this);
    events.click = this.onClick;
    events.mousemove = this.onMove;
    return events;
  },

  redraw: function () {
    // After a filter change: the same view, other places shown.
    if (this._map) { this._redraw(); this.top._redraw(); }
  },

  view: function () {
    // zoom-0 pixels -> layer pixels: x * s + dx
    var map = this._map, s = map.getZoomScale(map.getZoom(), 0), origin = map.getPixelOrigin();
    return { s: s, dx: -origin.x, dy: -origin.y, bounds: this._bounds };
  },

  project: function (i, v) {
    // A line's or an area's runs in container pixels, kept while the view
    // stays (a filter change redraws without projecting again).
    var key = v.s + ',' + v.dx + ',' + v.dy;
    if (this.projectedFor !== key) { this.projectedFor = key; this.projected = new Array(this.features.length); }
    var known = this.projected[i];
    if (known) { return known; }
    return (this.projected[i] = this.world[i].runs.map(function (xy) {
      var out = new Float64Array(xy.length);
      for (var k = 0; k < xy.length; k += 2) { out[k] = xy[k] * v.s + v.dx; out[k + 1] = xy[k + 1] * v.s + v.dy; }
      return out;
    }));
  },

  radius: function (shown) { return shown > 20000 ? 3.5 : shown > 2000 ? 5 : 7; },

  sprite: function (fill, ringColour, r) {
    // One point drawn once per style and size, at the canvas's pixel ratio.
    var ratio = L.Browser.retina ? 2 : 1, width = state.documents.length > 1 ? 3 : 2;
    var key = [fill, ringColour, r, width, ratio].join('|');
    this.sprites = this.sprites || {};
    if (!this.sprites[key]) {
      var size = Math.ceil(2 * r + width) + 2, canvas = document.createElement('canvas');
      canvas.width = canvas.height = Math.ceil(size * ratio);
      var ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.beginPath(); ctx.arc(size / 2, size / 2, r, 0, 2 * Math.PI);
      ctx.fillStyle = fill; ctx.fill();
      ctx.lineWidth = width; ctx.strokeStyle = ringColour; ctx.stroke();
      this.sprites[key] = { canvas: canvas, size: size };
    }
    return this.sprites[key];
  },

  _draw: function () {
    var v = this.view(), ctx = this._ctx, margin = 12;
    var shown = 0, groups = {}, projected = new Array(this.features.length), drawn = [];
    var point = this.point, screen = this.screen;
    var x0 = v.bounds.min.x - margin, y0 = v.bounds.min.y - margin, x1 = v.bounds.max.x + margin, y1 = v.bounds.max.y + margin;
    var points = [];
    function add(i) {  // to be drawn: in its style's group, and hit-testable
      var f = this.features[i], shape = this.shapes[i];
      var key = shape + '|' + colour(f.properties.kind) + '|' + (shape === 'point' ? ring(f) : dashOf(f, shape).join(','));
      (groups[key] = groups[key] || []).push(i);
      drawn.push(i);
    }
    this.order.forEach(function (i) {
      if (!this.proxies[i].visible) { return; }
      shown += 1;
      var shape = this.shapes[i];
      if (shape === 'point') {
        var x = point[2 * i] * v.s + v.dx, y = point[2 * i + 1] * v.s + v.dy;
        if (x < x0 || x > x1 || y < y0 || y > y1) { return; }
        screen[2 * i] = x; screen[2 * i + 1] = y;
        points.push(i);
        return;
      }
      var b = this.world[i].box;
      if (b[2] * v.s + v.dx < x0 || b[0] * v.s + v.dx > x1 || b[3] * v.s + v.dy < y0 || b[1] * v.s + v.dy > y1) { return; }
      projected[i] = this.project(i, v);
      add.call(this, i);
    }, this);
    var r = this.radius(shown), side = Math.floor(CLUSTER_CELL / (2 * r + 2));  // markers across a cell
    var clusters = this.cluster(points, side * side + 1);
    points.forEach(function (i) { if (!this.inCluster[i]) { add.call(this, i); } }, this);
    var stamps = [];
    Object.keys(groups).forEach(function (key) {
      var parts = key.split('|'), shape = parts[0], c = parts[1], members = groups[key];
      ctx.setLineDash(shape === 'point' || !parts[2] ? [] : parts[2].split(',').map(Number));
      if (shape === 'point') {  // after the lines and areas, all at once
        stamps.push({ mark: this.sprite(c, parts[2], r), members: members });
      } else if (shape === 'line') {
        ctx.beginPath();
        members.forEach(function (i) { traceRuns(ctx, projected[i], 1, 0, 0, false); });
        ctx.lineWidth = 4; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.globalAlpha = 0.95;
        ctx.strokeStyle = c; ctx.stroke();
        ctx.globalAlpha = 1;
      } else {
        ctx.lineWidth = 1.5; ctx.strokeStyle = c; ctx.fillStyle = c;
        members.forEach(function (i) {  // one fill each: even-odd keeps holes, overlaps stay visible
          ctx.beginPath(); traceRuns(ctx, projected[i], 1, 0, 0, true);
          ctx.globalAlpha = 0.08; ctx.fill('evenodd');
          ctx.globalAlpha = 0.9; ctx.stroke();
        }, this);
        ctx.globalAlpha = 1;
      }
    }, this);
    ctx.setLineDash([]);
    this.stampPoints(ctx, stamps);
    this.drawClusters(ctx, clusters);
    this.drawn = { projected: projected, r: Math.max(r, 6) + 3, grid: this.gridOf(drawn), paths: this.pathGridOf(drawn, v),
                   clusters: clusters };
    showClusterKey();
  },

  cluster: function (points, least) {
    // The visible points' clusters, in layer pixels; marks their members
    // in ``inCluster``.  Two passes: count per cell, then sum the members
    // of the cells that count ``least`` or more.
    var n = this.features.length, screen = this.screen, world = this.point, cell = CLUSTER_CELL;
    this.inCluster = new Uint8Array(n);
    if (points.length < least || this._map.getZoom() >= CLUSTER_ZOOM) { return []; }
    var counts = new Map(), cellOf = new Float64Array(points.length);
    points.forEach(function (i, k) {
      var c = Math.floor(screen[2 * i] / cell) * 1e6 + Math.floor(screen[2 * i + 1] / cell);
      cellOf[k] = c;
      counts.set(c, (counts.get(c) || 0) + 1);
    });
    var byCell = new Map(), out = [], inCluster = this.inCluster;
    points.forEach(function (i, k) {
      if (counts.get(cellOf[k]) < least) { return; }
      var c = byCell.get(cellOf[k]);
      if (!c) {
        c = { n: 0, x: 0, y: 0, box: [Infinity, Infinity, -Infinity, -Infinity] };
        byCell.set(cellOf[k], c);
        out.push(c);
      }
      var wx = world[2 * i], wy = world[2 * i + 1], b = c.box;
      c.n += 1; c.x += screen[2 * i]; c.y += screen[2 * i + 1];
      if (wx < b[0]) { b[0] = wx; } if (wx > b[2]) { b[2] = wx; }
      if (wy < b[1]) { b[1] = wy; } if (wy > b[3]) { b[3] = wy; }
      inCluster[i] = 1;
    });
    out.forEach(function (c) { c.x /= c.n; c.y /= c.n; c.r = clusterRadius(c.n); });
    return out;
  },

  drawClusters: function (ctx, clusters) {
    ctx.font = 'bold 11px "DejaVu Sans", Helvetica, Arial, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    // White discs with a dark ring and number: unlike any place's marker,
    // which is a colour with a white ring.
    clusters.forEach(function (c) {
      ctx.beginPath(); ctx.arc(c.x, c.y, c.r, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.92; ctx.fillStyle = '#ffffff'; ctx.fill();
      ctx.globalAlpha = 1; ctx.lineWidth = 2.5; ctx.strokeStyle = CLUSTER_INK; ctx.stroke();
      ctx.fillStyle = CLUSTER_INK; ctx.fillText(clusterLabel(c.n), c.x, c.y + 0.5);
    });
  },

  clusterAt: function (p) {
    // The cluster under a layer point, or null (the last drawn is on top).
    var list = this.drawn ? this.drawn.clusters : [];
    for (var k = list.length - 1; k >= 0; k--) {
      var c = list[k];
      if ((c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y) <= c.r * c.r) { return c; }
    }
    return null;
  },

  zoomInto: function (c) {
    // Show a cluster's points: fit the map to them (a town's scale at most).
    var b = c.box, map = this._map;
    var bounds = L.latLngBounds(latLngOf(worldLonLat(b[0], b[3])), latLngOf(worldLonLat(b[2], b[1])));
    state.moved = true;
    map.fitBounds(bounds, { padding: [48, 48], maxZoom: Math.max(CLUSTER_ZOOM, map.getZoom() + 1) });
  },

  stampPoints: function (ctx, stamps) {
    // Every point is its style's sprite, written in script into one buffer
    // of premultiplied pixels and drawn onto the canvas once: 80k drawImage
    // calls took ~0.35 s in software (80k arcs filled and stroked: ~0.9 s).
    // A sprite's opaque pixels are copied as words, only its rim blended.
    if (!stamps.length) { return; }
    var m = L.Browser.retina ? 2 : 1, W = this._container.width, H = this._container.height;
    var minX = this._bounds.min.x, minY = this._bounds.min.y, screen = this.screen;
    var buf = new Uint8ClampedArray(W * H * 4), words = new Uint32Array(buf.buffer);
    stamps.forEach(function (batch) {
      var mark = batch.mark, sp = spritePixels(mark), S = sp.size, half = mark.size / 2;
      var solid = offsets(sp.solid, S, W), rim = offsets(sp.rim, S, W), solidWord = sp.solidWord, rimPx = sp.rimPx;
      batch.members.forEach(function (i) {
        var x0 = (Math.round(screen[2 * i] - half) - minX) * m, y0 = (Math.round(screen[2 * i + 1] - half) - minY) * m;
        if (x0 < 0 || y0 < 0 || x0 + S > W || y0 + S > H) { stampClipped(buf, W, H, sp, x0, y0); return; }
        var at = y0 * W + x0, k;
        for (k = 0; k < solid.length; k++) { words[at + solid[k]] = solidWord[k]; }
        for (k = 0; k < rim.length; k++) { blend(buf, 4 * (at + rim[k]), rimPx, 4 * k); }
      });
    });
    var scratch = document.createElement('canvas'), image = new ImageData(W, H), out = image.data;
    for (var k = 0; k < buf.length; k += 4) {  // ImageData is not premultiplied
      var alpha = buf[k + 3];
      if (alpha === 0) { continue; }
      out[k] = buf[k] * 255 / alpha; out[k + 1] = buf[k + 1] * 255 / alpha; out[k + 2] = buf[k + 2] * 255 / alpha;
      out[k + 3] = alpha;
    }
    scratch.width = W; scratch.height = H;
    scratch.getContext('2d').putImageData(image, 0, 0);
    ctx.drawImage(scratch, minX, minY, W / m, H / m);
  },

  gridOf: function (drawn) {
    // Points by 24-pixel cell, so a click looks at a few, not all.
    var grid = {}, cell = 24, screen = this.screen;
    drawn.forEach(function (i) {
      if (this.shapes[i] !== 'point') { return; }
      var g = Math.floor(screen[2 * i] / cell) + ':' + Math.floor(screen[2 * i + 1] / cell);
      (grid[g] = grid[g] || []).push(i);
    }, this);
    return { cells: grid, cell: cell };
  },

  pathGridOf: function (drawn, v) {
    // Lines and areas by 64-pixel cell of their box, in drawing order, so
    // the mouse tests a few, not 20k; boxes over many cells go in ``big``.
    var cells = {}, big = [], size = 64, reach = LINE_REACH;
    drawn.forEach(function (i) {
      if (this.shapes[i] === 'point') { return; }
      var b = this.world[i].box;
      var x0 = Math.floor((b[0] * v.s + v.dx - reach) / size), x1 = Math.floor((b[2] * v.s + v.dx + reach) / size);
      var y0 = Math.floor((b[1] * v.s + v.dy - reach) / size), y1 = Math.floor((b[3] * v.s + v.dy + reach) / size);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) { big.push(i); return; }
      for (var x = x0; x <= x1; x++) {
        for (var y = y0; y <= y1; y++) { (cells[x + ':' + y] = cells[x + ':' + y] || []).push(i); }
      }
    }, this);
    var rank = {};
    drawn.forEach(function (i, k) { rank[i] = k; });
    return { cells: cells, big: big, size: size, rank: rank };
  },

  drawSelected: function (ctx) {
    // Selecting repaints one place on its own canvas, not the whole cloud.
    var sel = this.selected;
    if (!this._map || sel < 0 || !this.proxies[sel].visible) { return; }
    var v = this.view(), f = this.features[sel], shape = this.shapes[sel];
    ctx.beginPath();
    if (shape === 'point') {
      ctx.arc(this.point[2 * sel] * v.s + v.dx, this.point[2 * sel + 1] * v.s + v.dy, 10, 0, 2 * Math.PI);
      ctx.fillStyle = colour(f.properties.kind); ctx.fill();
      ctx.lineWidth = 4;
    } else {
      traceRuns(ctx, this.project(sel, v), 1, 0, 0, shape === 'area');
      if (shape === 'area') { ctx.globalAlpha = 0.22; ctx.fillStyle = colour(f.properties.kind); ctx.fill('evenodd'); ctx.globalAlpha = 1; }
      ctx.lineWidth = shape === 'line' ? 7 : 3; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    }
    ctx.strokeStyle = SELECTED; ctx.stroke();
  },

  hit: function (p) {
    // The place under the cursor, or -1: the nearest point within reach,
    // else the topmost line near it, else the topmost area around it.
    var d = this.drawn;
    if (!d) { return -1; }
    var g = d.grid, cx = Math.floor(p.x / g.cell), cy = Math.floor(p.y / g.cell), best = -1, bestD = d.r * d.r;
    for (var gx = -1; gx <= 1; gx++) {
      for (var gy = -1; gy <= 1; gy++) {
        (g.cells[(cx + gx) + ':' + (cy + gy)] || []).forEach(function (i) {
          var dd = Math.pow(this.screen[2 * i] - p.x, 2) + Math.pow(this.screen[2 * i + 1] - p.y, 2);
          if (dd <= bestD) { bestD = dd; best = i; }
        }, this);
      }
    }
    if (best >= 0) { return best; }
    var paths = d.paths, here = paths.cells[Math.floor(p.x / paths.size) + ':' + Math.floor(p.y / paths.size)] || [];
    var candidates = here.concat(paths.big).sort(function (a, b) { return paths.rank[b] - paths.rank[a]; });
    for (var k = 0; k < candidates.length; k++) {  // topmost first: lines over areas, small areas over large
      var i = candidates[k], runs = d.projected[i];
      if (this.shapes[i] === 'line' && runs.some(function (xy) {
        for (var m = 2; m < xy.length; m += 2) { if (nearSegment(p.x, p.y, xy[m - 2], xy[m - 1], xy[m], xy[m + 1], LINE_REACH)) { return true; } }
        return false;
      })) { return i; }
      if (this.shapes[i] === 'area' && insideRings(p.x, p.y, runs)) { return i; }
    }
    return -1;
  },

  onClick: function (e) {
    var c = this.clusterAt(e.layerPoint);
    if (c) { this.zoomInto(c); return; }
    var i = this.hit(e.layerPoint);
    if (i >= 0) { clicked(this.ids[i], this.shapes[i] === 'point' ? this.proxies[i].getLatLng() : e.latlng); }
  },

  onMove: function (e) {
    var c = this.clusterAt(e.layerPoint), i = c ? -1 : this.hit(e.layerPoint), map = this._map;
    map.getContainer().style.cursor = c || i >= 0 ? 'pointer' : '';
    if (c) {
      map.openTooltip(state.hover.setContent(textNode(c.n + ' places: click to zoom in')), map.layerPointToLatLng([c.x, c.y]));
    } else if (i >= 0) {
      var at = this.shapes[i] === 'point' ? this.proxies[i].getLatLng() : e.latlng;
      map.openTooltip(state.hover.setContent(textNode(this.features[i].properties.name)), at);
    } else if (this.hovering) {
      map.closeTooltip(state.hover);
    }
    this.hovering = Boolean(c) || i >= 0;
  }
});

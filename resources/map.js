/* The map page's own script: draws an Atlas handed over as JSON data.
 *
 * Every feature is data, drawn on one canvas; document text only ever
 * reaches the page through textContent, never as markup.  Python talks to
 * the page through window.mapviewer (select, focus, state) and hears from
 * it through the Qt bridge when there is one.
 */
(function () {
  'use strict';

  var KIND_STYLE = {
    port: '#0d47a1', airport: '#6a1b9a', city: '#b71c1c', town: '#b71c1c',
    locality: '#b71c1c', building: '#4e342e', pass: '#33691e', dam: '#00695c',
    zone: '#e65100', station: '#37474f',
    railway: '#c62828', highway: '#ef6c00', corridor: '#8e24aa', road: '#ef6c00',
    country: '#795548', region: '#7b1fa2', province: '#7b1fa2', territory: '#7b1fa2',
    sea: '#0277bd'
  };
  var LAND = '#efe9d8', BORDER = '#a79f8c', SEA = '#aad3df';
  var SELECTED = '#ffd600';

  var state = {
    map: null, features: Object.create(null), layers: Object.create(null), order: [], bridge: null,
    selected: null, ready: false, clicks: [], priority: [], moved: false, renderer: null, legend: null, drawing: 0, timings: {}, cloud: null, basemap: null,
    documents: [], sentences: null, filter: {}, popup: null, baseLayers: null, tileFailed: false,
    outlines: { wanted: false, asked: false, arrived: false, readyWaits: null, arrive: null }
  };

  function colour(kind) { return KIND_STYLE[kind] || '#455a64'; }

  function textNode(s) {
    var el = document.createElement('span');
    el.textContent = String(s);
    return el;
  }

  function styleFor(f, selected) {
    var p = f.properties, c = colour(p.kind);
    var dashed = p.precision === 'approximate' || p.extent === 'circle';
    if (f.geometry.type.indexOf('LineString') >= 0) {
      return { color: selected ? SELECTED : c, weight: selected ? 7 : 4, opacity: 0.95,
               dashArray: dashed ? '8 6' : null, lineCap: 'round' };
    }
    return { color: selected ? SELECTED : c, weight: selected ? 3 : 1.5, opacity: 0.9,
             fillColor: c, fillOpacity: selected ? 0.22 : 0.08,
             dashArray: dashed ? '6 5' : null };
  }

  var DOC_COLOURS = ['#ffffff', '#111111', '#00bcd4', '#ff4081', '#76ff03', '#ffab00'];

  function ring(f) {
    // With several documents, a point's ring tells which one names it.
    var docs = f.properties.docs || [];
    if (state.documents.length < 2) { return '#ffffff'; }
    return docs.length === 1 ? DOC_COLOURS[docs[0] % DOC_COLOURS.length] : '#9e9e9e';
  }

  function pointLayer(f, renderer) {
    var ll = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
    return L.circleMarker(ll, {
      renderer: renderer, radius: 7, color: ring(f), weight: state.documents.length > 1 ? 3 : 2,
      fillColor: colour(f.properties.kind), fillOpacity: 1
    });
  }

  function pointStyle(f, selected) {
    return { radius: selected ? 10 : 7, color: selected ? SELECTED : ring(f),
             weight: selected ? 4 : (state.documents.length > 1 ? 3 : 2) };
  }

  var WORLD_TYPES = { LineString: 1, MultiLineString: 1, Polygon: 1, MultiPolygon: 1 };

  function makeLayer(f, renderer) {
    var t = f.geometry.type, options = L.extend({ renderer: renderer }, styleFor(f, false));
    if (t === 'Point') { return pointLayer(f, renderer); }
    if (WORLD_TYPES[t]) { return new WorldPath(f, options); }
    return L.GeoJSON.geometryToLayer(f, options);  // anything else, the way Leaflet draws it
  }

  var Label = L.Tooltip.extend({
    // A permanent label that CSS centres on its place (map.css: the box is
    // its inner span, translated by half its own size).  Leaflet's tooltip
    // measures itself to centre: one forced layout per label, ~15 ms of the
    // seed's 16 labels at start, again at every zoom.
    _setPosition: function (pos) {
      L.DomUtil.addClass(this._container, 'leaflet-tooltip-' + this.options.direction);
      L.DomUtil.setPosition(this._container, pos.add(L.point(this.options.offset)).add(this._getAnchor()));
    }
  });

  function bindEvents(id, layer, label) {
    if (label.permanent) {
      layer.bindTooltip(new Label({
        permanent: true, direction: label.direction, className: 'mv-label mv-label-' + label.shape, opacity: 0.95
      }, layer).setContent(textNode(label.text)));
    } else {
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
    // The panel first: the message to Qt leaves before the page restyles.
    if (state.bridge) { state.bridge.featureClicked(id); }
    state.clicks.push(id);
    select(id);
    openPopup(id, latlng);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function popupContent(id) {
    // Built from DOM nodes and textContent: a declaration is data, never markup.
    var p = state.features[id].properties, box = el('div', 'mv-popup');
    box.appendChild(el('div', 'mv-popup-name', p.name));
    var n = p.pledges || 0;
    box.appendChild(el('div', 'mv-popup-meta', p.kind + ' · ' + n + (n === 1 ? ' pledge' : ' pledges')));
    var texts = state.sentences;
    if (texts && p.sentences) {
      var list = el('ol', 'mv-popup-sentences');
      p.sentences.forEach(function (key) {
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

  function openPopup(id, latlng) {
    var layer = state.layers[id];
    if (!layer) { return; }
    var at = latlng || (layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
    state.popup = L.popup({ maxWidth: state.sentences ? 420 : 260, maxHeight: 320, autoPan: true,
                            autoPanPaddingTopLeft: L.point(140, 20) })
      .setLatLng(at).setContent(popupContent(id)).openOn(state.map);
  }

  function matches(p, filter) {
    var has = function (list, wanted) {
      return !wanted || !wanted.length || (list || []).some(function (x) { return wanted.indexOf(x) >= 0; });
    };
    return has(p.themes, filter.themes) && has(p.parties, filter.parties) &&
      (filter.document === null || filter.document === undefined || (p.docs || []).indexOf(filter.document) >= 0);
  }

  function setFilter(filter) {
    // Show the places that have a pledge of a chosen theme and party,
    // in the chosen document; an empty choice means all.
    filter = filter || {};
    state.filter = filter;
    var shown = 0;
    state.order.forEach(function (id) {
      var layer = state.layers[id], visible = matches(state.features[id].properties, filter);
      if (visible) { shown += 1; }
      if (layer instanceof Proxy) { layer.visible = visible; }
      else if (visible && !state.map.hasLayer(layer)) { layer.addTo(state.map); }
      else if (!visible && state.map.hasLayer(layer)) { state.map.removeLayer(layer); }
    });
    if (state.cloud) { state.cloud.redraw(); }
    declutter();
    return shown;
  }

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

  // --- Web Mercator, projected once; the offline basemap ---------------------------

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

  var OutlineCanvas = L.Canvas.extend({
    // Country outlines in a canvas of their own, under tiles and places.
    // Projected once; each view change scales the rings in view into one
    // path per country, so the outlines cost a few milliseconds, not a
    // Leaflet layer per country and an object per vertex (~70 ms at start).
    // Leaflet's renderer still places, pads, clears and zoom-animates the
    // canvas, and calls _draw after each view change; layer pixels are
    // small numbers at any zoom, so float precision holds.
    initialize: function (packed, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.shapes = unpackOutlines(packed);
    },

    _draw: function () {
      // Leaflet's hook for painting after each view change (it clears first).
      var map = this._map, ctx = this._ctx, b = this._bounds;
      var s = map.getZoomScale(map.getZoom(), 0), o = map.getPixelOrigin();
      ctx.fillStyle = LAND; ctx.strokeStyle = BORDER; ctx.lineWidth = 0.7;
      this.shapes.forEach(function (shape) {
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

  function worldLatLng(x, y) {
    // The inverse of worldPixel.
    return L.latLng(Math.asin(Math.tanh(Math.PI * (1 - y / 128))) * 180 / Math.PI, (x - 128) * 360 / 256);
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

  function lineMiddle(runs) {
    // The point halfway along a line's runs, in zoom-0 pixels.
    var total = 0, k, xy;
    function seg(xy, k) { return Math.sqrt(Math.pow(xy[k + 2] - xy[k], 2) + Math.pow(xy[k + 3] - xy[k + 1], 2)); }
    runs.forEach(function (xy) { for (var k = 0; k + 3 < xy.length; k += 2) { total += seg(xy, k); } });
    var left = total / 2;
    for (var r = 0; r < runs.length; r++) {
      xy = runs[r];
      for (k = 0; k + 3 < xy.length; k += 2) {
        var d = seg(xy, k);
        if (d >= left && d > 0) { return [xy[k] + (xy[k + 2] - xy[k]) * left / d, xy[k + 1] + (xy[k + 3] - xy[k + 1]) * left / d]; }
        left -= d;
      }
    }
    return [runs[0][0], runs[0][1]];
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
        this._centre = worldLatLng(xy[0], xy[1]);
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

  function outerRings(geometry) {
    // Indexes, into worldRuns' runs, of each polygon's outer ring.
    var polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates, out = [], at = 0;
    polygons.forEach(function (poly) { out.push(at); at += poly.length; });
    return out;
  }

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
    // parsed the first time it is needed. The desktop's page comes without
    // the detailed block ("bridge"): it asks Qt for it once zoomed in, shows
    // the overview meanwhile, and is not ready until it came.
    if (!map.getPane('mvOutlines')) {
      var pane = map.createPane('mvOutlines');
      pane.style.zIndex = 150;  // under online tiles (200): a failed tile shows the outlines
      pane.style.pointerEvents = 'none';
    }
    var layers = {}, current = null, outlines = state.outlines;
    function layer(which) {
      if (!(which in layers)) {
        var data = blocks[which] ? JSON.parse(blocks[which].textContent) : null;
        if (data === 'bridge') { outlines.wanted = true; askForOutlines(); return null; }
        layers[which] = data && new OutlineCanvas(data, { pane: 'mvOutlines', padding: 0.1 });
      }
      return layers[which];
    }
    function update() {
      var want = map.getZoom() >= DETAIL_ZOOM ? 'detail' : 'overview';
      var chosen = layer(want) || layer(want === 'detail' ? 'overview' : 'detail');
      if (!chosen || chosen === current) { return; }
      chosen.addTo(map);
      if (current) { map.removeLayer(current); }
      current = chosen;
      state.basemap = chosen === layers.detail ? 'detail' : 'overview';
    }
    outlines.arrive = function (data) {
      layers.detail = data && new OutlineCanvas(data, { pane: 'mvOutlines', padding: 0.1 });
      update();
    };
    map.on('zoomend', update);
    update();
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

  // --- many places: one canvas pass instead of one Leaflet layer each ----------

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

  function shapeOf(f) {
    var t = f.geometry.type;
    return t === 'Point' ? 'point' : t.indexOf('LineString') >= 0 ? 'line' : 'area';
  }

  function dashOf(f, shape) {
    var dashed = f.properties.precision === 'approximate' || f.properties.extent === 'circle';
    return !dashed ? [] : shape === 'line' ? [8, 6] : [6, 5];
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
      L.Canvas.prototype.initialize.call(this, { pane: 'mvPoints', padding: 0.1 });
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
        { pane: 'mvPoints', padding: 0.1 });
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
      var bounds = L.latLngBounds(worldLatLng(b[0], b[3]), worldLatLng(b[2], b[1]));
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
        var id = f.properties.id, layer = makeLayer(f, renderer), shape = shapeOf(f);
        bindEvents(id, layer, { text: f.properties.name, permanent: labelled,
                                direction: shape === 'point' ? 'right' : 'center', shape: shape });
        layer.addTo(map);
        state.features[id] = f;
        state.layers[id] = layer;
        state.order.push(id);
      });
    });
    return groups;
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

  function labelRoom(features) {
    // Point labels are written to the right: leave room for the longest
    // (about 7 px a character at the label's size), within reason.
    var longest = 0;
    if (features.length <= 60) {
      features.forEach(function (f) {
        if (f.geometry.type === 'Point' && f.properties) { longest = Math.max(longest, String(f.properties.name).length); }
      });
    }
    return Math.min(320, Math.max(60, 30 + 7 * longest));
  }

  function fitFeatures(features, animate) {
    var b = extentOf(features);
    // More room on the right: point labels are written there.
    if (b) {
      state.map.fitBounds(b, { paddingTopLeft: [40, 40], paddingBottomRight: [labelRoom(features), 40], maxZoom: 9,
                               animate: !!animate });
    }
  }

  function fitAll(animate) {
    fitFeatures(state.order.map(function (id) { return state.features[id]; }), animate);
    if (!animate) { placeLegend(); }
  }

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

  function select(id) {
    if (state.selected && state.selected !== id) { restyle(state.selected, false); }
    state.selected = state.features[id] ? id : null;
    if (state.selected) { restyle(id, true); }
    return state.selected;
  }

  function focus(ids) {
    var known = (ids || []).filter(function (id) { return state.layers[id]; });
    if (!known.length) { return 0; }
    var b = boundsOf(known);
    state.moved = true;
    if (b.isValid()) { state.map.flyToBounds(b, { padding: [60, 60], maxZoom: 8, duration: 0.6 }); }
    if (known.length === 1) { select(known[0]); }
    return known.length;
  }

  function fireClick(id) {
    var layer = state.layers[id];
    if (!layer) { return false; }
    var ll = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
    if (layer instanceof Proxy) { clicked(id, ll); return true; }
    layer.fire('click', { latlng: ll }, true);  // propagate to the group, as a real click does
    return true;
  }

  function summary() {
    // The centre of the pixels shown (not the last centre asked for, which
    // may lie half a pixel off): an export "as shown" must land on the same pixels.
    var m = state.map, c = m.containerPointToLatLng(m.getSize().divideBy(2));
    return JSON.stringify({
      ready: state.ready, selected: state.selected, clicks: state.clicks,
      popup: state.popup && state.map.hasLayer(state.popup) ? state.popup.getElement().textContent : null,
      tileFailed: state.tileFailed, timings: state.timings, basemap: state.basemap,
      zoom: m.getZoom(), center: [c.lng, c.lat],
      topLeft: (function (t) { return [t.lng, t.lat]; })(m.containerPointToLatLng([0, 0])),
      features: state.order.map(function (id) {
        var f = state.features[id], layer = state.layers[id], ll;
        ll = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
        var pt = m.latLngToContainerPoint(ll);
        return { id: id, type: f.geometry.type, kind: f.properties.kind, name: f.properties.name, onMap: shownOnMap(id),
                 clustered: layer instanceof Proxy && Boolean(layer.cloud.inCluster && layer.cloud.inCluster[layer.index]),
                 x: pt.x, y: pt.y };
      }),
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
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (drawing !== state.drawing) { return; }
        if (state.outlines.wanted && !state.outlines.arrived) { state.outlines.readyWaits = drawing; return; }
        state.ready = true;
        document.documentElement.setAttribute('data-mapviewer-ready', 'true');
        if (state.bridge) { state.bridge.mapReady(); }
      });
    });
  }

  function init(map, dataElementId) {
    // Map-wide set-up, once per page; the places come with the page (an
    // export) or later through setData (the desktop window).
    var data = JSON.parse(document.getElementById(dataElementId).textContent);
    var basemapBlocks = { detail: document.getElementById(dataElementId + '-basemap'),
                          overview: document.getElementById(dataElementId + '-basemap-overview') };
    state.map = map;
    map.getContainer().style.background = SEA;
    addTiles(map, data.tiles);
    state.renderer = L.canvas({ padding: 0.1, tolerance: 4 }).addTo(map);  // now, while Qt builds the window, not with the first place
    state.hover = L.tooltip({ className: 'mv-tip', direction: 'top', offset: [0, -8], opacity: 0.95 });
    drawBasemap(map, basemapBlocks);
    map.on('mousemove', function (e) {
      if (state.bridge && state.bridge.cursorMoved) { state.bridge.cursorMoved(e.latlng.lng, e.latlng.lat); }
    });
    map.on('zoomend moveend', declutter);
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
    if (state.popup) { state.map.closePopup(state.popup); }
    state.features = Object.create(null);
    state.layers = Object.create(null);
    state.order = []; state.priority = []; state.clicks = [];
    state.selected = null; state.legend = null; state.popup = null; state.filter = {};
  }

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
    var themes = table(p.themes), parties = table(p.parties), docs = table(p.docs);
    return p.id.map(function (id, i) {
      if (!geoms[i]) { return null; }  // an empty geometry: nothing to draw
      var props = { id: id, name: p.name[i], kind: kind(i), precision: precision(i), mentions: p.mentions[i],
                    pledges: p.pledges[i], themes: themes(i), parties: parties(i), docs: docs(i) };
      if (extent(i)) { props.extent = extent(i); }
      if (p.sentences) { props.sentences = p.sentences[i]; }
      var f = { type: 'Feature', geometry: geoms[i], properties: props };
      if (boxes[i]) { f.bbox = boxes[i]; }
      return f;
    }).filter(Boolean);
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
    var t0 = performance.now(), features = data.places ? placeFeatures(data.places) : [];
    state.moved = false;
    fitFeatures(features, false);
    var t1 = performance.now();
    var groups = drawFeatures(state.map, features, state.renderer, features.length <= (data.labelLimit || 60));
    var t2 = performance.now();
    state.legend = addLegend(state.map, groups);
    state.priority = groups.points.concat(groups.lines, groups.areas).map(function (f) { return f.properties.id; });
    declutter();
    placeLegend();
    state.timings = { fit: t1 - t0, layers: t2 - t1, declutter: performance.now() - t2 };
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
    init: init, setData: setData, setOutlines: setOutlines, select: select, focus: focus, fitAll: fitAll, setFilter: setFilter,
    setBasemap: setBasemap, openPopup: openPopup,
    zoom: function (delta) { state.moved = true; if (delta > 0) { state.map.zoomIn(); } else { state.map.zoomOut(); } return state.map.getZoom(); },
    fireClick: fireClick, state: summary, attachBridge: attachBridge
  };
})();

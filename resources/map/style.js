/* How each kind of place is drawn: colours, line styles, rings. */

var KIND_STYLE = {
  port: '#0d47a1', airport: '#6a1b9a', city: '#b71c1c', town: '#b71c1c',
  locality: '#b71c1c', building: '#4e342e', pass: '#33691e', dam: '#00695c',
  zone: '#e65100', station: '#37474f',
  railway: '#c62828', highway: '#ef6c00', corridor: '#8e24aa', road: '#ef6c00',
  country: '#795548', region: '#7b1fa2', province: '#7b1fa2', territory: '#7b1fa2',
  sea: '#0277bd', lake: '#0277bd'
};
var LAND = '#efe9d8', BORDER = '#a79f8c', SEA = '#aad3df';
var SELECTED = '#ffd600';

function colour(kind) { return KIND_STYLE[kind] || '#455a64'; }

function textNode(s) {
  var el = document.createElement('span');
  el.textContent = String(s);
  return el;
}

function styleFor(f, selected) {
  var p = f.properties, c = colour(p.kind);
  var dashed = p.precision === 'approximate' || Boolean(p.parts);
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

function pointStyle(f, selected) {
  return { radius: selected ? 10 : 7, color: selected ? SELECTED : ring(f),
           weight: selected ? 4 : (state.documents.length > 1 ? 3 : 2) };
}

function dashOf(f, shape) {
  // Dashed: approximate (a convention's limits, a label point's place), or disputed (an area in parts).
  var dashed = f.properties.precision === 'approximate' || Boolean(f.properties.parts);
  return !dashed ? [] : shape === 'line' ? [8, 6] : [6, 5];
}

function el(tag, cls, text) {
  var node = document.createElement(tag);
  if (cls) { node.className = cls; }
  if (text !== undefined) { node.textContent = String(text); }
  return node;
}

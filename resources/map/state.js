/* The map page's script, in parts joined in order into one inline script
 * (mapviewer/map/script.py): state, style, projection, columns, basemap,
 * context, layers, cloud, labels, api.  Every part shares this one scope.
 *
 * The page is a view: Python decides which places are shown and which is
 * selected (api.js: setVisible, select) and the page draws what it is told.
 * Every feature is data; document text only ever reaches the page through
 * textContent, never as markup.  Python hears from the page through the Qt
 * bridge when there is one (the exported HTML page has none and selects by
 * itself).
 */

// Everything the parts share about the current map and its places.
var state = {
  map: null, features: Object.create(null), layers: Object.create(null), order: [], bridge: null,
  byIndex: [],  // column index -> place id, for setVisible
  selected: null, ready: false, clicks: [], moved: false, renderer: null, legend: null, drawing: 0,
  labelAll: false, labels: {}, calloutEls: {}, partLayers: {}, crowds: [], reserved: [], placedLabels: {}, spread: {}, leaders: null, callouts: null,
  legendFolded: null,  // the reader's choice; null: folded when the map is small
  markEl: null, mark: null,  // a picture's frame mark (api.js showMark)
  batching: 0, layoutDue: false,  // api.js batch(): the names are laid out once, after its last call
  timings: {}, cloud: null, basemap: null, context: null, painted: null, moving: false,
  documents: [], sentences: null, standalone: false, popup: null, lastClick: null, baseLayers: null, tileFailed: false,
  outlines: { wanted: false, asked: false, arrived: false, readyWaits: null, arrive: null }
};

// A page loaded as "#picture" is drawn for a picture (ui/snapshot.py), not for the reader.
var PICTURE = location.hash === '#picture';

// A canvas drawn a tenth beyond each edge of the view shows what a drag
// brings in before Leaflet redraws it.  A picture is never dragged, and each
// canvas pixel costs the software rasteriser: its canvases cover the view alone.
var CANVAS_PADDING = PICTURE ? 0 : 0.1;

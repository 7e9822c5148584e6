// The OGC HTML pages' map: the page's features (a JSON data block, never
// executed, so the strict CSP holds; a collection page fetches its first
// features from its own origin instead) drawn by the MapLibre copy the guide
// vendors from npm. No basemap: a plain background, points and lines.
const container = document.getElementById('ogc-map');
const data = document.getElementById('ogc-features');

function bounds(features) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
    } else c.forEach(visit);
  };
  features.forEach((f) => f.geometry && visit(f.geometry.coordinates));
  return box[0] === Infinity ? null : [[box[0], box[1]], [box[2], box[3]]];
}

async function draw() {
  const collection = container.dataset.source
    ? await (await fetch(container.dataset.source, { headers: { Accept: 'application/geo+json' } })).json()
    : JSON.parse(data.textContent);
  const box = bounds(collection.features);
  if (!box) { container.hidden = true; return; }
  const { Map } = await import(container.dataset.maplibre);
  const map = new Map({
    container,
    style: {
      version: 8,
      sources: { features: { type: 'geojson', data: collection } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#e8eef0' } },
        { id: 'lines', type: 'line', source: 'features', filter: ['==', ['geometry-type'], 'LineString'],
          paint: { 'line-color': '#0b4f6c', 'line-width': 3 } },
        { id: 'points', type: 'circle', source: 'features', filter: ['==', ['geometry-type'], 'Point'],
          paint: { 'circle-color': '#0b4f6c', 'circle-radius': 5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } },
      ],
    },
    bounds: box,
    fitBoundsOptions: { padding: 40, maxZoom: 16 },
    attributionControl: { customAttribution: 'Bizİzmir Açık Veri Portalı (CC BY 4.0)' },
  });
  map.on('click', 'points', (event) => {
    const id = event.features[0].id ?? event.features[0].properties.slug;
    if (id !== undefined) window.location.href = `${window.location.pathname.replace(/\/items.*$/, '')}/items/${id}?f=html`;
  });
}

if (container && (data || container.dataset.source)) {
  try {
    if (document.createElement('canvas').getContext('webgl2')) draw();
    else container.textContent = 'The map needs WebGL; the table below lists every feature.';
  } catch { container.textContent = 'The map could not be drawn; the table below lists every feature.'; }
}

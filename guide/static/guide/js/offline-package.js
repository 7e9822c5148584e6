// What "a route for offline use" is made of: one function to swap when the
// zip package endpoint with its manifest arrives (GET …/package). Today the
// package is the bundle (GET /api/v1/routes/{slug}/bundle) plus the files it
// names: the screens, the photos, the stops' audio in the chosen language and
// the vector tiles over the route.
import { api, apiUrl } from './api.js';
import { tileUrl } from './tiles.js';

const TILE_ZOOMS = [11, 12, 13, 14, 15];
const PHOTO_WIDTH = '800';
const MAX_TILES = 400;
// The map library is part of the shell a route needs offline.
const MAP_LIBRARY = ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css'].map(
  (file) => `${document.body.dataset.static}vendor/maplibre-gl/${file}`,
);

function tilesOver([west, south, east, north], zoom) {
  const n = 2 ** zoom;
  const x = (lon) => Math.floor(((lon + 180) / 360) * n);
  const y = (lat) => {
    const rad = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  };
  const tiles = [];
  for (let tx = x(west); tx <= x(east); tx += 1) {
    for (let ty = y(north); ty <= y(south); ty += 1) tiles.push([zoom, tx, ty]);
  }
  return tiles;
}

// → {version, files: [url…]}: every URL the route's screens need offline.
export async function routePackage(slug, lang) {
  const bundleUrl = apiUrl(`/api/v1/routes/${slug}/bundle`).href;
  const bundle = await api(`/api/v1/routes/${slug}/bundle`);
  const route = bundle.route.features[0];
  const stops = bundle.route.features.slice(1);
  const files = [
    bundleUrl,
    ...MAP_LIBRARY,
    apiUrl(`/api/v1/routes/${slug}`).href,
    `/${lang}/`,
    `/${lang}/routes/${slug}`,
    ...stops.map((stop) => `/${lang}/routes/${slug}/stops/${stop.properties.site}`),
  ];
  for (const site of bundle.sites.features) {
    for (const photo of site.properties.photos || []) {
      const src = photo.renditions[PHOTO_WIDTH] || Object.values(photo.renditions)[0];
      if (src) files.push(src);
    }
  }
  // The recorded audio of each stop in the package's language (the stop's
  // `audio` lists every language; the others are not needed offline).
  for (const stop of stops) {
    for (const audio of stop.properties.audio || []) if (audio.language === lang) files.push(audio.url);
  }
  const bbox = bundle.route.bbox;
  const template = tileUrl(null);
  const tiles = TILE_ZOOMS.flatMap((zoom) => tilesOver(bbox, zoom)).slice(0, MAX_TILES);
  files.push(...tiles.map(([z, x, y]) => template.replace('{z}', z).replace('{x}', x).replace('{y}', y)));
  return {
    version: route.properties.updated_at,
    name: route.properties.name,
    sites: stops.map((stop) => stop.properties.site),
    files: [...new Set(files)],
  };
}

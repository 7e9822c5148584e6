// The map: MapLibre GL JS (vendored from npm by scripts/npm.sh) drawing this
// service's own vector tiles, a route's path and its numbered stops. Without
// a basemap style (a setting) the layers sit on a plain background; without
// WebGL the page says so and the stop list below still works.
import { Map as MapLibreMap, Marker, NavigationControl } from '../vendor/maplibre-gl/maplibre-gl.mjs';
import { t } from './i18n.js';
import { tileUrl } from './tiles.js';

const IZMIR = [27.1428, 38.4237];

function plainStyle(year) {
  return {
    version: 8,
    sources: {
      heritage: { type: 'vector', tiles: [tileUrl(year)], minzoom: 0, maxzoom: 16 },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e8eef0' } },
      {
        id: 'heritage-routes',
        type: 'line',
        source: 'heritage',
        'source-layer': 'routes',
        paint: { 'line-color': '#7b8b94', 'line-width': 2 },
      },
      {
        id: 'heritage-sites',
        type: 'circle',
        source: 'heritage',
        'source-layer': 'sites',
        paint: {
          'circle-color': '#0b4f6c',
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 16, 7],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
    ],
  };
}

export function webglAvailable() {
  try {
    return Boolean(document.createElement('canvas').getContext('webgl2'));
  } catch {
    return false;
  }
}

// MapLibre's stylesheet, added with the map rather than in the page's head:
// on the route screen it would hold up the first paint of the stop list.
function mapStylesheet() {
  const href = `${document.body.dataset.static}vendor/maplibre-gl/maplibre-gl.css`;
  if ([...document.styleSheets].some((sheet) => sheet.href?.endsWith(href))) return Promise.resolve();
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
  const loaded = new Promise((resolve) => {
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve); // unstyled controls, still a map
  });
  document.head.append(link);
  return loaded;
}

// A map in `container`, resolved once its style has loaded; null without WebGL.
export async function createMap(container, { bounds, year } = {}) {
  if (!webglAvailable()) {
    container.textContent = t('map_unavailable');
    container.classList.add('map-fallback');
    return null;
  }
  await mapStylesheet();
  const basemap = document.body.dataset.basemapStyle;
  const map = new MapLibreMap({
    container,
    style: basemap || plainStyle(year),
    center: IZMIR,
    zoom: 12,
    // The page's footer carries the data attribution, always visible.
    attributionControl: false,
    cooperativeGestures: false,
    fadeDuration: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 300,
  });
  map.addControl(new NavigationControl({ showCompass: false }));
  if (bounds) map.fitBounds(bounds, { padding: 30, animate: false });
  return new Promise((resolve) => map.on('load', () => resolve(map)));
}

export function setYear(map, year) {
  const source = map?.getSource('heritage');
  if (source) source.setTiles([tileUrl(year)]);
}

export function drawPath(map, feature, schematic) {
  map.addSource('route-path', { type: 'geojson', data: feature });
  map.addLayer({
    id: 'route-path',
    type: 'line',
    source: 'route-path',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': '#9c2f16',
      'line-width': 4,
      // A schematic path is not the course: drawn dashed, and the page says so.
      ...(schematic ? { 'line-dasharray': [1.5, 1.5] } : {}),
    },
  });
}

// Numbered stop markers (DOM elements, so no font glyphs are needed).
export function drawStops(map, stops, onSelect) {
  const markers = new Map();
  for (const stop of stops) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `marker marker-${stop.designation}`;
    button.textContent = String(stop.order);
    button.setAttribute('aria-label', `${stop.order}. ${stop.name} (${t(stop.designation === 'official' ? 'official_stop' : 'proposed_stop')})`);
    button.dataset.site = stop.site;
    button.addEventListener('click', () => onSelect(stop));
    const marker = new Marker({ element: button }).setLngLat(stop.coordinates).addTo(map);
    markers.set(stop.site, { marker, element: button });
  }
  return markers;
}

export function youAreHere(map) {
  const dot = document.createElement('div');
  dot.className = 'you-are-here';
  dot.setAttribute('role', 'img');
  dot.setAttribute('aria-label', 'GPS');
  return new Marker({ element: dot });
}

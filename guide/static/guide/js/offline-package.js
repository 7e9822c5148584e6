// A route for offline use is its package: GET /api/v1/routes/{slug}/package
// (a zip whose manifest.json lists every file with its bytes and SHA-256;
// docs/adr/0012-change-feed-and-route-packages.md). It is unpacked here with
// fflate (vendored from npm by scripts/npm.sh), every file checked against
// the manifest, and each file given the URL the screens fetch online, so the
// service worker answers those URLs from the stored package when offline.
// Nothing is stored until the whole package has been checked.
import { apiUrl } from './api.js';
import { tileUrl } from './tiles.js';

const FORMAT_VERSION = 1;
const TILE_ZOOMS = [11, 12, 13, 14, 15];
const MAX_TILES = 400;
const CONTENT_TYPES = {
  geojson: 'application/geo+json',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
};

// A package that does not match its own manifest (corrupt, truncated,
// tampered with): the download is refused and nothing is kept.
export class PackageError extends Error {}

async function sha256(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// → {manifest, entries: Map(path → Uint8Array)}, every file checked.
export async function unpackChecked(zipBytes, { slug, lang }) {
  const { unzipSync, strFromU8 } = await import('../vendor/fflate/browser.js');
  let entries;
  try {
    entries = unzipSync(new Uint8Array(zipBytes));
  } catch (error) {
    throw new PackageError(`not a readable zip (${error.message})`);
  }
  if (!entries['manifest.json']) throw new PackageError('no manifest.json');
  let manifest;
  try {
    manifest = JSON.parse(strFromU8(entries['manifest.json']));
  } catch {
    throw new PackageError('manifest.json is not JSON');
  }
  if (manifest.format_version !== FORMAT_VERSION) throw new PackageError(`format version ${manifest.format_version}`);
  if (manifest.route !== slug || manifest.language !== lang) throw new PackageError('a package of another route or language');
  const listed = new Set(manifest.files.map((file) => file.path));
  const unlisted = Object.keys(entries).filter((path) => path !== 'manifest.json' && !listed.has(path));
  if (unlisted.length) throw new PackageError(`${unlisted[0]} is not in the manifest`);
  const checked = new Map();
  for (const file of manifest.files) {
    const bytes = entries[file.path];
    if (!bytes) throw new PackageError(`${file.path} is missing`);
    if (bytes.byteLength !== file.bytes) throw new PackageError(`${file.path}: ${bytes.byteLength} bytes, the manifest says ${file.bytes}`);
    if ((await sha256(bytes)) !== file.sha256) throw new PackageError(`${file.path} does not match its SHA-256`);
    checked.set(file.path, bytes);
  }
  return { manifest, entries: checked };
}

// The URL a screen fetches for a package file: the documents are the API's
// own bodies (route.geojson is GET /routes/{slug}, triggers.geojson is
// …/triggers, sites/{slug}.json is GET /sites/{slug}); media carry their
// URL in the manifest. null: nothing fetches it (the attribution is on
// every page already).
export function urlOf(file, slug) {
  if (file.path === 'route.geojson') return apiUrl(`/api/v1/routes/${slug}`).href;
  if (file.path === 'triggers.geojson') return apiUrl(`/api/v1/routes/${slug}/triggers`).href;
  const site = /^sites\/([a-z0-9-]+)\.json$/.exec(file.path);
  if (site) return apiUrl(`/api/v1/sites/${site[1]}`).href;
  return file.url ? new URL(file.url, window.location.origin).href : null;
}

export function responseOf(path, bytes) {
  const type = CONTENT_TYPES[path.split('.').pop()] || 'application/octet-stream';
  return new Response(bytes, { headers: { 'Content-Type': type, 'Content-Length': String(bytes.byteLength) } });
}

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

// What the package does not hold but the route's screens need offline,
// fetched from the server beside it: the screens themselves (server
// rendered), the map library, and the vector tiles of our own layers over
// the route (the package has no PMTiles yet).
export function shellFiles(slug, lang, route) {
  const stops = route.features.slice(1);
  const files = [
    ...['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css'].map(
      (file) => `${document.body.dataset.static}vendor/maplibre-gl/${file}`,
    ),
    `/${lang}/`,
    `/${lang}/routes/${slug}`,
    ...stops.map((stop) => `/${lang}/routes/${slug}/stops/${stop.properties.site}`),
  ];
  const template = tileUrl(null);
  const tiles = TILE_ZOOMS.flatMap((zoom) => tilesOver(route.bbox, zoom)).slice(0, MAX_TILES);
  files.push(...tiles.map(([z, x, y]) => template.replace('{z}', z).replace('{x}', x).replace('{y}', y)));
  return [...new Set(files)];
}

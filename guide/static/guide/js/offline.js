// Routes downloaded for offline use: one Cache Storage cache per route and
// language, holding the route's package (checked against its manifest,
// js/offline-package.js) under the URLs the screens fetch, the screens and
// map tiles beside it, and a record of what was stored (sizes, version, the
// change feed's cursor). A package that fails its check is refused before
// anything is written; a download that fails later is deleted, never left
// half-written.
import { api, apiUrl } from './api.js';
import { PackageError, responseOf, shellFiles, unpackChecked, urlOf } from './offline-package.js';
import { routeChanged } from './updates.js';

const PREFIX = 'guide-route:';
const MANIFEST = '/offline-manifest.json';
const PARALLEL = 4;

const cacheName = (slug, lang) => `${PREFIX}${slug}:${lang}`;

async function fetchPackage(slug, lang) {
  let response;
  try {
    response = await fetch(apiUrl(`/api/v1/routes/${slug}/package`), { credentials: 'same-origin' });
  } catch (error) {
    throw new Error(navigator.onLine ? error.message : 'offline');
  }
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  // The cursor the server read before the package: a sync from it misses nothing.
  const cursor = response.headers.get('X-Changes-Cursor');
  return { zip: await response.arrayBuffer(), cursor };
}

async function store(cache, url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  const bytes = (await response.clone().blob()).size;
  await cache.put(url, response);
  return { url, bytes };
}

export { PackageError };

export async function download(slug, lang, onProgress = () => {}) {
  const { zip, cursor: packageCursor } = await fetchPackage(slug, lang);
  const cursor = packageCursor || (await api('/api/v1/changes')).next;
  const { manifest: contents, entries } = await unpackChecked(zip, { slug, lang });
  const route = JSON.parse(new TextDecoder().decode(entries.get('route.geojson')));
  const packaged = contents.files.map((file) => ({ file, url: urlOf(file, slug) })).filter(({ url }) => url);
  const extras = shellFiles(slug, lang, route).filter((url) => !packaged.some((p) => p.url === url));
  const total = packaged.length + extras.length;
  const name = cacheName(slug, lang);
  await caches.delete(name);
  const cache = await caches.open(name);
  const stored = [];
  try {
    for (const { file, url } of packaged) {
      await cache.put(url, responseOf(file.path, entries.get(file.path)));
      stored.push({ url, bytes: file.bytes, path: file.path });
      onProgress(stored.length, total);
    }
    const queue = [...extras];
    const worker = async () => {
      while (queue.length) {
        stored.push(await store(cache, queue.shift()));
        onProgress(stored.length, total);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const present = await Promise.all(stored.map(({ url }) => cache.match(url)));
    if (present.length !== total || present.some((response) => !response)) throw new Error('incomplete download');
  } catch (error) {
    await caches.delete(name);
    throw error;
  }
  const feature = route.features[0];
  const manifest = {
    slug, lang, name: feature.properties.name, version: feature.properties.updated_at,
    data_version: contents.data_version, generated_at: contents.generated_at,
    saved_at: new Date().toISOString(), cursor,
    sites: route.features.slice(1).map((stop) => stop.properties.site),
    package_bytes: zip.byteLength,
    files: stored, bytes: stored.reduce((sum, file) => sum + file.bytes, 0),
  };
  await saveManifest(manifest);
  return manifest;
}

async function saveManifest(manifest) {
  const cache = await caches.open(cacheName(manifest.slug, manifest.lang));
  await cache.put(MANIFEST, new Response(JSON.stringify(manifest), { headers: { 'Content-Type': 'application/json' } }));
}

// Whether a downloaded route has changed (the change feed, when online);
// when it has not, the newer cursor is kept for the next look.
export async function hasUpdate(manifest) {
  const { changed, cursor } = await routeChanged(manifest);
  if (!changed && cursor && cursor !== manifest.cursor) await saveManifest({ ...manifest, cursor });
  return changed;
}

export async function downloaded() {
  if (!('caches' in window)) return [];
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
  const manifests = await Promise.all(names.map(async (name) => {
    const response = await (await caches.open(name)).match(MANIFEST);
    return response ? response.json() : null;
  }));
  return manifests.filter(Boolean);
}

export async function remove(slug, lang) {
  return caches.delete(cacheName(slug, lang));
}

export function sizeText(bytes) {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

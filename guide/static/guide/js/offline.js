// Routes downloaded for offline use: one Cache Storage cache per route and
// language, holding every file of its package and a manifest (what was
// stored, how many bytes, which version), checked after the download: a
// download missing any file is deleted, never left half-written.
import { api } from './api.js';
import { routePackage } from './offline-package.js';
import { routeChanged } from './updates.js';

const PREFIX = 'guide-route:';
const MANIFEST = '/offline-manifest.json';
const PARALLEL = 4;

const cacheName = (slug, lang) => `${PREFIX}${slug}:${lang}`;

async function store(cache, url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  const bytes = (await response.clone().blob()).size;
  await cache.put(url, response);
  return { url, bytes };
}

export async function download(slug, lang, onProgress = () => {}) {
  // The feed's cursor before the files: whatever changes after it is heard of.
  const { next: cursor } = await api('/api/v1/changes');
  const pkg = await routePackage(slug, lang);
  const name = cacheName(slug, lang);
  await caches.delete(name);
  const cache = await caches.open(name);
  const stored = [];
  try {
    const queue = [...pkg.files];
    const worker = async () => {
      while (queue.length) {
        stored.push(await store(cache, queue.shift()));
        onProgress(stored.length, pkg.files.length);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const present = await Promise.all(pkg.files.map((url) => cache.match(url)));
    if (present.some((response) => !response)) throw new Error('incomplete download');
  } catch (error) {
    await caches.delete(name);
    throw error;
  }
  const manifest = {
    slug, lang, name: pkg.name, version: pkg.version, saved_at: new Date().toISOString(), cursor, sites: pkg.sites,
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

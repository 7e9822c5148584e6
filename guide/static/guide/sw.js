// The guide's service worker (served at /sw.js, scope /).
// - App shell (scripts, styles, words, the map library): cache first.
// - Pages, API documents, photos and tiles: network first; when the network
//   fails, whatever a route download stored (js/offline.js), then the shell.
// The server replaces v1 by a digest of the guide's files (guide.views.shell_version).
const SHELL = 'guide-shell-v1';
const SHELL_FILES = [
  '/static/guide/guide.css',
  '/static/guide/strings.json',
  '/static/guide/icon.svg',
  '/static/guide/manifest.webmanifest',
  '/static/guide/js/app.js',
  '/static/guide/js/api.js',
  '/static/guide/js/i18n.js',
  '/static/guide/js/ui.js',
  '/static/guide/js/home.js',
  '/static/guide/js/route.js',
  '/static/guide/js/stop.js',
  '/static/guide/js/city.js',
  '/static/guide/js/map.js',
  '/static/guide/js/tiles.js',
  '/static/guide/js/follow.js',
  '/static/guide/js/listen.js',
  '/static/guide/js/plan.js',
  '/static/guide/js/timetravel.js',
  '/static/guide/js/offline.js',
  '/static/guide/js/offline-package.js',
  '/static/guide/js/route-data.js',
  '/static/guide/js/updates.js',
];
// The map library (1.7 MB) is not precached: a phone that only opens the
// home never downloads it. It is kept once a map screen loads it, and a route
// download stores it with the route (js/offline-package.js).

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('guide-shell-') && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const stored = (request) => caches.match(request, { ignoreVary: true });

// A cached file answered as the byte range the request asks for: audio
// players seek with Range requests, offline too (the download stored the
// whole file). One range only, as the server does (api/ranges.py).
async function ranged(request, cached) {
  const match = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get('Range') || '').trim());
  if (!match || (match[1] === '' && match[2] === '')) return cached;
  const body = await cached.arrayBuffer();
  const size = body.byteLength;
  let start = Number(match[1]);
  let end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[1] === '') {
    start = Math.max(size - Number(match[2]), 0);
    end = size - 1;
  }
  if (start >= size || start > end || (match[1] === '' && Number(match[2]) === 0)) {
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  return new Response(body.slice(start, end + 1), {
    status: 206,
    headers: {
      'Content-Type': cached.headers.get('Content-Type') || 'application/octet-stream',
      'Content-Range': `bytes ${start}-${end}/${size}`,
      'Content-Length': String(end - start + 1),
      'Accept-Ranges': 'bytes',
    },
  });
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await stored(request);
    if (cached) return new URL(request.url).pathname.startsWith('/media/') ? ranged(request, cached) : cached;
    if (/^\/api\/v1\/tiles\/.*\.mvt$/.test(new URL(request.url).pathname)) {
      // Offline, a tile nobody downloaded is "nothing drawn here", not an
      // error: tiles are revalidated (no-cache), so the browser keeps none.
      return new Response(new Uint8Array(0), { headers: { 'Content-Type': 'application/vnd.mapbox-vector-tile' } });
    }
    if (request.mode === 'navigate') {
      const home = await stored(new URL('/', self.location.origin).href);
      if (home) return home;
    }
    throw error;
  }
}

async function shellFirst(request) {
  const cached = await stored(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith('/static/guide/')) {
    (await caches.open(SHELL)).put(request, response.clone());
  }
  return response;
}

async function homeNetworkFirst(request) {
  // The home page is kept whenever it is seen, so it opens offline too.
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(SHELL)).put(request.url, response.clone());
    return response;
  } catch {
    return (await stored(request)) || Response.error();
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(shellFirst(request));
  } else if (request.mode === 'navigate' && /^\/((tr|en|de)\/)?$/.test(url.pathname)) {
    event.respondWith(homeNetworkFirst(request));
  } else if (request.mode === 'navigate' || url.pathname.startsWith('/api/v1/') || url.pathname.startsWith('/media/')) {
    event.respondWith(networkFirst(request));
  }
});

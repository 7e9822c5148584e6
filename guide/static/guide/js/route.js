// The route screen: map with the path and numbered stops, time travel,
// follow mode, the day plan and the offline download.
import { api } from './api.js';
import { t } from './i18n.js';
import { player, recordedAudio } from './listen.js';
import { PackageError, download, downloaded, hasUpdate, sizeText } from './offline.js';
import { follower } from './follow.js';
import { planForm } from './plan.js';
import { routeDocuments } from './route-data.js';
import { standing, timeTravel } from './timetravel.js';
import { clearError, element, showError } from './ui.js';

const body = document.body;
const slug = body.dataset.route;
const lang = body.dataset.lang;

function stopsOf(docs) {
  const sites = new Map(docs.sites.features.map((site) => [site.properties.slug, site.properties]));
  return docs.route.features.slice(1).map((feature) => ({
    ...feature.properties,
    coordinates: feature.geometry.coordinates,
    detail: sites.get(feature.properties.site) || {},
  }));
}

function stopHref(stop) {
  return `/${lang}/routes/${slug}/stops/${stop.site}`;
}

function openCard(stop, { speak }) {
  const card = document.getElementById('stop-card');
  const text = stop.narrative || stop.detail.description || '';
  card.replaceChildren(
    element('h3', { text: `${stop.order}. ${stop.name}` }),
    element('p', { text }),
    element('a', { href: stopHref(stop), text: t('narrative') }),
  );
  card.hidden = false;
  card.dataset.site = stop.site;
  if (speak) {
    const audio = player({ text, recording: recordedAudio(stop, lang) || recordedAudio(stop.detail, lang), lang });
    if (audio) Promise.resolve(audio.play()).catch(() => {});
  }
}

// The size the route list announces for this route's package (null before
// its first build): the tourist knows the cost before downloading.
async function announcedSize() {
  try {
    const list = await api('/api/v1/routes');
    return list.features.find((f) => f.properties.slug === slug)?.properties.package_bytes?.[lang] ?? null;
  } catch {
    return null; // offline: the download needs the network anyway
  }
}

function sizesText(manifest) {
  return `${t('downloaded')} · ${t('package_sizes', { p: sizeText(manifest.package_bytes ?? manifest.bytes), s: sizeText(manifest.bytes) })}`;
}

async function wireDownload() {
  const button = document.getElementById('download-route');
  const status = document.getElementById('download-status');
  if (!('caches' in window) || !('serviceWorker' in navigator)) {
    button.hidden = true;
    return;
  }
  const mine = (await downloaded()).find((m) => m.slug === slug && m.lang === lang);
  if (mine) {
    status.textContent = sizesText(mine);
    if (mine.version !== body.dataset.updated || await hasUpdate(mine)) {
      button.textContent = t('update_available');
      button.dataset.update = 'true';
    } else {
      button.hidden = true;
    }
  } else {
    const size = await announcedSize();
    if (size) button.textContent = t('download_size', { p: sizeText(size) });
  }
  button.addEventListener('click', async () => {
    button.disabled = true;
    delete status.dataset.refused;
    try {
      const manifest = await download(slug, lang, (n, total) => { status.textContent = t('downloading', { n, total }); });
      status.textContent = sizesText(manifest);
      status.dataset.downloaded = 'true';
      button.hidden = true;
    } catch (error) {
      if (error instanceof PackageError) {
        status.textContent = t('package_refused', { e: error.message });
        status.dataset.refused = 'true';
      } else {
        status.textContent = t('download_failed', { e: error.message });
      }
      status.classList.add('download-error');
      button.disabled = false;
    }
  });
}

export async function init() {
  planForm(slug);
  wireDownload().catch(showError);
  const docs = await routeDocuments(slug);
  const stops = stopsOf(docs);
  const route = docs.route.features[0];
  const schematic = route.properties.path_quality === 'schematic';
  // The list and every control work before the map has drawn (a slow
  // phone gets there seconds later); the map joins in when it is ready.
  const view = { map: null, markers: new Map(), here: null, year: null };
  const showYear = (year) => {
    view.year = year;
    setYearOnMap(view, year);
    const shown = stops.filter((stop) => standing(stop, year));
    for (const stop of stops) {
      const visible = shown.includes(stop);
      view.markers.get(stop.site)?.element.toggleAttribute('hidden', !visible);
      document.querySelector(`#stop-list [data-site="${stop.site}"]`).hidden = !visible;
    }
    return shown.map((stop) => stop.name);
  };
  timeTravel({ onChange: showYear });
  wireFollow(view, stops);
  // The map library (~250 KB compressed, a long parse on a slow phone) is
  // asked for only now: fetched earlier, it shared the line with the modules
  // and the bundle the list and controls wait for (bench_guide).
  drawMap(view, import('./map.js'), docs, stops, schematic).then(() => { if (view.year != null) showYear(view.year); }).catch(showError);
}

let setYearOnMap = () => {};

async function drawMap(view, mapReady, docs, stops, schematic) {
  const { createMap, drawPath, drawStops, setYear, youAreHere } = await mapReady;
  const map = await createMap(document.getElementById('map'), { bounds: docs.route.bbox });
  if (!map) return;
  drawPath(map, docs.route.features[0], schematic);
  view.markers = drawStops(map, stops, (stop) => { window.location.href = stopHref(stop); });
  view.map = map;
  view.here = youAreHere(map);
  setYearOnMap = (v, year) => setYear(v.map, year);
  document.getElementById('map').dataset.stops = String(view.markers.size);
}

function wireFollow(view, stops) {
  const follow = follower({
    slug,
    onPosition(position) {
      clearError();
      if (view.here) view.here.setLngLat([position.coords.longitude, position.coords.latitude]).addTo(view.map);
    },
    onArrive(current) {
      const stop = stops.find((s) => s.site === current.site);
      if (stop) openCard(stop, { speak: document.getElementById('autoplay').checked });
    },
    onError: showError,
  });
  const toggle = document.getElementById('follow-toggle');
  toggle.addEventListener('click', () => {
    if (follow.active) follow.stop();
    else follow.start();
    toggle.setAttribute('aria-pressed', String(follow.active));
    toggle.textContent = follow.active ? t('follow_stop') : t('follow_start');
  });
}

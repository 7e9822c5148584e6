// The home screen: downloaded routes (sizes, delete, update offers) and
// "near me". The map library is never loaded here.
import { api } from './api.js';
import { distanceText, t } from './i18n.js';
import { downloaded, hasUpdate, remove, sizeText } from './offline.js';
import { element, showError } from './ui.js';

async function listDownloads() {
  const section = document.getElementById('downloads');
  const list = document.getElementById('download-list');
  if (!('caches' in window)) return;
  const manifests = await downloaded();
  section.hidden = false;
  document.getElementById('no-downloads').hidden = manifests.length > 0;
  const rows = [...document.querySelectorAll('#route-list [data-route]')];
  const current = new Map(rows.map((li) => [li.dataset.route, li.dataset.updated]));
  // The package size the route list announces, else the one downloaded.
  const announced = new Map(rows.map((li) => [li.dataset.route, Number(li.dataset.packageBytes) || null]));
  const updates = await Promise.all(manifests.map((m) => hasUpdate(m)));
  list.replaceChildren(...manifests.map((m, index) => {
    const item = element('li', { 'data-route': m.slug }, element('a', { href: `/${m.lang}/routes/${m.slug}`, text: `${m.name} (${m.lang})` }));
    const packageBytes = (m.lang === document.body.dataset.lang && announced.get(m.slug)) || m.package_bytes || m.bytes;
    item.append(element('span', { className: 'download-sizes', text: ` · ${t('package_sizes', { p: sizeText(packageBytes), s: sizeText(m.bytes) })}` }));
    if ((current.has(m.slug) && current.get(m.slug) !== m.version) || updates[index]) {
      item.append(element('a', { href: `/${m.lang}/routes/${m.slug}`, className: 'button secondary', text: t('update') }));
    }
    const button = element('button', { type: 'button', className: 'button secondary', text: t('delete'), 'aria-label': `${t('delete')}: ${m.name}` });
    button.addEventListener('click', async () => { await remove(m.slug, m.lang); await listDownloads(); });
    item.append(button);
    return item;
  }));
}

function nearMe() {
  const status = document.getElementById('near-status');
  const list = document.getElementById('near-list');
  document.getElementById('near-me').addEventListener('click', () => {
    if (!('geolocation' in navigator)) { status.textContent = t('geo_unavailable'); return; }
    status.textContent = t('loading');
    navigator.geolocation.getCurrentPosition(async (position) => {
      try {
        const { latitude, longitude } = position.coords;
        const near = await api('/api/v1/sites/nearby', { lat: latitude.toFixed(6), lon: longitude.toFixed(6), radius: 5000, limit: 10 });
        status.textContent = '';
        list.replaceChildren(...near.features.map((f) => element('li', { text: `${f.properties.name} — ${t('distance_away', { d: distanceText(f.properties.distance_m) })}` })));
      } catch (error) {
        status.textContent = '';
        showError(error);
      }
    }, (error) => { status.textContent = error.code === 1 ? t('geo_denied') : t('geo_unavailable'); });
  });
}

export async function init() {
  nearMe();
  await listDownloads();
}

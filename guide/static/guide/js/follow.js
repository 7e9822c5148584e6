// Follow mode: the phone's position → GET /api/v1/routes/{slug}/progress.
// Shows the distance to the next stop, the share done and the time left;
// entering a stop's trigger zone opens its card (and reads it aloud when the
// tourist asked for that); off route says how far and which way back. A
// poor fix is shown as such, never as an off-route alarm.
import { api } from './api.js';
import { compassText, distanceText, durationText, t } from './i18n.js';

// Beyond this GPS accuracy a fix says little about being on or off the path.
export const POOR_ACCURACY_M = 100;

export function bearingDegrees([lon1, lat1], [lon2, lat2]) {
  const rad = Math.PI / 180;
  const y = Math.sin((lon2 - lon1) * rad) * Math.cos(lat2 * rad);
  const x = Math.cos(lat1 * rad) * Math.sin(lat2 * rad) - Math.sin(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos((lon2 - lon1) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

export function follower({ slug, onPosition, onArrive, onError }) {
  const $ = (id) => document.getElementById(id);
  const panel = $('follow-panel');
  let watch = null;
  let busy = false;
  let queued = null;
  let lastStop = null;

  function render(progress, position) {
    const p = progress.properties;
    const accuracy = position.coords.accuracy;
    $('progress-fill').style.width = `${Math.round(p.fraction * 100)}%`;
    const parts = [t('done_share', { p: Math.round(p.fraction * 100) }), t('time_left', { t: durationText(p.remaining_min) })];
    $('follow-status').textContent = parts.join(' · ');
    const next = p.next_stop;
    $('follow-next').textContent = next ? `${t('next_stop')}: ${next.order}. ${next.name} — ${t('to_next_stop', { d: distanceText(next.distance_m) })}` : t('route_finished');
    panel.dataset.nextSite = next ? next.site : '';
    panel.dataset.fraction = String(p.fraction);
    const alarm = $('follow-alarm');
    if (accuracy > POOR_ACCURACY_M) {
      alarm.hidden = false;
      alarm.dataset.kind = 'accuracy';
      alarm.textContent = t('poor_accuracy', { d: distanceText(accuracy) });
    } else if (p.off_route) {
      alarm.hidden = false;
      alarm.dataset.kind = 'off-route';
      if (p.judged_by === 'next_stop' && next) {
        // A schematic leg is not the course: point to the next stop instead.
        alarm.textContent = t('off_route_next_stop', { d: distanceText(next.distance_m), dir: compassText(p.bearing_to_next_stop_deg) });
      } else {
        const here = [position.coords.longitude, position.coords.latitude];
        const bearing = bearingDegrees(here, progress.geometry.coordinates);
        alarm.textContent = t('off_route', { d: distanceText(p.distance_to_route_m), dir: compassText(bearing) });
      }
    } else {
      alarm.hidden = true;
      alarm.dataset.kind = '';
    }
    panel.dataset.offRoute = String(!alarm.hidden && alarm.dataset.kind === 'off-route');
    const current = p.current_stop?.site || null;
    if (current && current !== lastStop) onArrive(p.current_stop);
    lastStop = current;
  }

  async function update(position) {
    if (busy) {
      queued = position;
      return;
    }
    busy = true;
    panel.dataset.geolocation = 'on';
    onPosition(position);
    try {
      const { latitude: lat, longitude: lon, accuracy } = position.coords;
      const progress = await api(`/api/v1/routes/${slug}/progress`, { lat: lat.toFixed(6), lon: lon.toFixed(6), accuracy: Math.round(accuracy) });
      render(progress, position);
    } catch (error) {
      onError(error);
    } finally {
      busy = false;
      if (queued) {
        const next = queued;
        queued = null;
        update(next);
      }
    }
  }

  // Denied: follow mode ends and the page works as a list. A fix that is
  // unavailable or late is passing (a tunnel, a wall): say so, keep watching.
  function failed(error) {
    const denied = error.code === 1;
    if (denied) stop();
    panel.hidden = false;
    $('follow-status').textContent = denied ? t('geo_denied') : t('geo_unavailable');
    panel.dataset.geolocation = denied ? 'denied' : 'unavailable';
  }

  function start() {
    if (!('geolocation' in navigator)) {
      failed({ code: 2 });
      return;
    }
    panel.hidden = false;
    panel.dataset.geolocation = 'on';
    $('follow-status').textContent = t('loading');
    watch = navigator.geolocation.watchPosition(update, failed, { enableHighAccuracy: true, maximumAge: 2000, timeout: 30000 });
  }

  function stop() {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    watch = null;
  }

  return { start, stop, get active() { return watch !== null; } };
}

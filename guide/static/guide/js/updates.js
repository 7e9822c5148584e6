// "Update available" for a downloaded route: the change feed
// (GET /api/v1/changes?since=<cursor>) read from the cursor stored with the
// download says whether anything the route shows has changed since: the
// route, one of its stops, their sites, photos or audio. A cursor too old
// for the feed (410) means the same: download again.
import { api } from './api.js';

const MAX_PAGES = 20;

function concerns(change, manifest) {
  const sites = new Set(manifest.sites || []);
  switch (change.kind) {
    case 'route': return change.key === manifest.slug;
    case 'stop':
    case 'audio': return change.route === manifest.slug;
    case 'site': return sites.has(change.key);
    case 'photo': return sites.has(change.site);
    default: return false;
  }
}

// → {changed, cursor}: whether the route changed, and the cursor to keep
// when it did not (so the next poll reads only what is newer).
export async function routeChanged(manifest) {
  if (!manifest.cursor || !navigator.onLine) return { changed: false, cursor: manifest.cursor };
  let since = manifest.cursor;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = await api('/api/v1/changes', { since });
      if (body.changes.some((change) => concerns(change, manifest))) return { changed: true, cursor: manifest.cursor };
      since = body.next;
      if (!body.has_more) break;
    }
  } catch (error) {
    if (error.status === 410 || error.status === 400) return { changed: true, cursor: manifest.cursor };
    return { changed: false, cursor: manifest.cursor }; // offline or a fault: ask next time
  }
  return { changed: false, cursor: since };
}

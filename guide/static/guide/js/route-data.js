// A route's documents as the screens read them: the route (GET
// /api/v1/routes/{slug}: the path, then the stops in order) and each stop's
// site (GET /api/v1/sites/{slug}). These are the documents a route's offline
// package holds (js/offline-package.js), so the same reads work offline.
import { api } from './api.js';

// → {route, sites: FeatureCollection of the stops' site details}.
// Online, one request: the route's bundle holds the same two documents (the
// per-stop reads cost a slow phone ~0.8 s at 150 ms RTT, bench_guide).
// Offline, or when the bundle cannot be read, the package's documents.
export async function routeDocuments(slug) {
  if (navigator.onLine) {
    try {
      return await api(`/api/v1/routes/${slug}/bundle`);
    } catch (error) {
      // Fall through: a downloaded package answers the reads below.
    }
  }
  const route = await api(`/api/v1/routes/${slug}`);
  const slugs = [...new Set(route.features.slice(1).map((stop) => stop.properties.site))];
  const sites = await Promise.all(slugs.map((site) => api(`/api/v1/sites/${site}`)));
  return { route, sites: { type: 'FeatureCollection', features: sites } };
}

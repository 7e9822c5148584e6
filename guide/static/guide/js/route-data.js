// A route's documents as the screens read them: the route (GET
// /api/v1/routes/{slug}: the path, then the stops in order) and each stop's
// site (GET /api/v1/sites/{slug}). These are the documents a route's offline
// package holds (js/offline-package.js), so the same reads work offline.
import { api } from './api.js';

// → {route, sites: FeatureCollection of the stops' site details}.
export async function routeDocuments(slug) {
  const route = await api(`/api/v1/routes/${slug}`);
  const slugs = [...new Set(route.features.slice(1).map((stop) => stop.properties.site))];
  const sites = await Promise.all(slugs.map((site) => api(`/api/v1/sites/${site}`)));
  return { route, sites: { type: 'FeatureCollection', features: sites } };
}

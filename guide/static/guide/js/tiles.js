// The URL template of this service's vector tiles, as the map asks for them
// (the same URLs are stored for offline use, so they must match exactly).
import { apiUrl } from './api.js';

export function tileUrl(year) {
  const url = apiUrl('/api/v1/tiles/0/0/0.mvt', year == null ? {} : { year });
  return decodeURI(url.href).replace('/0/0/0.mvt', '/{z}/{x}/{y}.mvt');
}

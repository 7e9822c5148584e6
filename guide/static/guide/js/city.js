// The city map: every published site from our vector tiles, with time travel.
import { api } from './api.js';
import { createMap, setYear } from './map.js';
import { timeTravel } from './timetravel.js';

export async function init() {
  const map = await createMap(document.getElementById('map'));
  timeTravel({
    async onChange(year) {
      setYear(map, year);
      if (year == null) return [];
      const sites = await api('/api/v1/sites', { year, limit: 1000 });
      return sites.features.map((f) => f.properties.name);
    },
  });
}

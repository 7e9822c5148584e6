// The stop screen: the Listen control over the transcript shown on screen.
import { routeDocuments } from './route-data.js';
import { listenButton, recordedAudio } from './listen.js';

export async function init() {
  const { route, site, lang } = document.body.dataset;
  const docs = await routeDocuments(route);
  const stop = docs.route.features.slice(1).find((f) => f.properties.site === site)?.properties;
  const detail = docs.sites.features.find((f) => f.properties.slug === site)?.properties;
  listenButton({
    button: document.getElementById('listen'),
    status: document.getElementById('listen-status'),
    text: document.getElementById('transcript').textContent.trim(),
    recording: recordedAudio(stop, lang) || recordedAudio(detail, lang),
    lang,
  });
}

// Entry point: each screen loads only the modules it needs (the home page
// never loads the map library), after the guide's words.
import { loadStrings } from './i18n.js';
import { showError, watchOnline } from './ui.js';

const body = document.body;
const screens = {
  home: () => import('./home.js'),
  route: () => import('./route.js'),
  stop: () => import('./stop.js'),
  city: () => import('./city.js'),
};

async function start() {
  await loadStrings(body.dataset.static, body.dataset.lang);
  watchOnline();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(showError);
  }
  const load = screens[body.dataset.screen];
  if (load) {
    const screen = await load();
    await screen.init();
  }
  body.dataset.ready = 'true';
}

start().catch((error) => {
  showError(error);
  body.dataset.ready = 'error';
});

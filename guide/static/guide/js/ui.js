// Page-wide messages: the offline banner and the error banner.
import { t } from './i18n.js';

export function showError(error) {
  const banner = document.getElementById('error-banner');
  banner.textContent = t('api_error', { e: error.message || String(error) });
  banner.hidden = false;
}

export function clearError() {
  document.getElementById('error-banner').hidden = true;
}

export function watchOnline() {
  const banner = document.getElementById('offline-banner');
  const update = () => {
    banner.hidden = navigator.onLine;
  };
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  update();
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

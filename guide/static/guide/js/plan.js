// Plan the day: a date and start time → GET /api/v1/routes/{slug}/plan,
// arrival and departure per stop, with a warning where a stop is closed at
// arrival or its hours are unknown.
import { api } from './api.js';
import { t } from './i18n.js';
import { element, showError } from './ui.js';

const clock = (iso) => iso.slice(11, 16);

function nextSaturday() {
  const day = new Date();
  day.setDate(day.getDate() + ((6 - day.getDay() + 7) % 7 || 7));
  return day.toISOString().slice(0, 10);
}

export function planForm(slug) {
  const form = document.getElementById('plan-form');
  const result = document.getElementById('plan-result');
  if (!form.date.value) form.date.value = nextSaturday();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const plan = await api(`/api/v1/routes/${slug}/plan`, { start: `${form.date.value}T${form.time.value}` });
      result.replaceChildren(planTable(plan));
    } catch (error) {
      showError(error);
    }
  });
}

function planTable(plan) {
  const head = element('tr', {}, ...[t('stops'), t('arrive'), t('depart'), ''].map((text) => element('th', { scope: 'col', text })));
  const rows = plan.stops.map((stop) => {
    const warning = { closed_at_arrival: t('closed_at_arrival'), hours_unknown: t('hours_unknown_warning') }[stop.warning] || '';
    return element(
      'tr',
      { 'data-site': stop.site, 'data-warning': stop.warning || '' },
      element('td', { text: `${stop.order}. ${stop.name}` }),
      element('td', { text: clock(stop.arrive) }),
      element('td', { text: clock(stop.depart) }),
      element('td', { className: warning ? 'warning' : '', text: warning }),
    );
  });
  return element('table', { className: 'plan-table' }, element('thead', {}, head), element('tbody', {}, ...rows));
}

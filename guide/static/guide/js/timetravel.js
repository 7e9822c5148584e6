// Time travel: a year slider from 6500 BCE to today. Sites are "standing" in
// a year when it lies within their start_year..end_year (no end: still
// standing); the label names the period(s) of that year.
import { t, yearText } from './i18n.js';

export const LAST_YEAR = new Date().getFullYear();

export function standing(site, year) {
  if (year == null) return true;
  if (site.start_year == null || site.start_year === '') return false;
  return Number(site.start_year) <= year && (site.end_year == null || site.end_year === '' || Number(site.end_year) >= year);
}

function periodsOf(year) {
  const periods = JSON.parse(document.getElementById('guide-periods').textContent);
  return periods.filter((p) => p.start_year <= year && (p.end_year == null || p.end_year >= year)).map((p) => p.name);
}

// Wires the slider; onChange(year or null for "all years") is debounced.
export function timeTravel({ onChange }) {
  const slider = document.getElementById('year');
  const title = document.getElementById('year-title');
  const list = document.getElementById('year-sites');
  slider.max = String(LAST_YEAR);
  let timer;
  const show = (year, names) => {
    list.replaceChildren();
    if (year == null) {
      title.textContent = t('year_all');
      return;
    }
    const period = periodsOf(year).join(' / ') || '—';
    const sites = names.length ? `: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ' …' : ''}` : ` (${t('year_none')})`;
    title.textContent = `${t('year_title', { y: yearText(year), period })}${sites}`;
    for (const name of names) {
      const item = document.createElement('li');
      item.textContent = name;
      list.append(item);
    }
  };
  const changed = (year) => {
    clearTimeout(timer);
    timer = setTimeout(async () => show(year, await onChange(year)), 150);
  };
  slider.addEventListener('input', () => changed(Number(slider.value)));
  document.getElementById('year-reset').addEventListener('click', () => {
    slider.value = String(LAST_YEAR);
    changed(null);
  });
  slider.setAttribute('aria-valuetext', yearText(Number(slider.value)));
  slider.addEventListener('input', () => slider.setAttribute('aria-valuetext', yearText(Number(slider.value))));
}

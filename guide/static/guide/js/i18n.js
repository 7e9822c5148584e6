// The guide's own words, from the same strings.json the server renders with.
let words = {};

export async function loadStrings(staticRoot, lang) {
  const response = await fetch(`${staticRoot}strings.json`);
  const all = await response.json();
  words = all[lang] || all.tr;
  return words;
}

// t('to_next_stop', {d: '300 m'}) → "300 m to the next stop"
export function t(key, values = {}) {
  const template = words[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function distanceText(metres) {
  if (metres == null) return '';
  if (metres < 1000) return t('m', { n: Math.round(metres) });
  return t('km', { n: (metres / 1000).toFixed(1) });
}

export function durationText(minutes) {
  if (minutes == null) return '';
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  return hours ? t('hours_minutes', { h: hours, m: rest }) : t('minutes', { n: rest });
}

export function yearText(year) {
  return year < 0 ? `${-year} ${t('bce')}` : String(year);
}

// Eight compass words for a bearing in degrees (0 = north, clockwise).
export function compassText(degrees) {
  const names = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'];
  return t(`dir_${names[Math.round((((degrees % 360) + 360) % 360) / 45) % 8]}`);
}

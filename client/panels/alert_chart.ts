// The alerts of a subject in the side panel: the counts and hectares in the chosen window by
// confidence, weekly bars stacked by confidence, which layer (and rule) they come from, and a CSV of
// exactly these figures. Where no alert layer reaches the place it says so: never a 0.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { ALERT_COLORS, formatDate, formatHectares, formatNumber, formatShare, type AlertAnswer } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { factList } from './details_panel';
import { translate } from '../i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const CONFIDENCE_KEYS: MessageKey[] = ['confidenceLow', 'confidenceHigh', 'confidenceHighest'];

export function appendAlertChart(root: HTMLElement, lang: Lang, a: AlertAnswer, csvUrl: string, bufferKm?: number): Chart | undefined {
  const t = (k: MessageKey) => translate(lang, k);
  const section = document.createElement('section');
  section.className = 'alert-chart';
  const h = document.createElement('h4');
  h.textContent = bufferKm ? t('alertsInBuffer').replace('{km}', formatNumber(lang, bufferKm, 1)) : t('alertsHere');
  const window = document.createElement('p');
  window.className = 'note';
  window.textContent = `${formatDate(lang, a.provenance.from)} – ${formatDate(lang, a.provenance.to)}`;
  section.append(h, window);
  root.append(section);
  if (a.covered_fraction === 0) {
    const p = document.createElement('p');
    p.textContent = t('noAlertLayer');
    section.append(p);
    return undefined;
  }
  const count = (px: number, ha: number) => `${formatNumber(lang, px)} ${t('alertPixels')} · ${formatHectares(lang, ha)}`;
  const facts = factList([
    [t('alertsTotal'), count(a.total_px, a.total_ha)],
    ...(['low', 'high', 'highest'] as const).filter((c) => a.provenance.confidence.includes(c)).map((c): [string, string] => [t(CONFIDENCE_KEYS[(['low', 'high', 'highest'] as const).indexOf(c)]!), count(a.by_confidence[c].px, a.by_confidence[c].ha)]),
    [t('coveredPart'), a.covered_fraction < 0.999 ? formatShare(lang, a.covered_fraction) : undefined],
  ]);
  const note = document.createElement('p');
  note.className = 'note layer-note';
  const l = a.provenance.layer;
  note.textContent = `${t('figuresFromAlerts')} ${l.name}${l.synthetic ? ` (${t('synthetic')})` : ''}${l.last_date ? ` · ${t('alertsUpTo')} ${formatDate(lang, l.last_date)}` : ''} · ${t('alertRule')}`;
  const link = document.createElement('a');
  link.href = csvUrl;
  link.textContent = t('downloadCsv');
  link.setAttribute('download', '');
  section.append(facts);
  if (a.days.length === 0) {
    const p = document.createElement('p');
    p.textContent = t('noAlertsInWindow');
    section.append(p, note, link);
    return undefined;
  }
  const canvas = document.createElement('canvas');
  canvas.width = 300;
  canvas.height = 140;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${t('alertsPerWeek')}: ${a.days.map((d) => `${formatDate(lang, d.date)} ${formatNumber(lang, d.alert_px)}`).join(', ')}`);
  const title = document.createElement('p');
  title.className = 'chart-title';
  title.textContent = t('alertsPerWeek');
  section.append(title, canvas, note, link);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: a.days.map((d) => formatDate(lang, d.date)),
      datasets: (['low', 'high', 'highest'] as const).map((c, i) => ({ label: t(CONFIDENCE_KEYS[i]!), data: a.days.map((d) => d.by_confidence[c].px), backgroundColor: ALERT_COLORS[i] })),
    },
    options: {
      animation: false,
      responsive: false,
      plugins: { legend: { display: true, labels: { boxWidth: 10, font: { size: 10 } } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatNumber(lang, Number(c.raw))} ${t('alertPixels')}` } } },
      scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 4 } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: t('alertPixels') }, ticks: { callback: (v) => formatNumber(lang, Number(v)) } } },
    },
  });
}

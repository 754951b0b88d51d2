// The loss-per-year chart of a popup: bars per year (the years outside the map's year range greyed),
// forest in 2000, the loss in the chosen years, the Hansen method note when the series spans it, and
// a CSV download of exactly the figures shown.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { formatHectares, formatNumber, formatShare, type LossAnswerBody } from '@atalaya/api';
import type { Lang } from '../i18n';
import { translate } from '../i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface LossChartOptions {
  lang: Lang;
  answer: LossAnswerBody;
  from: number;
  to: number;
  csvUrl: string;
  /** Buffer radius when the series is of a site's or activity's surroundings. */
  bufferKm?: number;
  /** The colours of the layer's years, the first of them `firstYear` (a layer may start after 2001). */
  colors: string[];
  firstYear: number;
}

/** Which rasters the figures come from: the loss layer, and what counts as forest. */
function layerNote(t: (k: Parameters<typeof translate>[1]) => string, p: LossAnswerBody['provenance']): HTMLElement {
  const note = document.createElement('p');
  note.className = 'note layer-note';
  const forest = p.treecover && p.threshold !== null ? t('forestRule').replace('{threshold}', String(p.threshold)).replace('{layer}', p.treecover.name) : t('forestEveryPixel');
  note.textContent = `${t('figuresFrom')} ${p.layer.name}${p.layer.version ? ` (${p.layer.version})` : ''} · ${forest}`;
  return note;
}

export function appendLossChart(root: HTMLElement, o: LossChartOptions): Chart | undefined {
  const t = (k: Parameters<typeof translate>[1]) => translate(o.lang, k);
  const section = document.createElement('section');
  section.className = 'loss-chart';
  const h = document.createElement('h4');
  h.textContent = o.bufferKm ? t('lossInBuffer').replace('{km}', formatNumber(o.lang, o.bufferKm, 1)) : t('lossPerYear');
  section.append(h);
  const ha = (v: number) => formatHectares(o.lang, v);
  if (o.answer.covered_fraction === 0) {
    const p = document.createElement('p');
    p.textContent = t('noRaster');
    section.append(p);
    root.append(section);
    return undefined;
  }
  const inRange = o.answer.years.filter((y) => y.year >= o.from && y.year <= o.to);
  const facts = document.createElement('dl');
  const fact = (label: string, value: string) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    facts.append(dt, dd);
  };
  fact(t('forest2000'), ha(o.answer.forest2000_ha));
  fact(`${t('totalLoss')} (${o.from}–${o.to})`, ha(inRange.reduce((s, y) => s + y.loss_ha, 0)));
  if (o.answer.covered_fraction < 0.999) fact(t('coveredPart'), formatShare(o.lang, o.answer.covered_fraction));
  // The series counts from 2001 whatever the layer; a layer that starts later shows its own years.
  const series = o.answer.years.filter((y) => y.year >= o.firstYear);
  const canvas = document.createElement('canvas');
  canvas.width = 300;
  canvas.height = 130;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${h.textContent}: ${series.map((y) => `${y.year} ${ha(y.loss_ha)}`).join(', ')}`);
  section.append(facts, canvas, layerNote(t, o.answer.provenance));
  for (const n of o.answer.provenance.methodology_notes) {
    const p = document.createElement('p');
    p.className = 'note';
    // The Hansen note is known, so it is shown in the user's language; others as the server gives them.
    p.textContent = n.year === 2011 ? t('hansenNote') : `${n.year}: ${n.note}`;
    section.append(p);
  }
  const a = document.createElement('a');
  a.href = o.csvUrl;
  a.textContent = t('downloadCsv');
  a.setAttribute('download', '');
  section.append(a);
  root.append(section);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: series.map((y) => String(y.year)),
      datasets: [
        {
          data: series.map((y) => y.loss_ha),
          backgroundColor: series.map((y) => (y.year >= o.from && y.year <= o.to ? (o.colors[y.year - o.firstYear] ?? '#d33') : '#ccc')),
        },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => ha(Number(c.raw)) } } },
      scales: { x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 } }, y: { beginAtZero: true, title: { display: true, text: t('hectares') }, ticks: { callback: (v) => formatNumber(o.lang, Number(v), 1) } } },
    },
  });
}

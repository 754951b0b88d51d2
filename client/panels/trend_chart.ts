// The trend near an intervention as a chart in the side panel: yearly loss rate (% of the 2000
// forest) in the buffer around the sites and in the comparison ring, the start year marked, with
// the difference-in-differences summary under it (association, not proof).
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { formatNumber, type Trend } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export function appendTrendChart(root: HTMLElement, lang: Lang, trend: Trend): Chart | undefined {
  const t = (k: MessageKey) => translate(lang, k);
  const section = document.createElement('section');
  section.className = 'trend-chart';
  const h = document.createElement('h4');
  const km = formatNumber(lang, trend.distance_m / 1000, 1);
  h.textContent = t('trendTitle').replace('{km}', km);
  section.append(h);
  root.append(section);
  if (trend.warnings.includes('not_covered')) {
    section.append(t('noRaster'));
    return undefined;
  }
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 150;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${h.textContent}: ${trend.summary[lang]}`);
  const summary = document.createElement('p');
  summary.className = 'trend-summary';
  summary.textContent = trend.summary[lang];
  const legend = document.createElement('p');
  legend.className = 'note';
  legend.textContent = t('trendZonesLegend');
  section.append(canvas, summary, legend);
  const start = trend.start_year;
  const rate = (v: number | null) => (v === null ? '—' : `${formatNumber(lang, v, 2, 2)} %`);
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: trend.years.map((y) => String(y.year)),
      datasets: [
        { label: t('trendBuffer').replace('{km}', km), data: trend.years.map((y) => y.buffer_rate_pct), borderColor: '#c62828', backgroundColor: '#c62828', pointRadius: 0, borderWidth: 2 },
        { label: t('trendRing').replace('{km}', km).replace('{km2}', formatNumber(lang, (2 * trend.distance_m) / 1000, 1)), data: trend.years.map((y) => y.ring_rate_pct), borderColor: '#1565c0', backgroundColor: '#1565c0', pointRadius: 0, borderWidth: 1.5, borderDash: [4, 3] },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      plugins: {
        legend: { labels: { boxWidth: 12, font: { size: 10 } } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${rate(c.raw as number | null)}` } },
      },
      scales: {
        x: {
          ticks: {
            maxRotation: 0,
            autoSkip: true,
            maxTicksLimit: 6,
            // The start year is marked on the axis: before it the "before" years, after it the "after".
            color: (c) => (start !== null && trend.years[c.index]?.year === start ? '#000' : '#666'),
          },
        },
        y: { beginAtZero: true, title: { display: true, text: t('trendUnit') }, ticks: { callback: (v) => formatNumber(lang, Number(v), 1) } },
      },
    },
  });
}

// Yearly loss rate in the buffer and in the comparison ring as an inline SVG line chart, with the
// start year marked: printable, no script.
import { esc } from './html';
import { formatNumber, type DisplayLang } from '../api/format';

export function trendChartSvg(years: { year: number; buffer: number | null; ring: number | null }[], startYear: number | null, labels: { buffer: string; ring: string; aria: string; unit: string }, lang: DisplayLang): string {
  const width = 520;
  const height = 120;
  const pad = { l: 34, r: 6, t: 20, b: 18 };
  if (years.length < 2) return '';
  const max = Math.max(1e-9, ...years.flatMap((y) => [y.buffer ?? 0, y.ring ?? 0]));
  const x0 = years[0]!.year;
  const x1 = years.at(-1)!.year;
  const px = (yr: number) => pad.l + ((yr - x0) / Math.max(1, x1 - x0)) * (width - pad.l - pad.r);
  const py = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const line = (k: 'buffer' | 'ring') =>
    years
      .filter((y) => y[k] !== null)
      .map((y, i) => `${i ? 'L' : 'M'}${px(y.year).toFixed(1)},${py(y[k]!).toFixed(1)}`)
      .join('');
  const ticks = years.filter((y) => y.year % 5 === 0).map((y) => `<text x="${px(y.year)}" y="${height - 5}" font-size="9" text-anchor="middle">${y.year}</text>`).join('');
  const start = startYear !== null && startYear >= x0 && startYear <= x1 ? `<line x1="${px(startYear)}" x2="${px(startYear)}" y1="${pad.t}" y2="${height - pad.b}" stroke="#555" stroke-dasharray="3 2"/>` : '';
  return `<svg class="trend-chart" role="img" aria-label="${esc(labels.aria)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">
<line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#888"/>
<text x="${pad.l - 3}" y="${pad.t + 6}" font-size="9" text-anchor="end">${formatNumber(lang, max, max < 1 ? 2 : 1)}</text><text x="${pad.l - 3}" y="${height - pad.b}" font-size="9" text-anchor="end">0</text>
<text x="2" y="${height / 2}" font-size="8" transform="rotate(-90 8 ${height / 2})">${esc(labels.unit)}</text>
${ticks}${start}
<path d="${line('ring')}" fill="none" stroke="#6d8fb3" stroke-width="1.6"/>
<path d="${line('buffer')}" fill="none" stroke="#c62828" stroke-width="1.8"/>
<g font-size="9"><rect x="${pad.l + 4}" y="4" width="9" height="3" fill="#c62828"/><text x="${pad.l + 16}" y="9">${esc(labels.buffer)}</text>
<rect x="${pad.l + 90}" y="4" width="9" height="3" fill="#6d8fb3"/><text x="${pad.l + 102}" y="9">${esc(labels.ring)}</text></g>
</svg>`;
}

// Escaping for the server-rendered pages (names and notes come from imported files and users).
import { formatHectares, formatNumber, type DisplayLang } from '../api/format';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Loss per year as an inline SVG bar chart: printable, no script, no chart library on the server. */
export function barChartSvg(years: { year: number; loss_ha: number }[], opts: { width?: number; height?: number; from?: number; label: string; lang: DisplayLang }): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 180;
  const pad = { l: 44, r: 8, t: 10, b: 24 };
  const max = Math.max(1e-9, ...years.map((y) => y.loss_ha));
  const bw = (width - pad.l - pad.r) / Math.max(1, years.length);
  const bars = years
    .map((y, i) => {
      const h = ((height - pad.t - pad.b) * y.loss_ha) / max;
      const x = pad.l + i * bw;
      const fill = opts.from !== undefined && y.year >= opts.from ? '#c62828' : '#f9a825';
      const label = i % 5 === 0 || i === years.length - 1 ? `<text x="${x + bw / 2}" y="${height - 8}" font-size="10" text-anchor="middle">${y.year}</text>` : '';
      return `<rect x="${x + 1}" y="${height - pad.b - h}" width="${Math.max(1, bw - 2)}" height="${h}" fill="${fill}"><title>${y.year}: ${formatHectares(opts.lang, y.loss_ha)}</title></rect>${label}`;
    })
    .join('');
  const ticks = [0, 0.5, 1].map((t) => `<text x="${pad.l - 4}" y="${height - pad.b - t * (height - pad.t - pad.b) + 3}" font-size="10" text-anchor="end">${formatNumber(opts.lang, t * max, max < 10 ? 1 : 0)}</text>`).join('');
  return `<svg role="img" aria-label="${esc(opts.label)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg"><line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#888"/>${ticks}${bars}<text x="8" y="${pad.t + 8}" font-size="10">ha</text></svg>`;
}

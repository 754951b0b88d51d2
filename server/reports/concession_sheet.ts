// The one-page sheet of a concession for supervision, printable (A4, print CSS), English or Spanish.
import type { ReviewRow } from '../services/concession_review.service';
import type { ReviewLayer } from '../api';
import { barChartSvg, esc } from './html';
import { formatNumber, formatShare } from '../api/format';

const text = {
  en: {
    title: 'Concession review sheet', holder: 'Holder', type: 'Type', region: 'Region', status: 'Status', contract: 'Contract start',
    area: 'Area', forest: 'Forest in 2000', total: 'Loss 2001-latest', since: 'Loss since the contract started', rateBefore: 'Loss rate before the contract',
    rateDuring: 'Loss rate during the contract', trend: 'Recent trend (last 3 years / 5 before)', ring: 'Ring of 5 km around it', peers: 'Among its peers',
    rank: (r: ReviewRow) => (r.rank ? `rank ${r.rank} of ${r.group_size} ${r.type} concessions in ${r.region} (percentile ${r.percentile})` : 'no rate'),
    flag: 'Flag', noFlag: 'Not flagged.', review: 'Review', none: 'Not reviewed yet.', chart: 'Forest loss per year inside the concession (ha); red from the contract start',
    layer: 'Loss layer', forestRule: (cover: string, t: number) => `forest = tree cover in 2000 >= ${t} % (${cover})`, everyPixel: 'every pixel counts as forest (no tree cover layer)',
    method: 'Loss: the loss layer above, pixel-centre rule, geodesic pixel areas. Rates: yearly loss over the forest remaining at the start of the year, averaged. Flag: rate during the contract above the median + k x MAD of its peers. Association, not proof of wrongdoing.',
    pctYr: '%/yr', noData: 'no data', covered: 'Covered by the loss layer',
  },
  es: {
    title: 'Ficha de revisión de la concesión', holder: 'Titular', type: 'Tipo', region: 'Región', status: 'Estado', contract: 'Inicio del contrato',
    area: 'Superficie', forest: 'Bosque en 2000', total: 'Pérdida 2001-último año', since: 'Pérdida desde el inicio del contrato', rateBefore: 'Tasa de pérdida antes del contrato',
    rateDuring: 'Tasa de pérdida durante el contrato', trend: 'Tendencia reciente (últimos 3 años / 5 anteriores)', ring: 'Anillo de 5 km alrededor', peers: 'Entre sus pares',
    rank: (r: ReviewRow) => (r.rank ? `puesto ${r.rank} de ${r.group_size} concesiones ${r.type} en ${r.region} (percentil ${r.percentile})` : 'sin tasa'),
    flag: 'Alerta', noFlag: 'Sin alerta.', review: 'Revisión', none: 'Aún sin revisar.', chart: 'Pérdida de bosque por año dentro de la concesión (ha); en rojo desde el inicio del contrato',
    layer: 'Capa de pérdida', forestRule: (cover: string, t: number) => `bosque = cobertura arbórea en 2000 >= ${t} % (${cover})`, everyPixel: 'todo píxel cuenta como bosque (sin capa de cobertura arbórea)',
    method: 'Pérdida: la capa de pérdida indicada arriba, regla del centro del píxel, áreas geodésicas. Tasas: pérdida anual sobre el bosque restante al inicio del año, promediada. Alerta: tasa durante el contrato por encima de la mediana + k x MAD de sus pares. Asociación, no prueba de infracción.',
    pctYr: '%/año', noData: 'sin datos', covered: 'Cubierto por la capa de pérdida',
  },
} as const;

export function concessionSheetHtml(r: ReviewRow & { layer: ReviewLayer }, lang: 'en' | 'es'): string {
  const t = text[lang];
  const layer = `${r.layer.name}${r.layer.version ? ` (${r.layer.version})` : ''}; ${r.layer.treecover && r.layer.threshold !== null ? t.forestRule(r.layer.treecover, r.layer.threshold) : t.everyPixel}`;
  // A missing figure says so in words, without a unit: "no data" is never a number.
  const n = (v: number | null, d = 1, unit = '') => (v === null ? `<em>${esc(t.noData)}</em>` : `${formatNumber(lang, v, d)}${unit ? ` ${unit}` : ''}`);
  const noData = lang === 'es' ? r.no_data_es : r.no_data_en;
  const pct = (f: number) => formatShare(lang, f, 1);
  const row = (label: string, value: string) => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;
  const start = r.contract_start ? Number(r.contract_start.slice(0, 4)) : undefined;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(t.title)}: ${esc(r.name)}</title>
<style>
  @page { size: A4; margin: 12mm; }
  /* Sized for one A4 page in either language (Spanish labels run longer): tested by printing to PDF. */
  body { font: 9.5pt/1.3 system-ui, sans-serif; color: #111; max-width: 186mm; margin: 0 auto; }
  h1 { font-size: 15pt; margin: 0 0 1mm; } h2 { font-size: 10.5pt; margin: 3.5mm 0 1mm; }
  p { margin: 1mm 0; }
  .sub { color: #444; margin: 0 0 3mm; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.7mm 1.5mm; border-bottom: 0.2mm solid #ddd; vertical-align: top; }
  th { font-weight: 600; width: 55%; } .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
  .flag { border: 0.5mm solid #c62828; padding: 2mm 3mm; } .ok { color: #2e7d32; } .method { font-size: 8pt; color: #555; margin-top: 4mm; }
  @media print { a { color: inherit; text-decoration: none; } }
</style></head>
<body>
<h1>${esc(r.name)}</h1>
<p class="sub">${esc(t.title)} · ${esc(r.holder)}</p>
<p class="sub">${esc(t.layer)}: ${esc(layer)}</p>
<div class="grid">
<table>
${row(t.type, esc(r.type))}${row(t.region, esc(r.region))}${row(t.status, esc(r.status))}${row(t.contract, esc(r.contract_start ?? '—'))}
${row(t.area, n(r.area_ha, 1, 'ha'))}${row(t.covered, r.covered_fraction === null ? n(null) : pct(r.covered_fraction))}${row(t.forest, n(r.forest2000_ha, 1, 'ha'))}
</table>
<table>
${row(t.total, n(r.total_loss_ha, 1, 'ha'))}${row(t.since, n(r.loss_since_contract_ha, 1, 'ha'))}
${row(t.rateBefore, n(r.rate_before_pct, 3, t.pctYr))}${row(t.rateDuring, n(r.rate_during_pct, 3, t.pctYr))}
${row(t.trend, n(r.recent_trend, 2))}
${row(`${t.ring}: ${t.since.toLowerCase()}`, n(r.ring_loss_since_contract_ha, 1, 'ha'))}
${row(`${t.ring}: ${t.rateDuring.toLowerCase()}`, n(r.ring_rate_during_pct, 3, t.pctYr))}
</table>
</div>
${noData ? `<p class="flag">${esc(noData)}</p>` : ''}
<h2>${esc(t.chart)}</h2>
${noData ? `<p>${esc(t.noData)}</p>` : barChartSvg(r.years, { label: t.chart, lang, height: 150, ...(start !== undefined ? { from: start } : {}) })}
<h2>${esc(t.peers)}</h2>
<p>${esc(t.rank(r))}</p>
<h2>${esc(t.flag)}</h2>
${r.flagged ? `<p class="flag">${esc(lang === 'es' ? r.reason_es : r.reason_en)}</p>` : `<p class="ok">${esc(t.noFlag)}</p>`}
<h2>${esc(t.review)}</h2>
${r.reviewed ? `<p>${esc(r.supervision_status)} · ${esc(r.review_note)} — ${esc(r.reviewed_by)}, ${esc(r.reviewed_at?.slice(0, 10))}</p>` : `<p>${esc(t.none)}</p>`}
<p class="method">${esc(t.method)}</p>
</body></html>`;
}

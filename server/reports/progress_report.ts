// The programme progress report as one printable page (print CSS; a browser prints it to PDF), in
// English or Spanish, with a filter form that reloads the page and links to the CSV of the same rows.
import type { ProgressReport, ReportActivity } from '../services/report.service';
import type { ReportQuery } from '../api';
import { esc } from './html';
import { formatCount, formatDate, formatDateTimeUtc, formatHectares, formatNumber, localized } from '../api/format';
import { STATUS_RULE_ES } from '../analysis/progress/progress_status';
import { DID_METHOD_ES } from '../analysis/progress/difference_in_differences';
import { trendChartSvg } from './trend_chart';

const text = {
  en: {
    lang: 'Español', other: 'es', generated: 'Generated', layer: 'Loss layer', none: 'none registered', filters: 'Filters', goal: 'Goal', area: 'Priority area',
    status: 'Activity status', progress: 'Progress', agency: 'Lead agency', search: 'Search', any: 'any', apply: 'Apply', csv: 'Download CSV', print: 'Print / PDF',
    summary: 'Summary', byGoal: 'By goal', byArea: 'By priority area', activities: 'activities', noActivities: 'No published activity matches these filters.',
    statuses: { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', no_data: 'No data' },
    actStatus: { planned: 'planned', ongoing: 'ongoing', completed: 'completed', suspended: 'suspended' } as Record<string, string>,
    indicator: 'Indicator', baseline: 'Baseline', target: 'Target', latest: 'Latest', expected: 'Expected now', noIndicators: 'No published indicators yet.',
    trend: (km: number) => `Forest loss near the sites (0–${km} km) and in the comparison ring (${km}–${2 * km} km)`, bufferLabel: (km: number) => `0–${km} km`, ringLabel: (km: number) => `ring ${km}–${2 * km} km`,
    unit: '%/yr', noTrend: 'No trend: ', computed: 'computed', smoothed: (n: number) => `mean of last ${formatCount('en', n, { one: 'year', other: 'years' })}`, sites: { one: 'site', other: 'sites' }, starts: 'starts', method: 'How the numbers are made',
    goals: 'goals', total: 'All', lead: 'Lead', noTarget: 'no target (context)',
    alerts: (km: number) => `Deforestation alerts within ${km} km, last 90 days`, alertPx: 'alert pixels', synthetic: 'synthetic', confidence: ['low', 'high', 'highest'],
  },
  es: {
    lang: 'English', other: 'en', generated: 'Generado', layer: 'Capa de pérdida', none: 'ninguna registrada', filters: 'Filtros', goal: 'Meta', area: 'Área prioritaria',
    status: 'Estado de la actividad', progress: 'Avance', agency: 'Entidad líder', search: 'Buscar', any: 'todos', apply: 'Aplicar', csv: 'Descargar CSV', print: 'Imprimir / PDF',
    summary: 'Resumen', byGoal: 'Por meta', byArea: 'Por área prioritaria', activities: 'actividades', noActivities: 'Ninguna actividad publicada coincide con estos filtros.',
    statuses: { on_track: 'En curso', at_risk: 'En riesgo', off_track: 'Desviado', no_data: 'Sin datos' },
    actStatus: { planned: 'planificada', ongoing: 'en ejecución', completed: 'concluida', suspended: 'suspendida' } as Record<string, string>,
    indicator: 'Indicador', baseline: 'Línea de base', target: 'Meta', latest: 'Último valor', expected: 'Esperado hoy', noIndicators: 'Aún sin indicadores publicados.',
    trend: (km: number) => `Pérdida de bosque cerca de los sitios (0–${km} km) y en el anillo de comparación (${km}–${2 * km} km)`, bufferLabel: (km: number) => `0–${km} km`, ringLabel: (km: number) => `anillo ${km}–${2 * km} km`,
    unit: '%/año', noTrend: 'Sin tendencia: ', computed: 'calculado', smoothed: (n: number) => (n === 1 ? 'último año' : `media de los últimos ${formatCount('es', n, { one: 'año', other: 'años' })}`), sites: { one: 'sitio', other: 'sitios' }, starts: 'inicio', method: 'Cómo se calculan las cifras',
    goals: 'metas', total: 'Todas', lead: 'Líder', noTarget: 'sin meta (contexto)',
    alerts: (km: number) => `Alertas de deforestación a menos de ${km} km, últimos 90 días`, alertPx: 'píxeles de alerta', synthetic: 'sintética', confidence: ['baja', 'alta', 'máxima'],
  },
} as const;

const STATUS_COLOURS = { on_track: '#2e7d32', at_risk: '#b26a00', off_track: '#c62828', no_data: '#666' } as const;

export function progressReportHtml(r: ProgressReport, query: ReportQuery, programme: { goals: { code: string; title: { en: string; es: string } }[]; priorityAreas: { code: string; title: { en: string; es: string } }[]; agencies: string[]; lossLayers: { name: string; version: string | null }[] }): string {
  const lang = query.lang;
  const t = text[lang];
  const n = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : formatNumber(lang, v, d));
  const badge = (s: keyof typeof STATUS_COLOURS) => `<span class="badge" style="--c:${STATUS_COLOURS[s]}">${esc(t.statuses[s])}</span>`;
  const qs = (over: Record<string, string>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...r.filters, lang })) if (v !== undefined && v !== '') p.set(k, String(v));
    for (const [k, v] of Object.entries(over)) p.set(k, v);
    return p.toString();
  };
  const select = (name: string, label: string, options: [string, string][], value: string | undefined) =>
    `<label>${esc(label)} <select name="${name}"><option value="">${esc(t.any)}</option>${options.map(([v, l]) => `<option value="${esc(v)}"${v === value ? ' selected' : ''}>${esc(l)}</option>`).join('')}</select></label>`;
  const countsRow = (label: string, c: ProgressReport['totals']) =>
    `<tr><th scope="row">${label}</th><td>${c.activities}</td>${(['on_track', 'at_risk', 'off_track', 'no_data'] as const).map((s) => `<td>${c[s] || ''}</td>`).join('')}</tr>`;
  const countsHead = `<tr><th></th><th>${esc(t.activities)}</th>${(['on_track', 'at_risk', 'off_track', 'no_data'] as const).map((s) => `<th>${badge(s)}</th>`).join('')}</tr>`;

  const indicatorTable = (a: ReportActivity) =>
    a.indicators.length === 0
      ? `<p class="muted">${esc(t.noIndicators)}</p>`
      : `<table class="ind"><thead><tr><th>${esc(t.indicator)}</th><th>${esc(t.baseline)}</th><th>${esc(t.target)}</th><th>${esc(t.latest)}</th><th>${esc(t.expected)}</th><th>${esc(t.progress)}</th></tr></thead><tbody>${a.indicators
          .map(
            (i) =>
              `<tr><td>${esc(localized(lang, i.name, i.name_es))} <span class="muted">(${esc(localized(lang, i.unit, i.unit_es))}${i.kind === 'spatial' ? `, ${esc(t.computed)}` : ''})</span></td>` +
              `<td>${i.baseline ? `${n(i.baseline.value)} <span class="muted">${i.baseline.year}</span>` : '—'}</td>` +
              `<td>${i.target ? `${n(i.target.value)} <span class="muted">${i.target.year}</span>` : '—'}</td>` +
              `<td>${i.latest ? `${n(i.latest.value)} <span class="muted">${esc(i.latest.at.slice(0, i.latest.smoothed_years > 1 ? 4 : 10))}${i.latest.smoothed_years > 1 ? `, ${esc(t.smoothed(i.latest.smoothed_years))}` : ''}</span>` : '—'}</td>` +
              `<td>${n(i.expected)}</td><td>${i.target === null ? `<span class="muted">${esc(t.noTarget)}</span>` : badge(i.status)}</td></tr>`,
          )
          .join('')}</tbody></table>`;

  const trendBlock = (a: ReportActivity) => {
    if (!a.trend) return a.trend_error ? `<p class="muted">${esc(t.noTrend)}${esc(a.trend_error)}</p>` : '';
    const km = a.trend.distance_m / 1000;
    const chart = a.trend.warnings.includes('not_covered') || a.trend.warnings.includes('no_forest')
      ? ''
      : trendChartSvg(a.trend.years.map((y) => ({ year: y.year, buffer: y.buffer_rate_pct, ring: y.ring_rate_pct })), a.trend.start_year, { buffer: t.bufferLabel(km), ring: t.ringLabel(km), aria: t.trend(km), unit: t.unit }, lang);
    return `<div class="trend"><h4>${esc(t.trend(km))}</h4>${chart}<p>${esc(a.trend.summary[lang])}</p></div>`;
  };

  const alertsBlock = (a: ReportActivity) => {
    if (!a.alerts) return '';
    const x = a.alerts;
    const parts = [x.low, x.high, x.highest].map((v, i) => `${t.confidence[i]} ${formatNumber(lang, v)}`).join(' · ');
    return `<p class="alerts"><strong>${esc(t.alerts(r.distance_m / 1000))}:</strong> ${formatNumber(lang, x.px)} ${esc(t.alertPx)} (${esc(formatHectares(lang, x.ha))}) — ${esc(parts)} <span class="muted">(${esc(x.layer)}${x.synthetic ? `, ${esc(t.synthetic)}` : ''}; ${esc(formatDate(lang, x.from))} – ${esc(formatDate(lang, x.to))})</span></p>`;
  };

  const activityBlock = (a: ReportActivity) => `<article class="activity" id="activity-${a.id}">
<h3><span class="code">${esc(a.code)}</span> ${esc(localized(lang, a.title, a.title_es))} ${badge(a.progress)}</h3>
<p class="meta">${esc(t.lead)}: ${esc(a.lead_agency)} · ${esc(t.actStatus[a.status] ?? a.status)} · ${esc(t.goals)} ${esc(a.goals.join(', '))} · ${esc(t.starts)} ${esc(a.start_date ? formatDate(lang, a.start_date) : '—')} · ${esc(formatCount(lang, a.site_count, t.sites))}</p>
${indicatorTable(a)}
${trendBlock(a)}
${alertsBlock(a)}
</article>`;

  const goalOptions = programme.goals.map((g) => [g.code, `${g.code}. ${g.title[lang]}`] as [string, string]);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title[lang])}</title>
<style>
  @page { size: A4; margin: 14mm 12mm; }
  :root { color-scheme: light; }
  body { font: 10pt/1.4 system-ui, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; padding: 6mm 4mm; }
  h1 { font-size: 17pt; margin: 0 0 1mm; } h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 0.4mm solid #1b5e20; padding-bottom: 1mm; }
  h3 { font-size: 10.5pt; margin: 0 0 1mm; } h4 { font-size: 9pt; margin: 2mm 0 1mm; font-weight: 600; color: #333; }
  .sub, .muted, .meta { color: #4a4a4a; } .meta { margin: 0 0 1.5mm; font-size: 9pt; }
  table { border-collapse: collapse; width: 100%; font-size: 9pt; } th, td { text-align: left; padding: 0.8mm 1.5mm; border-bottom: 0.2mm solid #ddd; vertical-align: top; }
  .counts { margin-bottom: 4mm; } .counts td, .counts th { text-align: center; width: 11%; } .counts th[scope=row] { text-align: left; font-weight: normal; } .counts tr > :first-child { width: 45%; } .counts caption { text-align: left; font-weight: 600; padding: 1mm 0; }
  .badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; border: 0.3mm solid var(--c); color: var(--c); font-size: 8.5pt; font-weight: 600; white-space: nowrap; }
  .activity { break-inside: avoid; page-break-inside: avoid; border: 0.2mm solid #ccc; border-radius: 1.5mm; padding: 2.5mm 3mm; margin: 0 0 3mm; }
  .code { color: #1b5e20; } .trend p { font-size: 8.8pt; margin: 1mm 0 0; } .trend-chart { max-height: 32mm; }
  form.filters { display: flex; flex-wrap: wrap; gap: 2mm 4mm; align-items: end; background: #f3f6f3; padding: 2.5mm 3mm; border-radius: 1.5mm; margin: 3mm 0; }
  form.filters label { display: flex; flex-direction: column; font-size: 8.5pt; gap: 0.5mm; } form.filters select, form.filters input { font: inherit; padding: 1mm; max-width: 58mm; }
  .actions { display: flex; gap: 4mm; align-items: center; margin: 2mm 0; } .actions a, .actions button { font: inherit; }
  .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; } .method { font-size: 8.5pt; color: #444; }
  a { color: #1b5e20; }
  @media print { .no-print { display: none !important; } body { padding: 0; } a { color: inherit; text-decoration: none; } h2 { break-after: avoid; } }
  @media (max-width: 700px) { .grid2 { grid-template-columns: 1fr; } }
</style></head>
<body>
<header>
<h1>${esc(r.title[lang])}</h1>
<p class="sub">${esc(lang === 'es' ? 'Programa de Trabajo de Cooperación Ambiental Estados Unidos–Perú' : 'U.S.–Peru Environmental Cooperation Work Program')} · ${esc(t.generated)} ${esc(formatDateTimeUtc(lang, r.generated_at))} UTC · ${esc(t.layer)}: ${esc(r.layer ? `${r.layer.name}${r.layer.version ? ` (${r.layer.version})` : ''}` : t.none)}</p>
<div class="actions no-print"><a href="?${esc(qs({ lang: t.other }))}" hreflang="${t.other}" lang="${t.other}">${esc(t.lang)}</a><a href="/api/report?${esc(qs({ format: 'csv' }))}" download>${esc(t.csv)}</a><button type="button" data-print>${esc(t.print)}</button></div>
<form class="filters no-print" method="get" action="/report" aria-label="${esc(t.filters)}">
<input type="hidden" name="lang" value="${lang}">
${select('goal', t.goal, goalOptions, r.filters.goal)}
${select('priority_area', t.area, programme.priorityAreas.map((p) => [p.code, `${p.code}. ${p.title[lang]}`] as [string, string]), r.filters.priority_area)}
${select('status', t.status, Object.entries(t.actStatus).map(([k, v]) => [k, v] as [string, string]), r.filters.status)}
${select('progress', t.progress, Object.entries(t.statuses).map(([k, v]) => [k, v] as [string, string]), r.filters.progress)}
${select('agency', t.agency, programme.agencies.map((a) => [a, a] as [string, string]), r.filters.agency)}
${programme.lossLayers.length > 1 ? `<label>${esc(t.layer)} <select name="layer">${programme.lossLayers.map((l) => `<option value="${esc(l.name)}"${l.name === r.layer?.name ? ' selected' : ''}>${esc(`${l.name}${l.version ? ` (${l.version})` : ''}`)}</option>`).join('')}</select></label>` : ''}
<label>${esc(t.search)} <input type="search" name="q" value="${esc(r.filters.q ?? '')}"></label>
<button type="submit">${esc(t.apply)}</button>
</form>
</header>
<main>
<h2>${esc(t.summary)}</h2>
<div>
<table class="counts" aria-label="${esc(t.byGoal)}"><caption class="muted">${esc(t.byGoal)}</caption><thead>${countsHead}</thead><tbody>${r.goals.map((g) => countsRow(`${esc(g.code)}. ${esc(g.title[lang])}`, g.counts)).join('')}</tbody></table>
<table class="counts" aria-label="${esc(t.byArea)}"><caption class="muted">${esc(t.byArea)}</caption><thead>${countsHead}</thead><tbody>${r.priority_areas.map((p) => countsRow(`${esc(p.code)}. ${esc(p.title[lang])}`, p.counts)).join('')}${countsRow(esc(t.total), r.totals)}</tbody></table>
</div>
${r.totals.activities === 0 ? `<p>${esc(t.noActivities)}</p>` : ''}
${r.priority_areas
  .filter((p) => p.activities.length)
  .map((p) => `<section><h2>${esc(p.code)}. ${esc(p.title[lang])}</h2>${p.activities.map(activityBlock).join('\n')}</section>`)
  .join('\n')}
<section class="method"><h2>${esc(t.method)}</h2><p>${esc(lang === 'es' ? STATUS_RULE_ES : r.status_rule)}</p><p>${esc(lang === 'es' ? DID_METHOD_ES : r.did_method)}</p></section>
</main>
<script src="/report/print.js"></script>
</body></html>`;
}

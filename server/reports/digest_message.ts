// A digest as a message: subject line, plain text and HTML, in the user's language and its number
// and date formats. Used for e-mail, and for the Atom feed's entries.
import type { Digest } from '../api';
import { ALERT_COLORS } from '../api/alerts';
import { formatDate, formatHectares, formatNumber, type DisplayLang } from '../api/format';
import { esc } from './html';

const TEXT = {
  en: {
    subject: (px: string, ha: string) => `Atalaya: ${px} new deforestation alerts (${ha}) in your subscriptions`,
    intro: 'New deforestation alerts since your last digest, by subscription:',
    alerts: (px: string, ha: string) => `${px} alerts, ${ha}`,
    dates: (a: string, b: string) => (a === b ? `dated ${a}` : `dated ${a} to ${b}`),
    confidence: { low: 'low', high: 'high', highest: 'highest' },
    confidenceLabel: 'by confidence',
    layer: 'alert layer',
    synthetic: 'synthetic demo alerts, not real detections',
    more: (n: string) => `and ${n} more`,
    skipped: 'not counted (too large for one digest)',
    open: 'Open in Atalaya',
    rule: 'Counting rule',
    ruleText: 'pixel centre inside the polygon (GDAL rasterize default); geodesic pixel areas (WGS84 ellipsoid); one alert per pixel, on its day and confidence; each alert reported once per subscription',
    settings: 'Change or stop these digests',
    legend: 'Map: alert pixels by confidence (lavender low, plum high, indigo highest) inside the green outline.',
    previewTitle: (label: string) => `Digest preview: ${label}`,
    previewNote: (days: number) => `What a digest would say about the alerts of the last ${days} days. Sign in and choose "Follow alerts here" to receive digests of what is new, by e-mail, Atom feed or webhook.`,
    previewNothing: (days: number) => `No alert in the last ${days} days.`,
    previewIntro: (days: number) => `Deforestation alerts of the last ${days} days:`,
  },
  es: {
    subject: (px: string, ha: string) => `Atalaya: ${px} nuevas alertas de deforestación (${ha}) en sus suscripciones`,
    intro: 'Nuevas alertas de deforestación desde su último resumen, por suscripción:',
    alerts: (px: string, ha: string) => `${px} alertas, ${ha}`,
    dates: (a: string, b: string) => (a === b ? `del ${a}` : `del ${a} al ${b}`),
    confidence: { low: 'baja', high: 'alta', highest: 'muy alta' },
    confidenceLabel: 'por confianza',
    layer: 'capa de alertas',
    synthetic: 'alertas sintéticas de demostración, no detecciones reales',
    more: (n: string) => `y ${n} más`,
    skipped: 'no contado (demasiado grande para un resumen)',
    open: 'Abrir en Atalaya',
    rule: 'Regla de conteo',
    ruleText: 'centro del píxel dentro del polígono (regla por defecto de GDAL rasterize); áreas geodésicas de los píxeles (elipsoide WGS84); una alerta por píxel, en su día y confianza; cada alerta se informa una sola vez por suscripción',
    settings: 'Cambiar o detener estos resúmenes',
    legend: 'Mapa: píxeles de alerta por confianza (lavanda baja, ciruela alta, índigo muy alta) dentro del contorno verde.',
    previewTitle: (label: string) => `Vista previa del resumen: ${label}`,
    previewNote: (days: number) => `Lo que diría un resumen sobre las alertas de los últimos ${days} días. Inicie sesión y elija «Seguir las alertas aquí» para recibir resúmenes de lo nuevo, por correo, canal Atom o webhook.`,
    previewNothing: (days: number) => `Ninguna alerta en los últimos ${days} días.`,
    previewIntro: (days: number) => `Alertas de deforestación de los últimos ${days} días:`,
  },
} as const;

export interface DigestMessage {
  subject: string;
  text: string;
  html: string;
}

/** `mapSrc(n)` is where the HTML finds map n: a cid: for e-mail, an URL for the feed. */
export function digestMessage(digest: Omit<Digest, 'id' | 'created_at'>, settingsUrl: string, mapSrc: (n: string) => string, intro?: string): DigestMessage {
  const lang: DisplayLang = digest.language;
  const t = TEXT[lang];
  const n = (v: number) => formatNumber(lang, v);
  const ha = (v: number) => formatHectares(lang, v);
  const conf = (b: Digest['subscriptions'][number]['layers'][number]['by_confidence']) =>
    (['low', 'high', 'highest'] as const).filter((c) => b[c].px > 0).map((c) => `${t.confidence[c]} ${n(b[c].px)} (${ha(b[c].ha)})`).join(', ');
  const text: string[] = [intro ?? t.intro, ''];
  const html: string[] = [`<div style="font-family:sans-serif;max-width:640px"><p>${esc(intro ?? t.intro)}</p>`];
  for (const s of digest.subscriptions) {
    text.push(`# ${s.label}`);
    html.push(`<h2 style="font-size:16px;margin:18px 0 6px">${esc(s.label)}</h2>`);
    for (const l of s.layers) {
      const dates = t.dates(formatDate(lang, l.first_date), formatDate(lang, l.last_date));
      const head = `${t.alerts(n(l.px), ha(l.ha))}, ${dates}; ${t.confidenceLabel}: ${conf(l.by_confidence)}`;
      const layerNote = `${t.layer}: ${l.layer}${l.synthetic ? ` (${t.synthetic})` : ''}`;
      text.push(head, layerNote);
      html.push(`<p style="margin:4px 0"><b>${esc(t.alerts(n(l.px), ha(l.ha)))}</b>, ${esc(dates)}<br>${esc(t.confidenceLabel)}: ${(['low', 'high', 'highest'] as const)
        .filter((c) => l.by_confidence[c].px > 0)
        .map((c, i) => `<span style="display:inline-block;width:10px;height:10px;background:${ALERT_COLORS[['low', 'high', 'highest'].indexOf(c)]};margin:0 3px 0 ${i ? 6 : 0}px"></span>${esc(`${t.confidence[c]} ${n(l.by_confidence[c].px)} (${ha(l.by_confidence[c].ha)})`)}`)
        .join('')}<br><small>${esc(layerNote)}</small></p>`);
      if (l.map !== null) html.push(`<img src="${esc(mapSrc(l.map))}" alt="${esc(t.legend)}" style="border:1px solid #ccc;max-width:100%"><br><small>${esc(t.legend)}</small>`);
      html.push('<ul style="margin:6px 0;padding-left:18px">');
      for (const subject of l.subjects) {
        text.push(`- ${subject.name}: ${t.alerts(n(subject.px), ha(subject.ha))} - ${subject.link}`);
        html.push(`<li>${esc(subject.name)}: ${esc(t.alerts(n(subject.px), ha(subject.ha)))} · <a href="${esc(subject.link)}">${esc(t.open)}</a></li>`);
      }
      if (l.more) {
        text.push(`- ${t.more(n(l.more))}`);
        html.push(`<li>${esc(t.more(n(l.more)))}</li>`);
      }
      for (const k of l.skipped) {
        text.push(`- ${k.name || '…'}: ${t.skipped} (${k.reason})`);
        html.push(`<li>${esc(k.name || '…')}: ${esc(t.skipped)} <small>(${esc(k.reason)})</small></li>`);
      }
      html.push('</ul>');
      text.push('');
    }
  }
  text.push(`${t.rule}: ${t.ruleText}`, `${t.settings}: ${settingsUrl}`);
  html.push(`<p style="color:#555;font-size:12px">${esc(t.rule)}: ${esc(t.ruleText)}<br><a href="${esc(settingsUrl)}">${esc(t.settings)}</a></p></div>`);
  return { subject: t.subject(n(digest.total_px), ha(digest.total_ha)), text: text.join('\n'), html: html.join('\n') };
}

/** A whole page showing what a digest of a subject's last days would say (maps inline). */
export function digestPreviewPage(digest: Omit<Digest, 'id' | 'created_at'>, label: string, days: number, maps: Buffer[], settingsUrl: string): string {
  const t = TEXT[digest.language];
  const body = digest.subscriptions.length ? digestMessage(digest, settingsUrl, (n) => `data:image/png;base64,${maps[Number(n)]!.toString('base64')}`, t.previewIntro(days)).html : `<p>${esc(t.previewNothing(days))}</p>`;
  return `<!doctype html><html lang="${digest.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(t.previewTitle(label))}</title></head>
<body style="margin:16px"><h1 style="font-family:sans-serif;font-size:20px">${esc(t.previewTitle(label))}</h1><p style="font-family:sans-serif;color:#555">${esc(t.previewNote(days))}</p>${body}</body></html>`;
}

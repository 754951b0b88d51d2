// The field report form, drawn from the package's forms (labels in English and Spanish): an alert's
// verification (result, cause, a refined outline drawn on the map, notes) or a site's visit
// (observations, a value per indicator of its activity); with the device's position (refused when
// too coarse) and photos resized on the device. Saved to the queue on this device, never sent from
// here: the sync sends it when there is a connection.
import { ALERT_CAUSES, FIELD_FORMS, formatCount, formatDate, formatNumber, type FieldOutline, type FieldReportInput } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import { currentPosition, PositionError, resizePhoto, type DevicePosition } from '../offline/field_capture';
import { queueReport, type QueuedPhoto } from '../offline/report_queue';
import { actionButton, heading, labelled, note, statusLine } from './details_panel';

export interface PackageAlert {
  id: string;
  lon: number;
  lat: number;
  date: string;
  confidence: string;
  area_ha: number;
}

export interface PackageSite {
  id: number;
  name: string;
  activity_id: number;
}

export interface PackageIndicator {
  id: number;
  name: string;
  name_es: string | null;
  unit: string;
  unit_es: string | null;
  /** 'manual' ones are measured in the field; 'spatial' ones are computed from the map's data. */
  kind: string;
}

export type ReportSubject = { kind: 'alert'; alert: PackageAlert } | { kind: 'visit'; site: PackageSite; indicators: PackageIndicator[] };

export interface FormContext {
  accuracyLimitM: number;
  /** Starts drawing a polygon on the map (resolved once the map takes taps); calls back with it. */
  drawOutline: (done: (outline: GeoJSON.Polygon) => void) => Promise<void>;
  clearOutline: () => void;
  /** The form is done (saved or cancelled). */
  close: (saved: boolean) => void;
}

const MAX_PHOTOS = 6;
const CONFIDENCE_KEYS: Record<string, MessageKey> = { low: 'confidenceLow', high: 'confidenceHigh', highest: 'confidenceHighest' };

export function renderReportForm(root: HTMLElement, lang: Lang, subject: ReportSubject, ctx: FormContext): void {
  const t = (k: MessageKey) => translate(lang, k);
  const forms = FIELD_FORMS;
  const form = document.createElement('form');
  form.className = 'field-report';
  form.noValidate = true;
  const status = statusLine();
  let position: DevicePosition | undefined;
  let outline: GeoJSON.Polygon | undefined;
  const photos: Omit<QueuedPhoto, 'sent'>[] = [];

  if (subject.kind === 'alert') {
    const a = subject.alert;
    form.append(heading(forms.alert_verification.title[lang]), note(`${t('alertOfDate')} ${formatDate(lang, a.date)}, ${t(CONFIDENCE_KEYS[a.confidence] ?? 'confidenceHigh')}, ${formatNumber(lang, a.area_ha, 2)} ha`));
  } else {
    form.append(heading(forms.site_visit.title[lang]), note(`${t('visitOf')} ${subject.site.name}`));
  }

  // The questions of each kind.
  const result = document.createElement('fieldset');
  const cause = document.createElement('select');
  const notes = document.createElement('textarea');
  const measurementInputs: { id: number; input: HTMLInputElement }[] = [];
  if (subject.kind === 'alert') {
    const legend = document.createElement('legend');
    legend.textContent = forms.alert_verification.result.label[lang];
    result.append(legend);
    for (const [value, label] of Object.entries(forms.alert_verification.result.options)) {
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'result';
      input.value = value;
      input.checked = value === 'confirmed';
      const l = document.createElement('label');
      l.append(input, ` ${label[lang]}`);
      result.append(l);
    }
    cause.name = 'cause';
    cause.add(new Option('—', ''));
    for (const c of ALERT_CAUSES) cause.add(new Option(forms.alert_verification.cause.options[c][lang], c));
    notes.name = 'notes';
    notes.rows = 3;
    notes.maxLength = 4000;
    const outlineLine = note('');
    const drawButton = actionButton(t('drawOutline'), { action: 'draw-outline' }, () => void (async () => {
      // The hint shows once the drawing tool (loaded on first use) takes taps.
      await ctx.drawOutline((poly) => {
        outline = poly;
        outlineLine.textContent = `${t('outlineDrawnWith')} ${formatNumber(lang, poly.coordinates[0]!.length - 1)}`;
      });
      outlineLine.textContent = t('drawOutlineHint');
    })());
    const clearButton = actionButton(t('clearOutline'), { action: 'clear-outline' }, () => {
      outline = undefined;
      ctx.clearOutline();
      outlineLine.textContent = '';
    });
    const outlineBox = document.createElement('div');
    outlineBox.className = 'outline';
    outlineBox.append(note(forms.alert_verification.outline[lang]), drawButton, clearButton, outlineLine);
    form.append(result, labelled(forms.alert_verification.cause.label[lang], cause), outlineBox, labelled(forms.alert_verification.notes[lang], notes));
  } else {
    notes.name = 'observations';
    notes.rows = 3;
    notes.maxLength = 4000;
    form.append(labelled(forms.site_visit.observations[lang], notes));
    const measured = subject.indicators.filter((i) => i.kind === 'manual');
    if (measured.length) {
      const box = document.createElement('fieldset');
      const legend = document.createElement('legend');
      legend.textContent = forms.site_visit.measurements[lang];
      box.append(legend);
      for (const i of measured) {
        const input = document.createElement('input');
        input.type = 'number';
        input.step = 'any';
        input.inputMode = 'decimal';
        input.name = `indicator-${i.id}`;
        const unit = (lang === 'es' ? i.unit_es : null) ?? i.unit;
        box.append(labelled(`${(lang === 'es' ? i.name_es : null) ?? i.name} (${unit})`, input));
        measurementInputs.push({ id: i.id, input });
      }
      form.append(box);
    }
  }

  // Where the device is, and its photos.
  const positionLine = note('');
  positionLine.dataset.role = 'position';
  const positionButton = actionButton(t('takePosition'), { action: 'take-position' }, () => void (async () => {
    positionLine.textContent = t('positionTaking');
    try {
      position = await currentPosition(ctx.accuracyLimitM);
      positionLine.textContent = `${formatNumber(lang, position.lat, 5, 5)}, ${formatNumber(lang, position.lon, 5, 5)} (${t('positionAccuracy')} ${formatNumber(lang, position.accuracy_m)} m)`;
    } catch (e) {
      position = undefined;
      const err = e instanceof PositionError ? e : new PositionError('unavailable');
      positionLine.textContent = err.reason === 'inaccurate'
        ? t('positionInaccurate').replace('{m}', formatNumber(lang, err.accuracyM ?? 0)).replace('{limit}', formatNumber(lang, ctx.accuracyLimitM))
        : t(err.reason === 'denied' ? 'positionDenied' : 'positionUnavailable');
    }
  })());
  const positionBox = document.createElement('div');
  positionBox.className = 'position';
  positionBox.append(note(forms.position.label[lang]), positionButton, positionLine);

  const photoInput = document.createElement('input');
  photoInput.type = 'file';
  photoInput.accept = 'image/jpeg,image/png,image/webp';
  photoInput.multiple = true;
  photoInput.setAttribute('capture', 'environment');
  photoInput.name = 'photos';
  const photoLine = note('');
  photoInput.addEventListener('change', () => void (async () => {
    for (const file of [...(photoInput.files ?? [])]) {
      if (photos.length >= MAX_PHOTOS) {
        photoLine.textContent = t('photosAtMost');
        break;
      }
      try {
        const blob = await resizePhoto(file);
        // The photo keeps when and where it was taken: the file's time and the position taken for this report.
        photos.push({ id: crypto.randomUUID(), blob, taken_at: new Date(file.lastModified || Date.now()).toISOString(), lon: position?.lon ?? null, lat: position?.lat ?? null });
      } catch (e) {
        photoLine.textContent = (e as Error).message;
      }
    }
    photoInput.value = '';
    photoLine.textContent = formatCount(lang, photos.length, { one: t('photoOne'), other: t('photoOther') });
  })());
  const photoBox = document.createElement('div');
  photoBox.className = 'photos';
  photoBox.append(labelled(t('addPhotos'), photoInput), photoLine);

  const save = actionButton(t('saveReport'), { action: 'save-report' }, () => void (async () => {
    if (!position) return status.say(t('positionNeeded'), true);
    const base = { id: crypto.randomUUID(), position, observed_at: new Date().toISOString(), photo_count: photos.length };
    let input: FieldReportInput;
    if (subject.kind === 'alert') {
      const chosen = (form.querySelector<HTMLInputElement>('input[name=result]:checked')?.value ?? 'confirmed') as 'confirmed' | 'false_positive';
      if (chosen === 'confirmed' && !cause.value) return status.say(t('causeNeeded'), true);
      input = { ...base, kind: 'alert', alert: subject.alert.id, result: chosen, ...(cause.value ? { cause: cause.value as (typeof ALERT_CAUSES)[number] } : {}), ...(outline ? { outline: outline as FieldOutline } : {}), notes: notes.value };
    } else {
      const measurements = measurementInputs.filter((m) => m.input.value !== '' && Number.isFinite(Number(m.input.value))).map((m) => ({ indicator_id: m.id, value: Number(m.input.value) }));
      input = { ...base, kind: 'visit', site_id: subject.site.id, observations: notes.value, measurements };
    }
    save.disabled = true;
    await queueReport(input, photos, subject.kind === 'alert' ? { alert_date: subject.alert.date } : { site_name: subject.site.name });
    ctx.clearOutline();
    status.say(t('reportSaved'));
    ctx.close(true);
  })());
  save.classList.add('primary');
  const cancel = actionButton(t('cancel'), { action: 'cancel-report' }, () => {
    ctx.clearOutline();
    ctx.close(false);
  });
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(save, cancel);
  form.append(positionBox, photoBox, buttons, status);
  form.addEventListener('submit', (e) => e.preventDefault());
  root.replaceChildren(form);
}

// The layer list: per layer a visibility box, an opacity slider and a legend; the year range of the
// forest loss under it. Every control has a label, so it works with a keyboard and a screen reader.
import { ALERT_COLORS, formatDate, formatNumber, type AlertLayer, type AreaKind, type ContextLayer, type VectorAlertLayer } from '@atalaya/api';
import { VECTOR_ALERT_COLOR } from '../layers/alert_layers';
import type { AlertWindow } from '../api/alerts';
import type { AlertView } from '../state/app_state';
import { CONTEXT_COLOR, contextGroup } from '../layers/context_layers';
import { areaLegend, areaStyle, priorityAreaColors } from '../layers/area_layers';
import type { Lang, MessageKey } from '../i18n';
import { translate, translateCode } from '../i18n';

/** One registered loss layer, as the picker lists it. */
export interface LossChoice {
  name: string;
  version: string | null;
  firstYear: number;
  lastYear: number;
  /** The synthetic demo raster says so in its label. */
  synthetic: boolean;
  /** The server's default analysis layer. */
  isDefault: boolean;
  source?: string;
  licence?: string;
}

export interface LossControl extends LossChoice {
  layer: string;
  /** Every ready loss layer, for the picker (the active one among them). */
  choices: LossChoice[];
  treecoverSynthetic?: boolean;
  /** Tree cover layer that masks the loss to forest, when there is one. */
  treecover?: string;
  firstYear: number;
  lastYear: number;
  from: number;
  to: number;
  colors: string[];
}

/** The alert layer's control: which window and confidences are shown. */
export interface AlertControl {
  /** The raster alert layer, when there is one. */
  layer: AlertLayer | undefined;
  /** Layers of point or polygon alerts (GeoBosques), drawn in one colour. */
  vector: VectorAlertLayer[];
  view: AlertView | undefined;
  window: AlertWindow;
}

export interface LayerPanelModel {
  loss?: LossControl;
  alerts?: AlertControl;
  lang: Lang;
  kinds: AreaKind[];
  contextLayers: ContextLayer[];
  siteCount: number | undefined;
  visible: (group: string) => boolean;
  opacity: (group: string) => number;
  databaseKind?: 'embedded' | 'server';
  status?: { text: string; error: boolean };
  basemapNote: string;
}

export interface LayerPanelEvents {
  onToggle(group: string, visible: boolean): void;
  onOpacity(group: string, opacity: number): void;
  onYears(from: number, to: number): void;
  onLossLayer(name: string): void;
  onAlerts(view: AlertView): void;
}

function span(text: string): HTMLElement {
  const s = document.createElement('span');
  s.textContent = text;
  return s;
}

function legendList(items: { color: string; label: string; round?: boolean }[]): HTMLElement {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const i of items) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = i.round ? 'swatch round' : 'swatch';
    sw.style.background = i.color;
    li.append(sw, i.label);
    ul.append(li);
  }
  return ul;
}

type Translate = (k: MessageKey) => string;

export function renderLayerPanel(root: HTMLElement, model: LayerPanelModel, events: LayerPanelEvents): void {
  const t: Translate = (k) => translate(model.lang, k);
  const heading = document.createElement('h2');
  heading.textContent = t('layers');
  const layer = (group: string, label: string, count: number | undefined, swatch: string, legend?: HTMLElement) => layerBox(t, model, events, { group, label, count, swatch, legend });
  const parts: HTMLElement[] = [heading];
  for (const kind of model.kinds) {
    const s = areaStyle(kind.code);
    const entries = areaLegend(kind.code);
    const legend = entries.length > 1 ? legendList(entries.map((e) => ({ color: e.color, label: e.value ? translateCode(model.lang, e.value) : t('other') }))) : undefined;
    // A kind whose areas all come from the demo generator says so in its name.
    const synthetic = kind.sources.length > 0 && kind.sources.every((s) => s.synthetic);
    parts.push(layer(kind.code, synthetic ? `${kind.label[model.lang]} (${t('synthetic')})` : kind.label[model.lang], kind.count, s.byAttribute ? `linear-gradient(90deg, ${Object.values(s.byAttribute.colors).join(', ')})` : s.fill, legend));
  }
  parts.push(layer('sites', t('sites'), model.siteCount, `conic-gradient(${Object.values(priorityAreaColors).join(', ')})`,
    legendList([...Object.entries(priorityAreaColors).map(([code, color]) => ({ color, label: `${t('priorityArea')} ${code}`, round: true })), { color: '#37474f', label: t('clusterLegend'), round: true }])));
  // Other programmes' projects: named with their source and licence, so no one takes them for the programme's.
  for (const c of model.contextLayers.filter((l) => l.count > 0)) {
    const about = document.createElement('p');
    about.className = 'layer-about';
    about.textContent = `${t('layerSource')}: ${c.source} · ${t('layerLicence')}: ${c.licence}`;
    parts.push(layer(contextGroup(c.code), c.label[model.lang], c.count, `radial-gradient(circle, #fff 35%, ${CONTEXT_COLOR} 40%)`, about));
  }
  if (model.loss) {
    const loss = model.loss;
    // Each layer says which it is: the synthetic demo raster, or a real layer by its name and version.
    const lossLabel = loss.synthetic ? `${t('forestLoss')} (${t('syntheticRaster')})` : `${t('forestLoss')}: ${loss.layer}${loss.version ? ` (${loss.version})` : ''}`;
    const legend = document.createElement('div');
    legend.append(...lossLayerPicker(t, loss, events), yearRange(t, loss, events));
    parts.push(layer('loss', lossLabel, undefined, `linear-gradient(90deg, ${loss.colors.join(', ')})`, legend));
    if (loss.treecover) parts.push(layer('treecover', loss.treecoverSynthetic ? `${t('treecover')} (${t('syntheticRaster')})` : `${t('treecover')}: ${loss.treecover}`, undefined, '#2e7d32', treecoverScale()));
  }
  if (model.alerts) {
    const a = model.alerts;
    const label = a.layer?.synthetic ? `${t('alerts')} (${t('synthetic')})` : a.layer ? `${t('alerts')}: ${a.layer.name}` : t('alerts');
    parts.push(layer('alerts', label, undefined, `linear-gradient(90deg, ${ALERT_COLORS.join(', ')})`, alertControls(t, model.lang, a, events)));
  }
  root.replaceChildren(...parts, ...statusNotes(t, model));
}

/** Window (last 7/30/90 days or two dates), confidence boxes that are also the legend, and the source. */
function alertControls(t: Translate, lang: Lang, a: AlertControl, events: LayerPanelEvents): HTMLElement {
  const box = document.createElement('div');
  box.className = 'alert-controls';
  const view = a.view ?? {};
  const custom = Boolean(view.from && view.to);
  const windowLabel = document.createElement('label');
  windowLabel.className = 'alert-window';
  const select = document.createElement('select');
  select.dataset.alertWindow = '';
  for (const [value, key] of [['7', 'alertLast7'], ['30', 'alertLast30'], ['90', 'alertLast90'], ['custom', 'alertCustom']] as const) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = t(key);
    o.selected = custom ? value === 'custom' : value === String(view.days ?? 30);
    select.append(o);
  }
  const keep = view.confidence ? { confidence: view.confidence } : {};
  select.addEventListener('change', () => {
    if (select.value === 'custom') events.onAlerts({ from: a.window.from, to: a.window.to, ...keep });
    else events.onAlerts({ days: Number(select.value) as 7 | 30 | 90, ...keep });
  });
  windowLabel.append(span(t('alertWindow')), select);
  box.append(windowLabel);
  if (custom) {
    const dates = document.createElement('div');
    dates.className = 'alert-dates';
    const input = (which: 'from' | 'to') => {
      const i = document.createElement('input');
      i.type = 'date';
      i.value = which === 'from' ? a.window.from : a.window.to;
      i.min = '2015-01-01';
      i.dataset.alertDate = which;
      i.setAttribute('aria-label', t(which === 'from' ? 'alertFrom' : 'alertTo'));
      i.addEventListener('change', () => {
        const from = which === 'from' ? i.value : a.window.from;
        const to = which === 'to' ? i.value : a.window.to;
        if (from && to && from <= to) events.onAlerts({ from, to, ...keep });
      });
      return i;
    };
    dates.append(input('from'), input('to'));
    box.append(dates);
  } else {
    const p = document.createElement('p');
    p.className = 'layer-about';
    p.textContent = `${formatDate(lang, a.window.from)} – ${formatDate(lang, a.window.to)}`;
    box.append(p);
  }
  // The legend is the filter: one box per confidence, in its colour.
  const legend = document.createElement('ul');
  legend.className = 'legend alert-confidence';
  const shown = new Set(view.confidence ?? ['low', 'high', 'highest']);
  (a.layer ? (['low', 'high', 'highest'] as const) : []).forEach((c, i) => {
    const li = document.createElement('li');
    const l = document.createElement('label');
    const check = document.createElement('input');
    check.type = 'checkbox';
    check.checked = shown.has(c);
    check.dataset.alertConfidence = c;
    check.addEventListener('change', () => {
      const next = (['low', 'high', 'highest'] as const).filter((x) => (x === c ? check.checked : shown.has(x)));
      if (next.length === 0) {
        check.checked = true; // at least one confidence stays
        return;
      }
      const { confidence: _drop, ...rest } = view;
      events.onAlerts(next.length === 3 ? rest : { ...rest, confidence: next });
    });
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = ALERT_COLORS[i]!;
    l.append(check, sw, t(i === 0 ? 'confidenceLow' : i === 1 ? 'confidenceHigh' : 'confidenceHighest'));
    li.append(l);
    legend.append(li);
  });
  // Point and polygon alerts have no confidence: one swatch each, with their maker and licence.
  for (const v of a.vector) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch round';
    sw.style.background = VECTOR_ALERT_COLOR;
    li.append(sw, `${v.name} (${formatNumber(lang, v.alerts)}) · ${v.attribution} · ${v.licence}`);
    legend.append(li);
  }
  box.append(legend);
  if (!a.layer) return box;
  const layerInfo = a.layer;
  const about = document.createElement('p');
  about.className = 'layer-about';
  // Demo alerts are described in the reader's language; a real layer by its publisher's own words.
  const source = layerInfo.synthetic ? t('demoAlertsSource') : layerInfo.attribution ? `${t('layerSource')}: ${layerInfo.attribution}` : undefined;
  about.textContent = [source, !layerInfo.synthetic && layerInfo.licence ? `${t('layerLicence')}: ${layerInfo.licence}` : undefined, layerInfo.last_date ? `${t('alertsUpTo')} ${formatDate(lang, layerInfo.last_date)}` : undefined].filter(Boolean).join(' · ');
  box.append(about);
  return box;
}

/** One layer group: visibility box, swatch, name, count, opacity slider, and its legend. */
function layerBox(t: Translate, model: LayerPanelModel, events: LayerPanelEvents, g: { group: string; label: string; count: number | undefined; swatch: string; legend: HTMLElement | undefined }): HTMLElement {
  const { group, label } = g;
  const box = document.createElement('div');
  box.className = `layer layer-${group}`;
  const row = document.createElement('label');
  row.className = 'layer-row';
  const check = document.createElement('input');
  check.type = 'checkbox';
  check.checked = model.visible(group);
  check.dataset.group = group;
  check.addEventListener('change', () => events.onToggle(group, check.checked));
  const sw = document.createElement('span');
  sw.className = 'swatch';
  sw.style.background = g.swatch;
  const name = document.createElement('span');
  name.textContent = label;
  row.append(check, sw, name);
  if (g.count !== undefined) {
    const c = document.createElement('span');
    c.className = 'count';
    c.textContent = formatNumber(model.lang, g.count);
    row.append(c);
  }
  const opacity = document.createElement('input');
  opacity.type = 'range';
  opacity.min = '0';
  opacity.max = '100';
  opacity.step = '5';
  opacity.value = String(Math.round(model.opacity(group) * 100));
  opacity.dataset.opacity = group;
  opacity.className = 'opacity';
  opacity.setAttribute('aria-label', `${t('opacity')}: ${label}`);
  opacity.addEventListener('input', () => events.onOpacity(group, Number(opacity.value) / 100));
  box.append(row, opacity);
  if (g.legend) box.append(g.legend);
  return box;
}

/** What a loss layer is called in the picker: name, version, years, source (and whether it is the default or synthetic). */
function choiceLabel(t: Translate, c: LossChoice): string {
  const parts = [`${c.name}${c.version ? ` (${c.version})` : ''}`, `${c.firstYear}–${c.lastYear}`];
  if (c.source) parts.push(c.source);
  if (c.synthetic) parts.push(t('syntheticRaster'));
  if (c.isDefault) parts.push(t('defaultLayer'));
  return parts.join(' · ');
}

/** The choice among the registered loss layers (when there are several) and what the active one is. */
function lossLayerPicker(t: Translate, loss: LossControl, events: LayerPanelEvents): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (loss.choices.length > 1) {
    const label = document.createElement('label');
    label.className = 'loss-layer';
    const select = document.createElement('select');
    select.dataset.lossLayer = '';
    for (const c of loss.choices) {
      const o = document.createElement('option');
      o.value = c.name;
      o.textContent = choiceLabel(t, c);
      o.selected = c.name === loss.layer;
      select.append(o);
    }
    select.addEventListener('change', () => events.onLossLayer(select.value));
    label.append(span(t('lossLayer')), select);
    out.push(label);
  }
  // Source and licence are names, the same in both languages.
  const about = [loss.source ? `${t('layerSource')}: ${loss.source}` : undefined, loss.licence ? `${t('layerLicence')}: ${loss.licence}` : undefined].filter((v): v is string => v !== undefined);
  if (about.length) {
    const p = document.createElement('p');
    p.className = 'layer-about';
    p.textContent = about.join(' · ');
    out.push(p);
  }
  return out;
}

/** The loss years: two sliders (from, to; never crossing) over the colour scale of the years. */
function yearRange(t: Translate, loss: LossControl, events: LayerPanelEvents): HTMLElement {
  const years = document.createElement('div');
  years.className = 'years';
  const label = document.createElement('span');
  label.textContent = `${t('years')}: ${loss.from}–${loss.to}`;
  label.id = 'years-label';
  // The range as the sliders last set it: the panel is not rebuilt while a slider is dragged.
  const range = { from: loss.from, to: loss.to };
  const slider = (value: number, name: 'from' | 'to') => {
    const input = document.createElement('input');
    input.type = 'range';
    input.min = String(loss.firstYear);
    input.max = String(loss.lastYear);
    input.value = String(value);
    input.dataset.years = name;
    input.setAttribute('aria-label', t(name === 'from' ? 'yearFrom' : 'yearTo'));
    input.addEventListener('input', () => {
      let from = name === 'from' ? Number(input.value) : range.from;
      let to = name === 'to' ? Number(input.value) : range.to;
      if (from > to) [from, to] = name === 'from' ? [from, from] : [to, to];
      range.from = from;
      range.to = to;
      label.textContent = `${t('years')}: ${from}–${to}`;
      events.onYears(from, to);
    });
    return input;
  };
  const scale = document.createElement('div');
  scale.className = 'year-scale';
  scale.style.background = `linear-gradient(90deg, ${loss.colors.join(', ')})`;
  const ends = document.createElement('div');
  ends.className = 'year-ends';
  ends.append(span(String(loss.firstYear)), span(String(loss.lastYear)));
  years.append(label, slider(loss.from, 'from'), slider(loss.to, 'to'), scale, ends);
  return years;
}

function treecoverScale(): HTMLElement {
  const tc = document.createElement('div');
  tc.className = 'year-scale treecover-scale';
  const ends = document.createElement('div');
  ends.className = 'year-ends';
  ends.append(span('0 %'), span('100 %'));
  const wrap = document.createElement('div');
  wrap.className = 'years';
  wrap.append(tc, ends);
  return wrap;
}

/** The status line (loading, a hint, an error), the data note and which database answers. */
function statusNotes(t: Translate, model: LayerPanelModel): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (model.status) {
    const st = document.createElement('p');
    st.className = model.status.error ? 'status error' : 'status';
    st.setAttribute('role', 'status');
    st.textContent = model.status.text;
    out.push(st);
  }
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = `${t('syntheticNote')} ${model.basemapNote}`;
  out.push(note);
  if (model.databaseKind) {
    const db = document.createElement('p');
    db.className = 'note';
    db.textContent = `${t('database')}: ${t(model.databaseKind)}`;
    out.push(db);
  }
  return out;
}

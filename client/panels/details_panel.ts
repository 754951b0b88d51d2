// The side panel that opens on whatever the user clicks or finds: an area, a site, an activity, a
// place or a drawn shape. It owns its loss charts so the year control can redraw them in place.
import type { Chart } from 'chart.js';
import type { LossAnswerBody } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import type { Selection } from '../state/app_state';

export interface LossYears {
  from: number;
  to: number;
  /** The loss layer's first year: the colours start there, and the chart does too. */
  first: number;
  colors: string[];
}

interface ChartSlot {
  box: HTMLElement;
  answer: LossAnswerBody;
  csvUrl: string;
  bufferKm?: number;
  chart?: Chart;
}

export class DetailsPanel {
  private controller = new AbortController();
  private charts: ChartSlot[] = [];
  private body: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly onClose: () => void,
  ) {
    this.body = document.createElement('div');
  }

  /** Starts a new subject: clears the panel and aborts what the previous one was still loading. */
  open(lang: Lang, title: string, subtitle: string): { body: HTMLElement; signal: AbortSignal; setTitle(text: string): void } {
    this.clear();
    const t = (k: MessageKey) => translate(lang, k);
    const head = document.createElement('header');
    const h = document.createElement('h2');
    h.id = 'details-title';
    h.textContent = title;
    const sub = document.createElement('p');
    sub.className = 'details-kind';
    sub.textContent = subtitle;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.textContent = '×';
    close.setAttribute('aria-label', t('close'));
    close.addEventListener('click', () => this.onClose());
    head.append(h, close);
    this.body = document.createElement('div');
    this.body.className = 'details-body';
    this.root.append(head, sub, this.body);
    this.root.hidden = false;
    this.root.setAttribute('aria-labelledby', 'details-title');
    const signal = this.controller.signal;
    // A late answer about a subject the panel has left must not retitle the next one.
    const setTitle = (text: string) => {
      if (!signal.aborted) h.textContent = text;
    };
    return { body: this.body, signal, setTitle };
  }

  close(): void {
    this.clear();
    this.root.hidden = true;
  }

  /** Adds a loss chart that follows the year range. */
  addLossChart(parent: HTMLElement, lang: Lang, answer: LossAnswerBody, csvUrl: string, years: LossYears, bufferKm?: number): void {
    const box = document.createElement('div');
    parent.append(box);
    const slot: ChartSlot = { box, answer, csvUrl, ...(bufferKm ? { bufferKm } : {}) };
    this.charts.push(slot);
    this.drawChart(slot, lang, years);
  }

  setYears(lang: Lang, years: LossYears): void {
    for (const slot of this.charts) this.drawChart(slot, lang, years);
  }

  /** Chart.js comes with the first chart, not with the first page load. */
  private drawChart(slot: ChartSlot, lang: Lang, years: LossYears): void {
    void import('./loss_chart').then(({ appendLossChart }) => {
      if (!this.charts.includes(slot)) return; // the panel moved on while the chart library loaded
      slot.chart?.destroy();
      slot.box.replaceChildren();
      const chart = appendLossChart(slot.box, { lang, answer: slot.answer, from: years.from, to: years.to, csvUrl: slot.csvUrl, colors: years.colors, firstYear: years.first, ...(slot.bufferKm ? { bufferKm: slot.bufferKm } : {}) });
      if (chart) slot.chart = chart;
    });
  }

  private clear(): void {
    this.controller.abort();
    this.controller = new AbortController();
    for (const c of this.charts) c.chart?.destroy();
    this.charts = [];
    this.root.replaceChildren();
  }
}

/** A definition list of label/value pairs, skipping empty values. */
export function factList(facts: [string, unknown][]): HTMLElement {
  const dl = document.createElement('dl');
  dl.className = 'facts';
  for (const [label, value] of facts) {
    if (value === undefined || value === null || value === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dl.append(dt, dd);
  }
  return dl;
}

/** A live status line: what an action did, or why it failed (`error`). */
export function statusLine(): HTMLParagraphElement & { say(text: string, error?: boolean): void } {
  const p = document.createElement('p') as HTMLParagraphElement & { say(text: string, error?: boolean): void };
  p.className = 'status';
  p.setAttribute('role', 'status');
  p.say = (text, error = false) => {
    p.className = error ? 'status error' : 'status';
    p.textContent = text;
  };
  return p;
}

/** A plain button with a data attribute tests and styles find it by. */
export function actionButton(label: string, data: Record<string, string>, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  Object.assign(b.dataset, data);
  b.addEventListener('click', onClick);
  return b;
}

/** A paragraph of secondary text. */
export function note(text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = text;
  return p;
}

/** A drawer's section heading. */
export function heading(text: string): HTMLHeadingElement {
  const h = document.createElement('h2');
  h.textContent = text;
  return h;
}

/** A control with its label around it (so a screen reader and a finger both find it by the text). */
export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const l = document.createElement('label');
  l.append(`${text} `, control);
  return l;
}

export function sectionTitle(text: string): HTMLElement {
  const h = document.createElement('h3');
  h.textContent = text;
  return h;
}

/** A list of things that open in the panel when chosen (linked activities, an activity's sites). */
export function selectableList(items: { label: string; note?: string; selection: Selection }[], onSelect: (s: Selection) => void, emptyText: string, max = 12): HTMLElement {
  const ul = document.createElement('ul');
  ul.className = 'link-list';
  for (const item of items.slice(0, max)) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'linkish';
    b.textContent = item.label;
    b.addEventListener('click', () => onSelect(item.selection));
    li.append(b);
    if (item.note) li.append(` — ${item.note}`);
    ul.append(li);
  }
  if (items.length === 0) {
    const li = document.createElement('li');
    li.textContent = emptyText;
    ul.append(li);
  } else if (items.length > max) {
    const li = document.createElement('li');
    li.textContent = `… +${items.length - max}`;
    ul.append(li);
  }
  return ul;
}

export function downloadLinks(links: { label: string; href: string }[]): HTMLElement {
  const p = document.createElement('p');
  p.className = 'downloads';
  for (const l of links) {
    const a = document.createElement('a');
    a.href = l.href;
    a.textContent = l.label;
    a.setAttribute('download', '');
    p.append(a);
  }
  return p;
}

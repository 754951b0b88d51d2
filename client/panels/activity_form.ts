// The activity form of the editing panel: every field labelled, its error message right under it
// (checked here with the same contract the server uses, then with the server's own answer).
import { activityInputSchema, activityStatuses, fundingStatuses, type Activity, type Programme } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate, translateCode } from '../i18n';

export interface ActivityFormOptions {
  lang: Lang;
  programme: Programme;
  /** Agencies the user may choose as lead agency. */
  agencies: string[];
  activity?: Activity;
  onSave(values: Record<string, unknown>): Promise<Record<string, string> | undefined>;
}

type Field = { name: string; label: MessageKey; input: HTMLElement; read(): unknown };

export function renderActivityForm(root: HTMLElement, o: ActivityFormOptions): void {
  const t = (k: MessageKey) => translate(o.lang, k);
  const a = o.activity;
  const form = document.createElement('form');
  form.className = 'edit-form';
  form.noValidate = true;
  const fields: Field[] = [];
  const errors = new Map<string, HTMLElement>();
  const add = (name: string, label: MessageKey, input: HTMLElement, read: () => unknown) => {
    const id = `f-${name}`;
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = t(label);
    input.id = id;
    input.setAttribute('name', name);
    const err = document.createElement('p');
    err.className = 'field-error';
    err.id = `${id}-error`;
    err.setAttribute('aria-live', 'polite');
    input.setAttribute('aria-describedby', err.id);
    errors.set(name, err);
    wrap.append(l, input, err);
    form.append(wrap);
    fields.push({ name, label, input, read });
  };
  const text = (name: string, label: MessageKey, value = '', multiline = false) => {
    const el = document.createElement(multiline ? 'textarea' : 'input') as HTMLInputElement;
    el.value = value;
    add(name, label, el, () => el.value.trim());
    return el;
  };
  const select = (name: string, label: MessageKey, options: [string, string][], value: string) => {
    const el = document.createElement('select');
    for (const [v, n] of options) el.append(new Option(n, v, false, v === value));
    add(name, label, el, () => el.value);
    return el;
  };
  const date = (name: string, label: MessageKey, value: string | null | undefined) => {
    const el = document.createElement('input');
    el.type = 'date';
    el.value = value ?? '';
    add(name, label, el, () => el.value || null);
  };
  const list = (name: string, label: MessageKey, value: string[], placeholder: string) => {
    const el = document.createElement('input');
    el.value = value.join(', ');
    el.placeholder = placeholder;
    add(name, label, el, () => el.value.split(',').map((x) => x.trim()).filter(Boolean));
  };

  text('code', 'colCode', a?.code ?? '');
  text('title', 'colTitle', a?.title ?? '');
  text('summary', 'summaryLabel', a?.summary ?? '', true);
  // The same text in Spanish (optional): readers of the Spanish interface see it instead.
  text('titleEs', 'titleEsLabel', a?.titleEs ?? '');
  text('summaryEs', 'summaryEsLabel', a?.summaryEs ?? '', true);
  select('priorityArea', 'priorityArea', o.programme.priorityAreas.map((p) => [p.code, `${p.code} · ${p.title[o.lang].slice(0, 60)}`]), a?.priorityArea ?? 'A');
  list('actionAreas', 'actionArea', a?.actionAreas ?? [], 'B1, B2');
  list('goals', 'goal', a?.goals ?? [], 'A, B');
  const agencies = [...new Set([...(a ? [a.leadAgency] : []), ...o.agencies])];
  select('leadAgency', 'leadAgency', agencies.map((x) => [x, x]), a?.leadAgency ?? agencies[0] ?? '');
  list('implementingPartners', 'partners', a?.implementingPartners ?? [], 'U.S. Forest Service, WWF');
  select('fundingStatus', 'funding', fundingStatuses.map((s) => [s, translateCode(o.lang, s)]), a?.fundingStatus ?? 'funded');
  date('startDate', 'startDate', a?.startDate);
  date('endDate', 'endDate', a?.endDate);
  select('status', 'status', activityStatuses.map((s) => [s, translateCode(o.lang, s)]), a?.status ?? 'planned');
  const published = document.createElement('input');
  published.type = 'checkbox';
  published.checked = a?.published ?? false;
  add('published', 'publishedLabel', published, () => published.checked);

  const summary = document.createElement('p');
  summary.className = 'form-status';
  summary.setAttribute('role', 'status');
  const save = document.createElement('button');
  save.type = 'submit';
  save.textContent = t(a ? 'saveChanges' : 'createActivity');
  form.append(summary, save);

  const show = (messages: Record<string, string>) => {
    for (const [name, el] of errors) {
      el.textContent = messages[name] ?? '';
      fields.find((f) => f.name === name)?.input.setAttribute('aria-invalid', String(Boolean(messages[name])));
    }
    const other = Object.entries(messages).filter(([k]) => !errors.has(k));
    summary.textContent = other.map(([, m]) => m).join(' ') || (Object.keys(messages).length ? t('fixFields') : '');
    summary.className = Object.keys(messages).length ? 'form-status error' : 'form-status';
    const first = fields.find((f) => messages[f.name]);
    first?.input.focus();
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = Object.fromEntries(fields.map((f) => [f.name, f.read()]));
    const checked = activityInputSchema.safeParse(values);
    if (!checked.success) {
      const messages: Record<string, string> = {};
      for (const i of checked.error.issues) messages[String(i.path[0] ?? '_')] ??= i.message;
      return show(messages);
    }
    save.disabled = true;
    summary.textContent = t('saving');
    void o.onSave(values).then((serverErrors) => {
      save.disabled = false;
      if (serverErrors) show(serverErrors);
      else {
        show({});
        summary.textContent = t('saved');
      }
    });
  });
  root.append(form);
}

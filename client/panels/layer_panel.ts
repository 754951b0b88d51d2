import type { AreaKind } from '@atalaya/api';
import { areaStyle, priorityAreaColors } from '../layers/area_layers';
import type { Lang } from '../i18n';
import { translate } from '../i18n';

export interface LossControl {
  layer: string;
  /** Tree cover layer that masks the loss to forest, when there is one. */
  treecover?: string;
  firstYear: number;
  lastYear: number;
  from: number;
  to: number;
  colors: string[];
}

export interface LayerPanelModel {
  loss?: LossControl;
  lang: Lang;
  kinds: AreaKind[];
  siteCount: number;
  visible: Record<string, boolean>;
  databaseKind?: 'embedded' | 'server';
  status?: { text: string; error: boolean };
}

/** Renders the layer list into `root`; `onToggle` gets the group and its new visibility. */
export function renderLayerPanel(
  root: HTMLElement,
  model: LayerPanelModel,
  onToggle: (group: string, visible: boolean) => void,
  onYears: (from: number, to: number) => void = () => undefined,
): void {
  const t = (k: Parameters<typeof translate>[1]) => translate(model.lang, k);
  root.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('layers');
  root.append(heading);

  const row = (group: string, label: string, count: number, swatch: (el: HTMLElement) => void, extraClass = '') => {
    const el = document.createElement('label');
    el.className = `layer-row ${extraClass}`.trim();
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = model.visible[group] ?? true;
    box.dataset.group = group;
    box.addEventListener('change', () => onToggle(group, box.checked));
    const sw = document.createElement('span');
    sw.className = 'swatch';
    swatch(sw);
    const name = document.createElement('span');
    name.textContent = label;
    const c = document.createElement('span');
    c.className = 'count';
    c.textContent = count.toLocaleString(model.lang);
    el.append(box, sw, name, c);
    root.append(el);
  };

  for (const kind of model.kinds) {
    const s = areaStyle(kind.code);
    row(kind.code, kind.label[model.lang], kind.count, (sw) => {
      sw.style.background = s.fill;
      sw.style.borderColor = s.line;
    });
  }
  row('sites', t('sites'), model.siteCount, (sw) => {
    sw.style.background = `conic-gradient(${Object.values(priorityAreaColors).join(', ')})`;
  }, 'sites');

  if (model.loss) {
    const loss = model.loss;
    row('loss', t('forestLoss'), 0, (sw) => (sw.style.background = `linear-gradient(90deg, ${loss.colors.join(', ')})`), 'loss');
    const years = document.createElement('div');
    years.className = 'years';
    const label = document.createElement('span');
    label.textContent = `${t('years')}: ${loss.from}–${loss.to}`;
    const slider = (value: number, name: 'from' | 'to') => {
      const input = document.createElement('input');
      input.type = 'range';
      input.min = String(loss.firstYear);
      input.max = String(loss.lastYear);
      input.value = String(value);
      input.dataset.years = name;
      input.setAttribute('aria-label', `${t('years')} ${name}`);
      input.addEventListener('input', () => {
        let from = name === 'from' ? Number(input.value) : loss.from;
        let to = name === 'to' ? Number(input.value) : loss.to;
        if (from > to) [from, to] = name === 'from' ? [from, from] : [to, to];
        label.textContent = `${t('years')}: ${from}–${to}`;
        onYears(from, to);
      });
      return input;
    };
    years.append(label, slider(loss.from, 'from'), slider(loss.to, 'to'));
    root.append(years);
  }

  if (model.status) {
    const st = document.createElement('p');
    st.className = model.status.error ? 'status error' : 'status';
    st.textContent = model.status.text;
    root.append(st);
  }
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = t('syntheticNote');
  root.append(note);
  if (model.databaseKind) {
    const db = document.createElement('p');
    db.className = 'note';
    db.textContent = `${t('database')}: ${t(model.databaseKind)}`;
    root.append(db);
  }
}

import type { AreaKind } from '@atalaya/api';
import { areaStyle, priorityAreaColors } from '../layers/area_layers';
import type { Lang } from '../i18n';
import { translate } from '../i18n';

export interface LayerPanelModel {
  lang: Lang;
  kinds: AreaKind[];
  siteCount: number;
  visible: Record<string, boolean>;
  databaseKind?: 'embedded' | 'server';
  status?: { text: string; error: boolean };
}

/** Renders the layer list into `root`; `onToggle` gets the group and its new visibility. */
export function renderLayerPanel(root: HTMLElement, model: LayerPanelModel, onToggle: (group: string, visible: boolean) => void): void {
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

// The programme matrix as a table: priority areas (or action areas) down, ecosystem kinds across;
// each cell the activities, sites and overlap hectares; a cell filters the activity browser.
import { formatHectares, type AreaKind, type ProgrammeMatrix } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';

export function renderProgrammeMatrix(
  root: HTMLElement,
  lang: Lang,
  matrix: ProgrammeMatrix,
  kinds: AreaKind[],
  rows: 'priorityArea' | 'actionArea',
  onRows: (rows: 'priorityArea' | 'actionArea') => void,
  onCell: (row: string) => void,
  /** The same matrix (rows and filter) as CSV. */
  csvHref: string,
): void {
  const t = (k: MessageKey) => translate(lang, k);
  root.replaceChildren();
  const bar = document.createElement('div');
  bar.className = 'filters';
  const label = document.createElement('label');
  const span = document.createElement('span');
  span.textContent = t('matrixRows');
  const s = document.createElement('select');
  s.append(new Option(t('priorityArea'), 'priorityArea', false, rows === 'priorityArea'), new Option(t('actionArea'), 'actionArea', false, rows === 'actionArea'));
  s.addEventListener('change', () => onRows(s.value as 'priorityArea' | 'actionArea'));
  label.append(span, s);
  const hint = document.createElement('span');
  hint.className = 'hint';
  hint.textContent = t('matrixHint');
  const csv = document.createElement('a');
  csv.href = csvHref;
  csv.setAttribute('download', '');
  csv.textContent = `${t('download')} CSV`;
  bar.append(label, hint, csv);
  const table = document.createElement('table');
  table.className = 'matrix';
  const caption = table.createCaption();
  caption.textContent = t('matrix');
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.textContent = rows === 'priorityArea' ? t('priorityArea') : t('actionArea');
  head.append(corner);
  for (const k of matrix.kinds) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = kinds.find((x) => x.code === k)?.label[lang] ?? k;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of matrix.rows) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'text';
    th.textContent = `${r.code} · ${r.title[lang]}`;
    tr.append(th);
    for (const k of matrix.kinds) {
      const td = tr.insertCell();
      const cell = matrix.cells[r.code]?.[k];
      if (!cell) {
        td.textContent = '·';
        td.className = 'empty';
        continue;
      }
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'cell';
      b.textContent = `${cell.activities} ${t('activitiesShort')} · ${cell.sites} ${t(cell.sites === 1 ? 'siteShort' : 'sitesShort')}`;
      if (cell.overlapHa > 0) b.title = formatHectares(lang, cell.overlapHa);
      b.setAttribute('aria-label', `${r.code}, ${kinds.find((x) => x.code === k)?.label[lang] ?? k}: ${b.textContent}`);
      b.addEventListener('click', () => onCell(r.code));
      td.append(b);
      if (cell.overlapHa > 0) {
        const ha = document.createElement('div');
        ha.className = 'ha';
        ha.textContent = formatHectares(lang, cell.overlapHa);
        td.append(ha);
      }
    }
  }
  root.append(bar, table);
}

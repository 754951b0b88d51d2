// The progress of an activity in the side panel: each indicator against its target with its status
// (the trend near the sites has its own section, trend_chart.ts).
import { formatNumber, localized, type Indicator } from '@atalaya/api';
import type { Lang } from '../i18n';
import { translate, translateCode } from '../i18n';

export function appendProgress(root: HTMLElement, lang: Lang, indicators: Indicator[], reportUrl: string): void {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const box = document.createElement('div');
  box.className = 'progress';
  const h = document.createElement('h4');
  h.textContent = t('progress');
  box.append(h);
  const n = (v: number) => formatNumber(lang, v, 2);
  if (indicators.length) {
    const ul = document.createElement('ul');
    ul.className = 'indicators';
    for (const i of indicators) {
      const li = document.createElement('li');
      const badge = document.createElement('span');
      badge.className = `status status-${i.target ? i.status : 'context'}`;
      badge.textContent = i.target ? translateCode(lang, i.status) : t('noTarget');
      const text = document.createElement('span');
      // "now 12 ha, target 40 ha by 2027": the line reads as a sentence in either language.
      const unit = localized(lang, i.unit, i.unit_es);
      const now = i.latest ? t('indicatorNow').replace('{value}', `${n(i.latest.value)} ${unit}`) : t('indicatorNoValue');
      const target = i.target ? `, ${t('indicatorTarget').replace('{value}', `${n(i.target.value)} ${unit}`).replace('{year}', String(i.target.year))}` : '';
      text.textContent = `${localized(lang, i.name, i.name_es)}: ${now}${target} `;
      li.append(text, badge);
      ul.append(li);
    }
    box.append(ul);
  }
  const a = document.createElement('a');
  a.href = reportUrl;
  a.textContent = t('progressReport');
  box.append(a);
  root.append(box);
}

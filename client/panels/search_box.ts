// One search box for everything: places (from the shared list, matched here), and activities, sites
// and areas (the server's /api/search). A WAI-ARIA combobox: arrows move, Enter opens, Escape closes.
import { peruPlaces, type SearchHit } from '@atalaya/api';
import { search } from '../api/client';

export type SearchResult = SearchHit | { type: 'place'; key: string; label: string; detail: string; at: [number, number] };

const fold = (s: string) => s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

export function matchPlaces(text: string): SearchResult[] {
  const q = fold(text.trim());
  if (q.length < 2) return [];
  return Object.entries(peruPlaces)
    .filter(([, p]) => fold(p.name).includes(q))
    .sort(([, a], [, b]) => Number(!fold(a.name).startsWith(q)) - Number(!fold(b.name).startsWith(q)) || a.rank - b.rank)
    .slice(0, 5)
    .map(([key, p]) => ({ type: 'place', key, label: p.name, detail: '', at: p.at }));
}

export interface SearchBoxOptions {
  placeholder: string;
  noResults: string;
  typeLabel(result: SearchResult): string;
  onPick(result: SearchResult): void;
}

/** Builds the box into `root`; the returned function re-reads the labels (after a language switch). */
export function setupSearchBox(root: HTMLElement, options: () => SearchBoxOptions): () => void {
  const input = document.createElement('input');
  input.type = 'search';
  input.id = 'search';
  input.autocomplete = 'off';
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', 'search-results');
  const list = document.createElement('ul');
  list.id = 'search-results';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  root.append(input, list);
  let results: SearchResult[] = [];
  let active = -1;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refreshLabels = () => {
    const o = options();
    input.placeholder = o.placeholder;
    input.setAttribute('aria-label', o.placeholder);
  };
  refreshLabels();
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const pick = (r: SearchResult) => {
    close();
    input.value = r.label;
    options().onPick(r);
  };
  const draw = () => {
    const o = options();
    list.replaceChildren();
    results.forEach((r, i) => {
      const li = document.createElement('li');
      li.id = `search-option-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === active));
      const label = document.createElement('span');
      label.textContent = r.label;
      const type = document.createElement('span');
      type.className = 'hit-type';
      type.textContent = o.typeLabel(r);
      li.append(label, type);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault(); // keep focus in the input until the pick is done
        pick(r);
      });
      list.append(li);
    });
    if (results.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = o.noResults;
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) input.setAttribute('aria-activedescendant', `search-option-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  input.addEventListener('focus', refreshLabels);
  input.addEventListener('input', () => {
    clearTimeout(timer);
    controller?.abort();
    const text = input.value;
    if (text.trim().length < 2) return close();
    timer = setTimeout(() => {
      controller = new AbortController();
      const places = matchPlaces(text);
      void search(text.trim(), controller.signal)
        .then((hits) => {
          results = [...places, ...hits].slice(0, 12);
          active = results.length ? 0 : -1;
          draw();
        })
        .catch((e: Error) => {
          if (e.name === 'AbortError') return;
          results = places;
          active = results.length ? 0 : -1;
          draw();
        });
    }, 150);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') return close();
    if (list.hidden || results.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
      draw();
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      pick(results[active]!);
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return refreshLabels;
}

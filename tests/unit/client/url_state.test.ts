import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../../client/state/url_state';
import { emptyState, isVisible, type AppState } from '../../../client/state/app_state';

describe('URL state', () => {
  it('round-trips every part of the state', () => {
    const state: AppState = {
      view: { lng: -69.6, lat: -12.7, zoom: 9.5 },
      hidden: { watershed: true, treecover: false },
      opacity: { forest_concession: 0.5, loss: 0.25 },
      years: [2010, 2020],
      filter: { status: 'ongoing', priorityArea: 'B', q: 'castaña y más' },
      selection: { type: 'area', kind: 'protected_area', id: 2 },
      drawer: 'activities',
      lang: 'es',
    };
    const text = encodeState(state);
    expect(text).toContain('map=9.5/-12.7/-69.6');
    expect(text).toContain('hide=watershed');
    expect(text).toContain('show=treecover');
    expect(text).toContain('sel=area:protected_area:2');
    expect(decodeState(`?${text}`)).toEqual(state);
    for (const selection of [{ type: 'site', id: 7 }, { type: 'activity', id: 3 }, { type: 'place', key: 'puertoMaldonado' }] as const) {
      expect(decodeState(encodeState({ ...emptyState(), selection })).selection).toEqual(selection);
    }
  });

  it('ignores what it does not understand, so old or hand-edited links still open', () => {
    const s = decodeState('?map=99/-200/x&years=2020-2010&sel=area:Robert%27);DROP:1&panel=admin&lang=fr&opacity=loss:7,sites:0.5&priorityArea=' + 'x'.repeat(500));
    expect(s.view).toBeUndefined();
    expect(s.years).toBeUndefined();
    expect(s.selection).toBeUndefined();
    expect(s.drawer).toBeUndefined();
    expect(s.lang).toBeUndefined();
    expect(s.opacity).toEqual({ sites: 0.5 });
    expect(s.filter.priorityArea).toHaveLength(200);
  });

  it('keeps tree cover off unless the link turns it on', () => {
    expect(isVisible(emptyState(), 'treecover')).toBe(false);
    expect(isVisible(emptyState(), 'sites')).toBe(true);
    expect(isVisible(decodeState('?show=treecover&hide=sites'), 'treecover')).toBe(true);
    expect(isVisible(decodeState('?show=treecover&hide=sites'), 'sites')).toBe(false);
  });
});

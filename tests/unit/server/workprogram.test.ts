import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWorkProgram, toProgrammeRows } from '../../../server/seed/workprogram';

const seedDocument = new URL('../../../../shared/seeds/000_48c06d72533ccc7c.txt', import.meta.url);

describe('data/workprogram.json', () => {
  const wp = readWorkProgram();

  it('has the five goals and five priority areas A-E with the objectives and action areas of the document', () => {
    expect(wp.goals.map((g) => g.code)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(wp.priorityAreas.map((p) => [p.code, p.objectives.length, p.actionAreas.length])).toEqual([
      ['A', 4, 4], ['B', 6, 5], ['C', 3, 3], ['D', 5, 5], ['E', 1, 3],
    ]);
    const codes = wp.priorityAreas.flatMap((p) => p.actionAreas.map((a) => a.code));
    expect(new Set(codes).size).toBe(codes.length);
    for (const p of wp.priorityAreas) for (const a of p.actionAreas) expect(a.code.charAt(0)).toBe(p.code);
  });

  it('gives every title in Spanish too', () => {
    const rows = toProgrammeRows(wp);
    for (const r of [...rows.goals, ...rows.priorityAreas, ...rows.actionAreas]) expect(r.title_es.length).toBeGreaterThan(5);
    for (const o of rows.objectives) expect(o.text_es.length).toBeGreaterThan(5);
  });

  it.runIf(fs.existsSync(seedDocument))('quotes the goals as the programme document words them', () => {
    const doc = fs.readFileSync(seedDocument, 'utf8').replace(/\s+/g, ' ');
    expect(doc).toContain('Effective implementation of the TPA Environment Chapter, including the Annex.');
    expect(doc).toContain('Improved environmental performance in the productive sector.');
    for (const keyword of ['CITES', 'Minamata', 'paramo and puna', 'cross-boundary lakes and rivers', 'GHG emissions']) {
      expect(doc).toContain(keyword);
      expect(JSON.stringify(wp)).toContain(keyword);
    }
  });
});

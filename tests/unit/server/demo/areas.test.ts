import { describe, expect, it } from 'vitest';
import { generateDemoAreas } from '../../../../server/demo/areas';
import { generateDemoActivities } from '../../../../server/demo/activities';
import { Random } from '../../../../server/util/random';

function bounds(coords: unknown): [number, number, number, number] {
  const flat = JSON.stringify(coords).match(/-?\d+\.?\d*/g)!.map(Number);
  const lons = flat.filter((_, i) => i % 2 === 0);
  const lats = flat.filter((_, i) => i % 2 === 1);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

describe('demo areas', () => {
  const areas = generateDemoAreas(new Random(1));

  it('are deterministic', () => {
    expect(JSON.stringify(generateDemoAreas(new Random(1)))).toBe(JSON.stringify(areas));
  });

  it('cover all four kinds, each labelled synthetic, with unique source ids per kind', () => {
    const byKind = new Map<string, number>();
    for (const a of areas) {
      byKind.set(a.properties.kind, (byKind.get(a.properties.kind) ?? 0) + 1);
      expect(a.properties.synthetic).toBe(true);
    }
    expect([...byKind.keys()].sort()).toEqual(['forest_concession', 'glacier_highland', 'protected_area', 'watershed']);
    const keys = areas.map((a) => `${a.properties.kind}/${a.properties.source_id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('place concessions in the Madre de Dios and Ucayali lowlands and glaciers in the Andes', () => {
    const concessions = areas.filter((a) => a.properties.kind === 'forest_concession');
    expect(new Set(concessions.map((c) => c.properties.region))).toEqual(new Set(['Madre de Dios', 'Ucayali']));
    for (const c of concessions) {
      const [w, s, e, n] = bounds(c.geometry.coordinates);
      expect(w).toBeGreaterThan(-75.5); // east of the Andes
      expect(e).toBeLessThan(-68.6);
      expect(s).toBeGreaterThan(-13.5);
      expect(n).toBeLessThan(-8);
    }
    const blanca = areas.find((a) => a.properties.source_id === 'GH-BLANCA-N')!;
    const [w, s, e, n] = bounds(blanca.geometry.coordinates);
    expect(w).toBeGreaterThan(-78);
    expect(e).toBeLessThan(-77);
    expect(s).toBeGreaterThan(-10);
    expect(n).toBeLessThan(-8.5);
  });

  it('name the countries of each cross-boundary watershed', () => {
    const titicaca = areas.find((a) => a.properties.source_id === 'WS-TITICACA')!;
    expect(titicaca.properties.countries).toEqual(['PE', 'BO']);
    for (const w of areas.filter((a) => a.properties.kind === 'watershed')) {
      expect((w.properties.countries as string[]).length).toBeGreaterThan(1);
    }
  });
});

describe('demo activities', () => {
  const activities = generateDemoActivities(new Random(2));
  it('are about forty, cover every priority area and every action area, and all have sites', () => {
    expect(activities.length).toBeGreaterThanOrEqual(38);
    expect(new Set(activities.map((a) => a.priorityArea))).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
    const actionAreas = new Set(activities.flatMap((a) => a.actionAreas));
    expect(actionAreas.size).toBe(20);
    for (const a of activities) {
      expect(a.sites.length).toBeGreaterThan(0);
      expect(a.properties.synthetic).toBe(true);
      expect(a.actionAreas[0]!.charAt(0)).toBe(a.priorityArea);
    }
  });
  it('have statuses that agree with their periods, whatever the year they are generated in', () => {
    for (const asOf of [2024, 2026, 2031]) {
      for (const a of generateDemoActivities(new Random(2), asOf)) {
        const start = Number(a.startDate.slice(0, 4));
        const end = Number(a.endDate.slice(0, 4));
        expect(end, a.code).toBeGreaterThan(start);
        if (a.status === 'completed') expect(end, `${a.code} completed`).toBeLessThan(asOf);
        if (a.status === 'planned') expect(start, `${a.code} planned`).toBeGreaterThan(asOf);
        if (a.status === 'ongoing' || a.status === 'suspended') {
          expect(start, `${a.code} ${a.status}`).toBeLessThanOrEqual(asOf);
          expect(end, `${a.code} ${a.status}`).toBeGreaterThan(asOf);
        }
      }
    }
  });
  it('name their sites with the whole title, numbered when there are several', () => {
    for (const a of activities) for (const site of a.sites) expect(site.name.startsWith(a.title) || site.name === 'Interoceanic highway corridor', site.name).toBe(true);
  });
  it('have point, line and polygon sites', () => {
    const types = new Set(activities.flatMap((a) => a.sites.map((s) => s.geometry.type)));
    expect(types).toEqual(new Set(['Point', 'LineString', 'Polygon']));
  });
});

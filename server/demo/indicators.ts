// Indicators for the demo activities: one manual indicator each (with yearly measurements, some
// ahead and some behind their path), the forest loss near the sites where the demo raster covers
// them, and the linked ecosystem area where the links find one. Synthetic, like the rest of the demo.
import type { IndicatorInput, MeasurementInput } from '../api';
import type { DemoActivity } from './activities';
import { Random } from '../util/random';
import type { RasterGrid } from './raster';

export interface DemoIndicator {
  input: IndicatorInput;
  measurements: MeasurementInput[];
}

const manualByPriorityArea: Record<string, { name: string; unit: string; name_es: string; unit_es: string; target: [number, number] }> = {
  A: { name: 'Officials trained', unit: 'people', name_es: 'Funcionarios capacitados', unit_es: 'personas', target: [40, 300] },
  B: { name: 'Patrols and field inspections carried out', unit: 'patrols', name_es: 'Patrullajes e inspecciones de campo realizados', unit_es: 'patrullajes', target: [30, 240] },
  C: { name: 'People taking part in consultations', unit: 'people', name_es: 'Personas que participan en consultas', unit_es: 'personas', target: [200, 1500] },
  D: { name: 'Hectares under agreed management plans', unit: 'ha', name_es: 'Hectáreas con planes de manejo acordados', unit_es: 'ha', target: [2000, 40000] },
  E: { name: 'Operations adopting cleaner production', unit: 'operations', name_es: 'Operaciones que adoptan producción más limpia', unit_es: 'operaciones', target: [5, 60] },
};

function seedOf(code: string): number {
  let h = 2166136261;
  for (const c of code) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

function inGrid(a: DemoActivity, grid: RasterGrid): boolean {
  const south = grid.north - grid.height * grid.pixelSize;
  const east = grid.west + grid.width * grid.pixelSize;
  const points = a.sites.flatMap((s) => JSON.stringify(s.geometry).match(/-?\d+\.?\d*,-?\d+\.?\d*/g) ?? []);
  return points.some((p) => {
    const [x, y] = p.split(',').map(Number) as [number, number];
    return x >= grid.west && x <= east && y >= south && y <= grid.north;
  });
}

export function demoIndicators(a: DemoActivity, grid: RasterGrid, lastYear = 2023): DemoIndicator[] {
  const rng = new Random(seedOf(a.code));
  const start = Number(a.startDate.slice(0, 4));
  const end = Math.max(start + 2, Number(a.endDate.slice(0, 4)));
  const out: DemoIndicator[] = [];
  const m = manualByPriorityArea[a.priorityArea] ?? manualByPriorityArea.B!;
  const target = Math.round(rng.range(m.target[0], m.target[1]));
  // How well this activity performs against its path: 0.55 (well behind) to 1.25 (ahead).
  const pace = rng.range(0.55, 1.25);
  const measurements: MeasurementInput[] = [];
  if (a.status !== 'planned') {
    for (let y = start + 1; y <= Math.min(end, 2025); y++) {
      const share = Math.min(1.3, ((y - start) / (end - start)) * pace * rng.range(0.9, 1.1));
      measurements.push({ measured_at: `${y}-12-31`, value: Math.round(target * share), source: `${a.leadAgency} annual report (synthetic)`, published: true });
    }
  }
  out.push({
    input: { name: m.name, unit: m.unit, name_es: m.name_es, unit_es: m.unit_es, direction: 'higher_is_better', kind: 'manual', baseline_value: 0, baseline_year: start, target_value: target, target_year: end, published: a.published },
    measurements,
  });
  if (inGrid(a, grid)) {
    out.push({
      input: {
        name: 'Forest loss within 5 km of the sites',
        unit: '% of 2000 forest per year',
        name_es: 'Pérdida de bosque a menos de 5 km de los sitios',
        unit_es: '% del bosque de 2000 por año',
        direction: 'lower_is_better',
        kind: 'spatial',
        // Targets as agencies set them: cut loss, hold it, or limit its rise along a road.
        definition: { metric: 'loss_near_sites', distance_m: 5000, measure: 'pct_forest2000', target_change_pct: rng.pick([-20, 0, 25, 50]) },
        baseline_year: Math.min(Math.max(start - 1, 2003), lastYear - 3),
        target_year: Math.max(end, Math.min(Math.max(start - 1, 2003), lastYear - 3) + 1),
        published: a.published,
      },
      measurements: [],
    });
  }
  return out;
}

/** The linked-ecosystem indicator, added after loading where the links found areas of the kind. */
export function linkedAreaIndicator(kind: 'glacier_highland' | 'protected_area', published: boolean): IndicatorInput {
  return {
    name: kind === 'glacier_highland' ? 'Glacier highland area linked' : 'Protected area linked',
    unit: 'ha',
    name_es: kind === 'glacier_highland' ? 'Superficie de zona altoandina glaciar vinculada' : 'Superficie de área protegida vinculada',
    unit_es: 'ha',
    direction: 'higher_is_better',
    kind: 'spatial',
    definition: { metric: 'linked_area', area_kind: kind },
    published,
  };
}

// The plain-language sentence under every trend, in English and Spanish. It always says that the
// comparison shows an association, not proof, and names what weakens it.
import type { DidResult } from './difference_in_differences';
import { formatNumber } from '../../api/format';

export type TrendWarning = 'few_years' | 'method_change' | 'no_forest' | 'no_start' | 'not_covered';

export interface TrendWording {
  en: string;
  es: string;
}

const pct = (v: number | null, lang: 'en' | 'es') => (v === null ? '–' : `${formatNumber(lang, v, 2, 2)} %`);
const pts = (v: number, lang: 'en' | 'es') => `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatNumber(lang, Math.abs(v), 2, 2)}`;

export function trendSummary(r: DidResult, distanceKm: number, warnings: TrendWarning[]): TrendWording {
  if (warnings.includes('not_covered')) {
    return { en: 'The sites lie outside the loss layer, so there is no trend to show.', es: 'Los sitios están fuera de la capa de pérdida: no hay tendencia que mostrar.' };
  }
  if (warnings.includes('no_start')) {
    return { en: 'The activity has no start date, so there is no before and after to compare.', es: 'La actividad no tiene fecha de inicio: no hay un antes y un después que comparar.' };
  }
  if (warnings.includes('no_forest')) {
    return { en: `There was no forest in 2000 within ${distanceKm} km of the sites (or in the comparison ring), so loss rates cannot be compared.`, es: `No había bosque en 2000 a menos de ${distanceKm} km de los sitios (o en el anillo de comparación): no se pueden comparar tasas de pérdida.` };
  }
  if (r.did === null) {
    return { en: `Loss data do not reach both sides of ${r.start_year}, so there is no before and after to compare.`, es: `Los datos de pérdida no cubren ambos lados de ${r.start_year}: no hay un antes y un después que comparar.` };
  }
  const ci = r.ci_low !== null && r.ci_high !== null;
  const sig = ci && (r.ci_low! > 0 || r.ci_high! < 0);
  const dirEn = r.did < 0 ? 'fell more (or rose less)' : 'rose more (or fell less)';
  const dirEs = r.did < 0 ? 'bajó más (o subió menos)' : 'subió más (o bajó menos)';
  let en =
    `Within ${distanceKm} km of the sites, yearly forest loss went from ${pct(r.buffer_before, 'en')} of the 2000 forest before ${r.start_year} to ${pct(r.buffer_after, 'en')} after; ` +
    `in the comparison ring (${distanceKm}–${2 * distanceKm} km) from ${pct(r.ring_before, 'en')} to ${pct(r.ring_after, 'en')}. ` +
    `Near the sites, loss ${dirEn} than around them: a difference in differences of ${pts(r.did, 'en')} percentage points per year` +
    (ci ? ` (95 % interval ${pts(r.ci_low!, 'en')} to ${pts(r.ci_high!, 'en')}; ${sig ? 'the interval excludes zero' : 'the interval includes zero, so no clear change'}).` : '.');
  let es =
    `A menos de ${distanceKm} km de los sitios, la pérdida anual de bosque pasó de ${pct(r.buffer_before, 'es')} del bosque de 2000 antes de ${r.start_year} a ${pct(r.buffer_after, 'es')} después; ` +
    `en el anillo de comparación (${distanceKm}–${2 * distanceKm} km), de ${pct(r.ring_before, 'es')} a ${pct(r.ring_after, 'es')}. ` +
    `Cerca de los sitios la pérdida ${dirEs} que alrededor: una diferencia en diferencias de ${pts(r.did, 'es')} puntos porcentuales por año` +
    (ci ? ` (intervalo del 95 % de ${pts(r.ci_low!, 'es')} a ${pts(r.ci_high!, 'es')}; ${sig ? 'el intervalo excluye el cero' : 'el intervalo incluye el cero: no hay un cambio claro'}).` : '.');
  en += ' This is an association, not proof that the activity caused the change.';
  es += ' Es una asociación, no una prueba de que la actividad causó el cambio.';
  if (warnings.includes('few_years')) {
    en += ` Caution: fewer than 3 years on one side (${r.years_before} before, ${r.years_after} after).`;
    es += ` Cuidado: menos de 3 años en un lado (${r.years_before} antes, ${r.years_after} después).`;
  }
  if (warnings.includes('method_change')) {
    en += ' Caution: the years span 2011, when the Hansen loss detection method changed; part of a before/after difference may come from the method.';
    es += ' Cuidado: los años abarcan 2011, cuando cambió el método de detección de pérdida de Hansen; parte de la diferencia puede deberse al método.';
  }
  return { en, es };
}

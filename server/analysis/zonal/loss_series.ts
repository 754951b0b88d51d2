// The loss series users read (hectares per year, forest in 2000, covered share) from raw zonal counts.
import type { ZonalLoss } from './zonal_loss';

export const FIRST_YEAR = 2001;

export interface LossYear {
  year: number;
  loss_ha: number;
  loss_px: number;
}

export interface LossSeries {
  area_ha: number;
  forest2000_ha: number;
  forest2000_px: number;
  covered_fraction: number;
  pixels: number;
  total_loss_ha: number;
  years: LossYear[];
}

/** Rounded to `digits` decimals: the precision every published figure is given at. */
export const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Every year from 2001 to the layer's last year, zero where nothing was lost. */
/**
 * The yearly series of a count, over the layer's years: codes `first` to `last` (Hansen: 1 to 23). A
 * layer that starts later (a mining first-year raster from 2018) has no years before its first: they
 * are left out, never reported as a loss of 0.
 */
export function lossSeries(z: ZonalLoss, codes: { first: number; last: number }): LossSeries {
  const years: LossYear[] = [];
  let total = 0;
  for (let code = Math.max(1, codes.first); code <= codes.last; code++) {
    const ha = z.lossHa[code] ?? 0;
    total += ha;
    years.push({ year: FIRST_YEAR - 1 + code, loss_ha: round(ha), loss_px: z.lossPixels[code] ?? 0 });
  }
  return {
    area_ha: round(z.areaHa),
    forest2000_ha: round(z.forest2000Ha),
    forest2000_px: z.forestPixels,
    // By area: pixels off the raster have no data. A polygon holding no pixel centre is covered when it
    // lies on the raster; it has no pixels to count, so every figure is zero.
    covered_fraction: z.pixels === 0 ? 0 : round(z.coveredAreaHa / z.areaHa, 6),
    pixels: z.coveredPixels,
    total_loss_ha: round(total),
    years,
  };
}

/** The Hansen change of method noted by its authors; returned with every series that spans 2011. */
export const HANSEN_METHOD_NOTE = {
  year: 2011,
  note: 'Hansen et al. note that loss detection improved from 2011 on (data reprocessed with an updated method); a trend across 2011 may partly reflect the change of method.',
};

export function spansMethodChange(years: { year: number }[], changeYear = HANSEN_METHOD_NOTE.year): boolean {
  return years.some((y) => y.year < changeYear) && years.some((y) => y.year >= changeYear);
}

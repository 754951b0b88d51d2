// Which loss layer the map, the panels, the review and the report use: the one named in the URL
// when it is registered and ready, else the server's default. Pure, so the layer list, the start and
// a change of layer all derive the same control from the raster list.
import type { RasterLayer } from '@atalaya/api';
import type { LossChoice, LossControl } from '../panels/layer_panel';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

function choiceOf(layer: RasterLayer): LossChoice {
  const years = layer.legend!.entries.map((e) => e.year);
  const source = text(layer.attributes.source);
  const licence = text(layer.attributes.licence);
  return {
    name: layer.name,
    version: layer.version,
    firstYear: years[0]!,
    lastYear: years.at(-1)!,
    synthetic: layer.attributes.synthetic === true,
    isDefault: layer.default,
    ...(source ? { source } : {}),
    ...(licence ? { licence } : {}),
  };
}

/** The loss control for `wanted` (a layer name) and the year range in the URL; undefined without a ready loss layer. */
export function lossControlOf(rasters: RasterLayer[], wanted: string | undefined, years: [number, number] | undefined): { loss: LossControl; bounds: [number, number, number, number] } | undefined {
  const usable = rasters.filter((r) => r.kind === 'lossyear' && r.ready && r.legend && r.legend.entries.length > 0);
  const layer = usable.find((r) => r.name === wanted) ?? usable.find((r) => r.default) ?? usable[0];
  if (!layer?.legend) return undefined;
  const choice = choiceOf(layer);
  // Its tree cover partner, the one its statistics are masked with (none: every pixel is forest).
  const partnerName = text(layer.attributes.treecover);
  const partner = rasters.find((r) => r.kind === 'treecover' && r.ready && r.name === partnerName);
  const [from, to] = years ?? [choice.firstYear, choice.lastYear];
  const clampedFrom = Math.min(Math.max(from, choice.firstYear), choice.lastYear);
  return {
    loss: {
      ...choice,
      layer: layer.name,
      choices: usable.map(choiceOf),
      treecoverSynthetic: partner?.attributes.synthetic === true,
      ...(partner ? { treecover: partner.name } : {}),
      from: clampedFrom,
      to: Math.max(clampedFrom, Math.min(to, choice.lastYear)),
      colors: layer.legend.entries.map((e) => e.color),
    },
    bounds: layer.bounds,
  };
}

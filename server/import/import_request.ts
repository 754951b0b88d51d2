// One description of an import, whoever asks for it: the CLI's flags and the HTTP form both become
// the contract's ImportFields (validated by the same zod schema), and ImportFields become the
// importer's target and options here, once. The summary a person reads is made here too.
import type { ImportFields } from '../api';
import type { ImportTarget } from './feature_importer';
import type { ImportOptions } from './types';

type CliValues = Record<string, string | boolean | undefined>;

/** The CLI's flags (`--kind`, `--id-field`, ...) as the form fields of POST /api/imports. */
export function importFieldsFromCli(values: CliValues): Record<string, string> {
  const fields: Record<string, string | boolean | undefined> = {
    target: values.activities ? 'activities' : values.sites ? 'sites' : 'areas',
    kind: values.kind,
    createKind: values['create-kind'],
    idField: values['id-field'],
    nameField: values['name-field'],
    attributes: values.attr,
    srid: values.srid,
    encoding: values.encoding,
    layer: values.layer,
    licence: values.licence,
    source: values.source,
    activity: values.activity,
    activityField: values['activity-field'],
    siteKind: values['site-kind'],
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export type ImportPlan =
  | { kind: 'activities'; options: ImportOptions & { layer?: string } }
  | { kind: 'features'; target: ImportTarget; options: ImportOptions & { layer?: string } };

/** What to run for validated fields: the activity matrix importer, or the feature importer with its target. */
export function importPlan(f: ImportFields, fileName?: string): ImportPlan {
  const options = {
    ...(fileName ? { fileName } : {}),
    ...(f.idField ? { idField: f.idField } : {}),
    ...(f.nameField ? { nameField: f.nameField } : {}),
    ...(f.attributes ? { attributes: f.attributes.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(f.srid !== undefined ? { srid: f.srid } : {}),
    ...(f.encoding ? { encoding: f.encoding } : {}),
    ...(f.layer ? { layer: f.layer } : {}),
    ...(f.licence ? { licence: f.licence } : {}),
    ...(f.source ? { source: f.source } : {}),
  };
  if (f.target === 'activities') return { kind: 'activities', options };
  if (f.target === 'areas') {
    const [en, es] = (f.createKind ?? '').split('|').map((s) => s.trim());
    return { kind: 'features', target: { type: 'areas', kind: f.kind!, ...(f.createKind ? { createKind: { en: en || f.kind!, es: es || en || f.kind! } } : {}) }, options };
  }
  return {
    kind: 'features',
    target: { type: 'sites', ...(f.activity ? { activityCode: f.activity } : {}), ...(f.activityField ? { activityField: f.activityField } : {}), ...(f.siteKind ? { siteKind: f.siteKind } : {}) },
    options,
  };
}

/** An import report as a person reads it (the CLI, directly or through a running server). */
export function summariseImport(r: Record<string, unknown>): string {
  const list = (k: string) => {
    const v = r[k] as number[] | undefined;
    return v && v.length ? `${v.length} (features ${v.slice(0, 20).join(', ')}${v.length > 20 ? ', ...' : ''})` : '0';
  };
  if (r.target === 'activities') {
    const a = r.activities as { inserted: number; updated: number };
    const s = r.sites as { inserted: number; updated: number };
    return [
      `imported ${r.file} (activity matrix, ${r.rows} rows)`,
      `  activities: inserted ${a.inserted}, updated ${a.updated}; sites: inserted ${s.inserted}, updated ${s.updated}`,
      `  provenance id ${r.importSourceId}, sha256 ${String(r.contentHash).slice(0, 16)}…, ${r.elapsedMs} ms`,
    ].join('\n');
  }
  return [
    `imported ${r.file} (${r.format}, layer ${r.layer}, EPSG:${r.srid} from ${r.sridSource}) into ${r.target}`,
    `  features read: ${r.features}; inserted ${r.inserted}, updated ${r.updated}`,
    `  repaired invalid geometries: ${list('repaired')}`,
    `  polygons stored as MultiPolygon: ${r.forcedMulti}`,
    `  skipped, no geometry: ${list('skippedNullGeometry')}; empty: ${list('skippedEmptyGeometry')}; wrong type: ${list('skippedWrongGeometryType')}`,
    `  provenance id ${r.importSourceId}, sha256 ${String(r.contentHash).slice(0, 16)}…, ${r.elapsedMs} ms`,
  ].join('\n');
}

// The activity matrix as agencies keep it: one CSV row per site (or per activity without a site),
// activity columns repeated. Every row is checked against the Work Program before anything is written.
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { activityStatuses, fundingStatuses } from '../api';
import type { Database } from '../db/schema';
import { activityIdByCode, upsertActivity } from '../db/repositories/activities.repository';
import { saveImportReport, upsertImportSource, upsertSiteBatch, type StagedFeature } from '../db/repositories/imports.repository';
import { readProgrammeRows } from '../db/repositories/programme.repository';
import { csvRows, positionColumns, rowGeometry } from './csv_reader';
import { sha256File } from './hash_file';
import { ImportError, type ImportOptions } from './types';

export interface ActivityMatrixReport {
  importSourceId: number;
  file: string;
  contentHash: string;
  format: 'csv';
  target: 'activities';
  rows: number;
  activities: { inserted: number; updated: number };
  sites: { inserted: number; updated: number };
  elapsedMs: number;
}

const list = (s: string | undefined) => (s ?? '').split(/[;,|]/).map((x) => x.trim()).filter(Boolean);
const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

/** Column names as written, lower-cased and with spaces as underscores. */
function column(row: Record<string, string>, ...names: string[]): string | undefined {
  for (const [k, v] of Object.entries(row)) {
    const key = k.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (names.includes(key)) return v;
  }
  return undefined;
}

interface ParsedRow {
  rowNumber: number;
  activity: Parameters<typeof upsertActivity>[1];
  site?: { sourceId: string; name: string; kind: string; geometry: NonNullable<ReturnType<typeof rowGeometry>> };
}

export async function importActivityMatrix(db: Kysely<Database>, file: string, options: ImportOptions = {}): Promise<ActivityMatrixReport> {
  const started = Date.now();
  const displayName = options.fileName ?? path.basename(file);
  const programme = await readProgrammeRows(db);
  const priorityAreas = programme.priorityAreas.map((p) => p.code);
  const actionAreas = new Map(programme.actionAreas.map((a) => [a.code, a.priority_area_code]));
  const goals = programme.goals.map((g) => g.code);
  const errors: string[] = [];
  const parsed: ParsedRow[] = [];
  const { rows, progress } = csvRows(file);
  let rowNumber = 1;
  let cols: ReturnType<typeof positionColumns>;
  for await (const row of rows) {
    rowNumber++;
    if (rowNumber === 2) cols = positionColumns(Object.keys(row));
    const fail = (msg: string) => errors.length < 50 && errors.push(`row ${rowNumber}: ${msg}`);
    const code = column(row, 'code', 'codigo', 'activity_code')?.trim();
    const title = column(row, 'title', 'titulo', 'activity')?.trim();
    const pa = column(row, 'priority_area', 'area_prioritaria')?.trim().toUpperCase();
    if (!code) fail('the code column is empty (every row needs the activity code)');
    if (!title) fail('the title column is empty');
    if (!pa || !priorityAreas.includes(pa)) fail(`priority area "${pa ?? ''}" is not one of ${priorityAreas.join(', ')}`);
    const aas = list(column(row, 'action_areas', 'action_area', 'areas_de_accion')).map((s) => s.toUpperCase());
    // An activity may serve action areas of other priority areas too (mercury work is A4 and E2).
    for (const a of aas) if (!actionAreas.has(a)) fail(`action area "${a}" is not one of ${[...actionAreas.keys()].join(', ')}`);
    const gs = list(column(row, 'goals', 'goal', 'metas')).map((s) => s.toUpperCase());
    for (const g of gs) if (!goals.includes(g)) fail(`goal "${g}" is not one of ${goals.join(', ')}`);
    const funding = (column(row, 'funding_status', 'funding') ?? 'funded').trim().toLowerCase().replace(/\s+/g, '_');
    if (!(fundingStatuses as readonly string[]).includes(funding)) fail(`funding status "${funding}" is not one of ${fundingStatuses.join(', ')}`);
    const status = (column(row, 'status', 'estado') ?? 'ongoing').trim().toLowerCase();
    if (!(activityStatuses as readonly string[]).includes(status)) fail(`status "${status}" is not one of ${activityStatuses.join(', ')}`);
    const dates: (string | null)[] = [];
    for (const [label, names] of [['start_date', ['start_date', 'start', 'inicio']], ['end_date', ['end_date', 'end', 'fin']]] as const) {
      const v = column(row, ...names)?.trim();
      if (!v) dates.push(null);
      else if (!dateText.safeParse(v).success) {
        fail(`${label} "${v}" is not a date; write it as YYYY-MM-DD`);
        dates.push(null);
      } else dates.push(v);
    }
    if (dates[0] && dates[1] && dates[1] < dates[0]) fail(`end_date ${dates[1]} is before start_date ${dates[0]}`);
    let site: ParsedRow['site'];
    if (cols) {
      try {
        const geometry = rowGeometry(row, cols, rowNumber);
        if (geometry) {
          const siteName = column(row, 'site_name', 'site', 'sitio')?.trim() || `${code} site`;
          site = { sourceId: column(row, 'site_id')?.trim() || siteName, name: siteName, kind: column(row, 'site_kind')?.trim() || 'site', geometry };
        }
      } catch (e) {
        fail((e as Error).message.replace(/^Row \d+: /, ''));
      }
    }
    // Spanish title and summary: a column present sets them (empty = not translated); absent keeps what is stored.
    const titleEs = column(row, 'title_es', 'titulo_es');
    const summaryEs = column(row, 'summary_es', 'resumen_es');
    if (code && title && pa) {
      parsed.push({
        rowNumber,
        activity: {
          code, title, summary: column(row, 'summary', 'resumen')?.trim() ?? '', priorityArea: pa, actionAreas: aas, goals: gs,
          ...(titleEs !== undefined ? { titleEs: titleEs.trim() || null } : {}),
          ...(summaryEs !== undefined ? { summaryEs: summaryEs.trim() || null } : {}),
          leadAgency: column(row, 'lead_agency', 'agencia_lider')?.trim() || 'unknown', implementingPartners: list(column(row, 'partners', 'implementing_partners', 'socios')),
          fundingStatus: funding, startDate: dates[0] ?? null, endDate: dates[1] ?? null, status,
          published: /^(true|yes|si|sí|1)$/i.test(column(row, 'published', 'publicado')?.trim() ?? 'false'), properties: {},
        },
        ...(site ? { site } : {}),
      });
    }
    options.onProgress?.({ ...progress(), features: rowNumber - 1 });
  }
  if (rowNumber === 1) throw new ImportError(`${displayName} has no rows.`);
  if (errors.length) throw new ImportError(`${displayName} has ${errors.length >= 50 ? 'at least 50' : errors.length} problem(s); nothing was imported:\n${errors.join('\n')}`);
  const hash = await sha256File(file);
  return db.transaction().execute(async (trx) => {
    const importSourceId = await upsertImportSource(trx, { fileName: displayName, contentHash: hash, layer: path.basename(file).replace(/\.[^.]+$/, ''), licence: options.licence ?? null, source: options.source ?? null, target: 'activities', format: 'csv', srid: 4326 });
    const report: ActivityMatrixReport = { importSourceId, file: displayName, contentHash: hash, format: 'csv', target: 'activities', rows: rowNumber - 1, activities: { inserted: 0, updated: 0 }, sites: { inserted: 0, updated: 0 }, elapsedMs: 0 };
    const byCode = new Map<string, ParsedRow[]>();
    for (const p of parsed) byCode.set(p.activity.code, [...(byCode.get(p.activity.code) ?? []), p]);
    for (const [code, group] of byCode) {
      const existed = (await activityIdByCode(trx, code)) !== undefined;
      const id = await upsertActivity(trx, { ...group[0]!.activity, properties: { importSourceId } });
      report.activities[existed ? 'updated' : 'inserted']++;
      const sites: StagedFeature[] = group.flatMap((p) =>
        p.site ? [{ index: p.rowNumber, sourceId: p.site.sourceId, name: p.site.name, properties: { row: p.rowNumber }, geometryKind: p.site.geometry.kind, geometry: p.site.geometry.kind === 'wkb' ? p.site.geometry.hex : p.site.geometry.text }] : [],
      );
      const ids = new Set<string>();
      for (const s of sites) {
        if (ids.has(s.sourceId)) throw new ImportError(`row ${s.index}: activity ${code} has two sites named "${s.sourceId}"; give each a distinct site_id.`);
        ids.add(s.sourceId);
      }
      if (sites.length === 0) continue;
      let results;
      try {
        results = await upsertSiteBatch(trx, { activityId: id, kind: 'site', srid: 4326, importSourceId, rows: sites });
      } catch (e) {
        throw new ImportError(`Activity ${code}: a site geometry cannot be read (${(e as Error).message}); check its wkt or lon/lat.`);
      }
      for (const r of results) {
        if (r.outOfRange) throw new ImportError(`row ${r.index}: the site lies outside longitude -180..180 / latitude -90..90; lon and lat may be swapped or projected.`);
        if (r.inserted === true) report.sites.inserted++;
        else if (r.inserted === false) report.sites.updated++;
      }
    }
    report.elapsedMs = Date.now() - started;
    await saveImportReport(trx, importSourceId, report);
    return report;
  });
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActivitiesQuery } from '../../api';
import type { Database } from '../schema';

export interface ActivityRow {
  id: number;
  code: string;
  title: string;
  summary: string;
  title_es: string | null;
  summary_es: string | null;
  priority_area_code: string;
  lead_agency: string;
  implementing_partners: string[];
  funding_status: string;
  start_date: string | null;
  end_date: string | null;
  status: string;
  published: boolean;
  properties: Record<string, unknown>;
  action_areas: string[];
  goals: string[];
  site_count: number;
}

type ActivityFilter = Partial<Omit<ActivitiesQuery, 'limit' | 'offset'>> & {
  id?: number;
  /** Public answers: published activities only. */
  publishedOnly?: boolean;
  /** Editors' lists: these lead agencies only. */
  leadAgencies?: string[];
};

function filtered(db: Kysely<Database>, f: ActivityFilter) {
  let q = db.selectFrom('activity as a');
  if (f.id !== undefined) q = q.where('a.id', '=', f.id);
  if (f.publishedOnly) q = q.where('a.published', '=', true);
  if (f.leadAgencies) q = q.where('a.lead_agency', 'in', f.leadAgencies.length ? f.leadAgencies : ['']);
  if (f.priorityArea) q = q.where('a.priority_area_code', '=', f.priorityArea);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.fundingStatus) q = q.where('a.funding_status', '=', f.fundingStatus);
  if (f.leadAgency) q = q.where('a.lead_agency', 'ilike', `%${escapeLike(f.leadAgency)}%`);
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    q = q.where((eb) =>
      eb.or([eb('a.code', 'ilike', pattern), eb('a.title', 'ilike', pattern), eb('a.summary', 'ilike', pattern)]),
    );
  }
  if (f.activeOn) {
    const day = f.activeOn;
    q = q.where((eb) =>
      eb.and([
        eb.or([eb('a.start_date', 'is', null), eb('a.start_date', '<=', day)]),
        eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', day)]),
      ]),
    );
  }
  if (f.actionArea) {
    const code = f.actionArea;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('activity_action_area as x')
          .select('x.activity_id')
          .whereRef('x.activity_id', '=', 'a.id')
          .where('x.action_area_code', '=', code),
      ),
    );
  }
  if (f.goal) {
    const code = f.goal;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('activity_goal as g')
          .select('g.activity_id')
          .whereRef('g.activity_id', '=', 'a.id')
          .where('g.goal_code', '=', code),
      ),
    );
  }
  return q;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function selectActivity(db: Kysely<Database>, f: ActivityFilter) {
  return filtered(db, f)
    .select([
      'a.id', 'a.code', 'a.title', 'a.summary', 'a.title_es', 'a.summary_es', 'a.priority_area_code', 'a.lead_agency',
      'a.implementing_partners', 'a.funding_status', 'a.status', 'a.published', 'a.properties',
    ])
    // Dates as text: node-pg would turn a `date` into a local-midnight Date, shifting it by a day west of UTC.
    .select(sql<string | null>`to_char(a.start_date, 'YYYY-MM-DD')`.as('start_date'))
    .select(sql<string | null>`to_char(a.end_date, 'YYYY-MM-DD')`.as('end_date'))
    .select(
      sql<string[]>`(SELECT coalesce(jsonb_agg(x.action_area_code ORDER BY x.action_area_code), '[]'::jsonb)
        FROM activity_action_area x WHERE x.activity_id = a.id)`.as('action_areas'),
    )
    .select(
      sql<string[]>`(SELECT coalesce(jsonb_agg(g.goal_code ORDER BY g.goal_code), '[]'::jsonb)
        FROM activity_goal g WHERE g.activity_id = a.id)`.as('goals'),
    )
    .select(sql<number>`(SELECT count(*)::int FROM site s WHERE s.activity_id = a.id)`.as('site_count'));
}

/** One page of activities matching every given filter, ordered by code, with the filter's total. */
export async function listActivities(
  db: Kysely<Database>,
  query: ActivityFilter & { limit: number; offset: number },
): Promise<{ rows: ActivityRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    selectActivity(db, query).orderBy('a.code').limit(query.limit).offset(query.offset).execute(),
    filtered(db, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The activity with that id, or undefined when there is none. */
export async function findActivity(db: Kysely<Database>, id: number, options: { publishedOnly?: boolean } = {}): Promise<ActivityRow | undefined> {
  return selectActivity(db, { id, ...options }).executeTakeFirst();
}

export interface ActivityInput {
  code: string;
  title: string;
  summary: string;
  /** Spanish title and summary: absent keeps what is stored (an import without them does not erase them), null clears. */
  titleEs?: string | null;
  summaryEs?: string | null;
  priorityArea: string;
  actionAreas: string[];
  goals: string[];
  leadAgency: string;
  implementingPartners: string[];
  fundingStatus: string;
  startDate: string | null;
  endDate: string | null;
  status: string;
  published: boolean;
  properties: Record<string, unknown>;
}

/** Inserts or updates (by code) an activity with its action areas and goals; returns its id. */
export async function upsertActivity(trx: Transaction<Database>, input: ActivityInput): Promise<number> {
  const values = {
    code: input.code,
    title: input.title,
    summary: input.summary,
    ...(input.titleEs !== undefined ? { title_es: input.titleEs } : {}),
    ...(input.summaryEs !== undefined ? { summary_es: input.summaryEs } : {}),
    priority_area_code: input.priorityArea,
    lead_agency: input.leadAgency,
    implementing_partners: JSON.stringify(input.implementingPartners),
    funding_status: input.fundingStatus,
    start_date: input.startDate,
    end_date: input.endDate,
    status: input.status,
    published: input.published,
    properties: JSON.stringify(input.properties),
  };
  // Every lead agency is an agency editors can be given (imports and the demo bring new ones).
  await trx.insertInto('agency').values({ code: input.leadAgency, name: input.leadAgency }).onConflict((oc) => oc.doNothing()).execute();
  const { id } = await trx
    .insertInto('activity')
    .values(values)
    .onConflict((oc) => oc.column('code').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('activity_action_area').where('activity_id', '=', id).execute();
  await trx.deleteFrom('activity_goal').where('activity_id', '=', id).execute();
  if (input.actionAreas.length > 0) {
    await trx
      .insertInto('activity_action_area')
      .values(input.actionAreas.map((code) => ({ activity_id: id, action_area_code: code })))
      .execute();
  }
  if (input.goals.length > 0) {
    await trx
      .insertInto('activity_goal')
      .values(input.goals.map((code) => ({ activity_id: id, goal_code: code })))
      .execute();
  }
  return id;
}

/** The lead agencies of published activities, sorted. */
export async function publishedLeadAgencies(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('activity').select('lead_agency').distinct().where('published', '=', true).orderBy('lead_agency').execute()).map((a) => a.lead_agency);
}

export async function renameActivityCode(trx: Transaction<Database>, id: number, code: string): Promise<void> {
  await trx.updateTable('activity').set({ code }).where('id', '=', id).execute();
}

export async function activityExists(db: Kysely<Database>, id: number): Promise<boolean> {
  return !!(await db.selectFrom('activity').select('id').where('id', '=', id).executeTakeFirst());
}

export async function activityIdByCode(db: Kysely<Database> | Transaction<Database>, code: string): Promise<number | undefined> {
  return (await db.selectFrom('activity').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

// Text that users write carries Spanish beside English: an activity's title and summary and an
// indicator's name and unit are stored, served, kept by imports that do not carry them, and
// printed in the Spanish report.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seedGrid } from '../helpers/grid_fixture';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

describe(`Spanish text of activities and indicators on the ${testDatabaseKind()} database`, () => {
  const ctx = useTestApp({ seed: seedGrid, user: 'admin' });
  const post = (path: string, body: unknown) =>
    fetch(`${ctx.app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` }, body: JSON.stringify(body) });

  it('stores, serves and prints both languages, and an empty Spanish text means "not translated"', async () => {
    const created = await post('/api/activities', {
      code: 'B-77', title: 'River patrols', summary: 'Patrols on the river.', titleEs: 'Patrullajes fluviales', summaryEs: 'Patrullajes en el río.',
      priorityArea: 'B', actionAreas: ['B2'], goals: ['B'], leadAgency: 'SERFOR', fundingStatus: 'funded', status: 'ongoing', startDate: '2016-01-01', published: true,
    });
    expect(created.status).toBe(201);
    const activity = (await created.json()) as { id: number; titleEs: string | null; summaryEs: string | null };
    expect(activity.titleEs).toBe('Patrullajes fluviales');
    expect(activity.summaryEs).toBe('Patrullajes en el río.');
    const indicator = await post(`/api/activities/${activity.id}/indicators`, { name: 'Patrols carried out', unit: 'patrols', name_es: 'Patrullajes realizados', unit_es: 'patrullajes', direction: 'higher_is_better', kind: 'manual', published: true });
    expect(indicator.status).toBe(201);
    expect(await indicator.json()).toMatchObject({ name_es: 'Patrullajes realizados', unit_es: 'patrullajes' });
    // A change of another field keeps the Spanish; an empty one clears it.
    expect((await (await post(`/api/activities/${activity.id}`, { status: 'completed' })).json()).titleEs).toBe('Patrullajes fluviales');
    const report = String((await ctx.app.get('/report?lang=es')).body);
    expect(report).toContain('Patrullajes fluviales');
    expect(report).toContain('Patrullajes realizados');
    expect(String((await ctx.app.get('/report?lang=en')).body)).toContain('River patrols');
    expect((await (await post(`/api/activities/${activity.id}`, { summaryEs: '' })).json()).summaryEs).toBeNull();
  });

  it('reads the Spanish title of an activity matrix (data/examples/activity_matrix.csv)', async () => {
    const form = new FormData();
    form.set('target', 'activities');
    form.set('file', new Blob([fs.readFileSync('data/examples/activity_matrix.csv')]), 'activity_matrix.csv');
    const res = await fetch(`${ctx.app.baseUrl}/api/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ctx.token}` } });
    expect(res.status, await res.clone().text()).toBe(201);
    const list = (await ctx.app.get('/api/activities?q=Example')).body as { activities: { code: string; titleEs: string | null }[] };
    expect(list.activities.find((a) => a.code === 'B-90')?.titleEs).toBe('Ejemplo: patrullajes fluviales en el Madre de Dios');
  });
});

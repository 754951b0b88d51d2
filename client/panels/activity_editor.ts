// The editing side panel of one activity: its form, its sites (draw new ones on the map, redraw or
// delete them, upload a file of them) and its indicators (add measurements to manual ones).
import { apiPaths, formatDateTime, measurementInputSchema, type Activity, type Programme, type User } from '@atalaya/api';
import { ApiError } from '../api/client';
import { fieldErrors, historyOf, myActivity, myActivityIndicators, myActivitySites, send } from '../api/session';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import type { DrawMode } from '../map/upload_shape';
import { renderActivityForm } from './activity_form';
import { sectionTitle } from './details_panel';

export interface ActivityEditorContext {
  lang: Lang;
  programme: Programme;
  user: User;
  agencies: string[];
  /** Draws one shape on the map and hands it over. */
  draw(mode: DrawMode, done: (geometry: GeoJSON.Geometry) => void): void;
  /** The activity was created or changed: refresh what shows it (map, lists, URL). */
  changed(activity: Activity): void;
}

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : (e as Error).message);

function status(root: HTMLElement): (text: string, error?: boolean) => void {
  const p = document.createElement('p');
  p.className = 'form-status';
  p.setAttribute('role', 'status');
  root.append(p);
  return (text, error = false) => {
    p.textContent = text;
    p.className = error ? 'form-status error' : 'form-status';
  };
}

export async function renderActivityEditor(root: HTMLElement, ctx: ActivityEditorContext, activityId: number | undefined): Promise<void> {
  const t = (k: MessageKey) => translate(ctx.lang, k);
  root.replaceChildren();
  const activity = activityId ? await myActivity(activityId) : undefined;
  const formBox = document.createElement('section');
  root.append(formBox);
  renderActivityForm(formBox, {
    lang: ctx.lang,
    programme: ctx.programme,
    agencies: ctx.agencies,
    ...(activity ? { activity } : {}),
    onSave: async (values) => {
      try {
        const saved = await send('POST', activity ? apiPaths.activity(activity.id) : apiPaths.activities, values);
        ctx.changed(saved as Activity);
        return undefined;
      } catch (e) {
        if (e instanceof ApiError && e.status === 400) return fieldErrors(e.message);
        if (e instanceof ApiError && e.code === 'conflict') return { code: e.message };
        return { _: errorText(e) };
      }
    },
  });
  if (!activity) return;
  root.append(await sitesSection(t, ctx, activity));
  root.append(sectionTitle(t('indicators')), await indicatorsSection(t, activity));
  root.append(sectionTitle(t('history')), await historySection(t, ctx.lang, activity));
}

type Translate = (k: MessageKey) => string;

/** The activity's sites: redraw or delete each, draw a new one (name first), or upload a file of them. */
async function sitesSection(t: Translate, ctx: ActivityEditorContext, activity: Activity): Promise<HTMLElement> {
  const sites = document.createElement('section');
  sites.className = 'edit-sites';
  const drawSites = async () => {
    sites.replaceChildren(sectionTitle(t('sites')));
    const say = status(sites);
    const list = document.createElement('ul');
    list.className = 'link-list';
    for (const f of (await myActivitySites(activity.id)).features) {
      const li = document.createElement('li');
      li.append(`${String(f.properties.name)} (${f.geometry.type}) `);
      const redraw = document.createElement('button');
      redraw.type = 'button';
      redraw.textContent = t('redraw');
      redraw.addEventListener('click', () => {
        say(t('drawHint'));
        ctx.draw(f.geometry.type.includes('Polygon') ? 'polygon' : f.geometry.type.includes('Line') ? 'linestring' : 'point', (geometry) =>
          void send('POST', apiPaths.site(Number(f.id)), { geometry }).then(() => drawSites()).catch((e: unknown) => say(errorText(e), true)));
      });
      const del = document.createElement('button');
      del.type = 'button';
      del.textContent = t('delete');
      del.addEventListener('click', () => void send('POST', apiPaths.siteDelete(Number(f.id))).then(() => drawSites()).catch((e: unknown) => say(errorText(e), true)));
      li.append(redraw, ' ', del);
      list.append(li);
    }
    sites.append(list);
    // A new site: its name, then its shape on the map.
    const form = document.createElement('form');
    form.className = 'edit-form inline';
    const nameLabel = document.createElement('label');
    nameLabel.textContent = t('siteName');
    const name = document.createElement('input');
    name.name = 'site-name';
    nameLabel.append(name);
    form.append(nameLabel);
    for (const mode of ['point', 'linestring', 'polygon'] as DrawMode[]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.newSite = mode;
      b.textContent = t(mode === 'point' ? 'drawPoint' : mode === 'linestring' ? 'drawLine' : 'drawPolygon');
      b.addEventListener('click', () => {
        if (!name.value.trim()) return say(t('siteNameFirst'), true);
        say(t('drawHint'));
        ctx.draw(mode, (geometry) =>
          void send('POST', apiPaths.activitySites(activity.id), { name: name.value.trim(), geometry })
            .then(() => drawSites())
            .catch((e: unknown) => say(errorText(e), true)));
      });
      form.append(b);
    }
    sites.append(form);
    // Or a file of sites (GeoJSON, zipped shapefile, GeoPackage, CSV with lon/lat).
    const upload = document.createElement('label');
    upload.className = 'upload-sites';
    upload.textContent = `${t('uploadSites')} `;
    const file = document.createElement('input');
    file.type = 'file';
    file.accept = '.geojson,.json,.zip,.gpkg,.csv';
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (!f) return;
      const body = new FormData();
      body.set('target', 'sites');
      body.set('activity', activity.code);
      body.set('file', f, f.name);
      say(t('saving'));
      void send('POST', apiPaths.imports, body)
        .then(() => drawSites())
        .catch((e: unknown) => say(`${f.name}: ${errorText(e)}`, true));
    });
    upload.append(file);
    sites.append(upload);
  };
  await drawSites();
  return sites;
}

/** The activity's indicators, with a measurement form under each manual one. */
async function indicatorsSection(t: Translate, activity: Activity): Promise<HTMLElement> {
  const indicators = document.createElement('section');
  const list = await myActivityIndicators(activity.id);
  for (const ind of list.indicators) {
    const box = document.createElement('div');
    box.className = 'edit-indicator';
    const h = document.createElement('h4');
    h.textContent = `${ind.name} (${ind.unit})${ind.latest ? ` · ${ind.latest.value}` : ''}`;
    box.append(h);
    if (ind.kind === 'manual') box.append(measurementForm(t, ind.id));
    indicators.append(box);
  }
  if (!list.indicators.length) indicators.append(t('none'));
  return indicators;
}

/** A measurement of a manual indicator: date, value, note, published; checked with the contract before it is sent. */
function measurementForm(t: Translate, indicatorId: number): HTMLElement {
  const form = document.createElement('form');
  form.className = 'edit-form inline';
  form.noValidate = true;
  const field = (key: string, label: MessageKey, type: string) => {
    const l = document.createElement('label');
    l.textContent = t(label);
    const input = document.createElement('input');
    input.type = type;
    input.name = key;
    if (type === 'number') input.step = 'any';
    const err = document.createElement('span');
    err.className = 'field-error';
    err.dataset.for = key;
    l.append(input, err);
    form.append(l);
    return input;
  };
  const when = field('measured_at', 'measuredAt', 'date');
  const value = field('value', 'value', 'number');
  const note = field('note', 'note', 'text');
  const pub = field('published', 'publishedLabel', 'checkbox');
  pub.checked = true;
  const add = document.createElement('button');
  add.type = 'submit';
  add.textContent = t('addMeasurement');
  form.append(add);
  const say = status(form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = { measured_at: when.value, value: value.value === '' ? Number.NaN : Number(value.value), ...(note.value ? { note: note.value } : {}), published: pub.checked };
    const show = (messages: Record<string, string>) => form.querySelectorAll<HTMLElement>('.field-error').forEach((el) => (el.textContent = messages[el.dataset.for!] ?? ''));
    const checked = measurementInputSchema.safeParse(values);
    if (!checked.success) {
      const messages: Record<string, string> = {};
      for (const i of checked.error.issues) messages[String(i.path[0])] ??= i.message;
      return show(messages);
    }
    show({});
    void send('POST', apiPaths.indicatorMeasurements(indicatorId), checked.data)
      .then(() => say(t('saved')))
      .catch((err: unknown) => (err instanceof ApiError && err.status === 400 ? show(fieldErrors(err.message)) : say(errorText(err), true)));
  });
  return form;
}

/** Who changed what, from the audit log. */
async function historySection(t: Translate, lang: Lang, activity: Activity): Promise<HTMLElement> {
  const history = document.createElement('section');
  history.className = 'edit-history';
  const ul = document.createElement('ul');
  ul.className = 'link-list';
  for (const e of await historyOf('activity', activity.id)) {
    const before = (e.before ?? {}) as Record<string, unknown>;
    const after = (e.after ?? {}) as Record<string, unknown>;
    const changed = Object.keys(after).filter((k) => k !== 'updated_at' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    const li = document.createElement('li');
    li.textContent = `${formatDateTime(lang, e.at)} · ${e.actor} · ${t(e.action === 'insert' ? 'created' : e.action === 'delete' ? 'delete' : 'changed')}${e.action === 'update' ? `: ${changed.join(', ')}` : ''}`;
    ul.append(li);
  }
  history.append(ul);
  return history;
}

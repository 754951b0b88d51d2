// The offline-areas drawer: take an area into the field (the selected area, an activity's or a
// site's surroundings, or the area the map shows, at a zoom range; its size estimated first; the
// build and the download with progress) and the areas stored on this device (shown on the map,
// deleted), with the downloads a closed app left unfinished (resumed from the bytes already stored).
// The list works with no network and without signing in: it reads the device's storage.
import { formatBytes, formatCount, formatDate, formatNumber, type PackageRequest } from '@atalaya/api';
import { currentUser } from '../api/session';
import { deleteServerPackage, estimatePackage } from '../api/packages';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import { finishDownload, takeOffline, type DownloadProgress } from '../offline/package_download';
import { serverReachable } from '../offline/connectivity';
import { offlineStorageAvailable, removeStoredPackage, storageState, storedPackages, unfinishedDownloads, type StoredPackage, type UnfinishedDownload } from '../offline/package_store';
import { actionButton, heading, labelled, note, statusLine } from './details_panel';

/** What the drawer may take: the selection (when it is an area, activity or site) and the map's view. */
export interface OfflineContext {
  selection: { subject: 'area' | 'activity' | 'site'; id: number } | undefined;
  viewBounds: () => [number, number, number, number] | undefined;
  shown: ReadonlySet<number>;
  show: (p: StoredPackage) => Promise<void>;
  hide: (id: number) => void;
  stillOpen: () => boolean;
}

const MAX_BOX_DEG = 2;

/** Packages being downloaded by this page now: listed as under way, not offered for resuming twice. */
const downloading = new Set<number>();

export async function renderOfflinePackages(root: HTMLElement, lang: Lang, ctx: OfflineContext): Promise<void> {
  const t = (k: MessageKey) => translate(lang, k);
  const wrap = document.createElement('div');
  wrap.className = 'offline-packages';
  if (!offlineStorageAvailable()) {
    wrap.append(note(t('offlineNoStorage')));
    return void root.replaceChildren(wrap);
  }
  const rerender = () => void renderOfflinePackages(root, lang, ctx);
  const list = await storedPackages();
  const unfinished = await unfinishedDownloads();
  const storage = await storageState().catch(() => undefined);
  if (!ctx.stillOpen()) return;
  wrap.append(takeSection(lang, ctx, rerender));
  if (unfinished.length) wrap.append(unfinishedSection(lang, unfinished, rerender));
  wrap.append(deviceSection(lang, ctx, list, storage, rerender));
  root.replaceChildren(wrap);
}

function takeSection(lang: Lang, ctx: OfflineContext, done: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'take-offline';
  box.append(heading(t('takeOffline')));
  if (!serverReachable()) return box.appendChild(note(t('offlineNeedsNetwork'))).parentElement!;
  if (!currentUser()) return box.appendChild(note(t('offlineSignIn'))).parentElement!;

  // What: the selection when there is one, or the map's view.
  const what = document.createElement('fieldset');
  const legend = document.createElement('legend');
  legend.textContent = t('offlineWhat');
  what.append(legend);
  const choice = (value: string, label: string, checked: boolean) => {
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'offline-what';
    input.value = value;
    input.checked = checked;
    const l = document.createElement('label');
    l.append(input, ` ${label}`);
    what.append(l);
    return input;
  };
  const sel = ctx.selection;
  if (sel) choice('selection', t(sel.subject === 'area' ? 'offlineSelectedArea' : sel.subject === 'activity' ? 'offlineSelectedActivity' : 'offlineSelectedSite'), true);
  choice('view', t('offlineView'), !sel);

  const zoomSelect = (name: string, from: number, to: number, value: number) => {
    const s = document.createElement('select');
    s.name = name;
    for (let z = from; z <= to; z++) s.add(new Option(String(z), String(z), false, z === value));
    return s;
  };
  const minZoom = zoomSelect('min_zoom', 4, 14, 8);
  const maxZoom = zoomSelect('max_zoom', 8, 16, 15);
  const zooms = document.createElement('div');
  zooms.className = 'zoom-range';
  zooms.append(labelled(t('zoomFrom'), minZoom), labelled(t('zoomTo'), maxZoom));

  const estimateLine = document.createElement('p');
  estimateLine.className = 'estimate';
  estimateLine.setAttribute('aria-live', 'polite');
  const bar = document.createElement('progress');
  bar.hidden = true;
  bar.max = 1;
  bar.setAttribute('aria-label', t('packageDownloading'));
  const status = statusLine();

  const request = (): PackageRequest | undefined => {
    const chosen = what.querySelector<HTMLInputElement>('input:checked')?.value;
    const zoom = { min_zoom: Number(minZoom.value), max_zoom: Number(maxZoom.value) };
    if (chosen === 'selection' && sel) return { subject: sel.subject, id: sel.id, ...zoom };
    const b = ctx.viewBounds();
    if (!b) return undefined;
    if (b[2] - b[0] > MAX_BOX_DEG || b[3] - b[1] > MAX_BOX_DEG) {
      status.say(t('offlineBoxTooLarge'), true);
      return undefined;
    }
    return { subject: 'box', bbox: b.map((v) => Math.round(v * 1e5) / 1e5) as [number, number, number, number], ...zoom };
  };
  const explain = (e: unknown) => status.say(failure(lang, e), true);

  const estimate: HTMLButtonElement = actionButton(t('estimateSize'), { action: 'estimate-package' }, () => void (async () => {
    const r = request();
    if (!r) return;
    status.say('');
    try {
      const e = await estimatePackage(r);
      estimateLine.textContent = `${e.name}: ${formatCount(lang, e.tiles, { one: t('tileOne'), other: t('tileOther') })}, ${t('aboutSize')} ${formatBytes(lang, e.bytes_estimate)}`;
      download.disabled = false;
    } catch (e) {
      explain(e);
    }
  })());
  const download: HTMLButtonElement = actionButton(t('download'), { action: 'download-package' }, () => void (async () => {
    const r = request();
    if (!r) return;
    download.disabled = true;
    estimate.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    let id: number | undefined;
    try {
      const stored = await takeOffline(r, (p) => showProgress(lang, p, bar, status), (x) => downloading.add((id = x)));
      status.say(`${t('packageStored')}: ${stored.package.name} (${formatBytes(lang, stored.bytes)})`);
      done();
    } catch (e) {
      explain(e);
      download.disabled = false;
    } finally {
      if (id !== undefined) downloading.delete(id);
      estimate.disabled = false;
    }
  })());
  download.disabled = true;
  what.addEventListener('change', () => (download.disabled = true));
  minZoom.addEventListener('change', () => (download.disabled = true));
  maxZoom.addEventListener('change', () => (download.disabled = true));
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(estimate, download);
  box.append(what, zooms, buttons, estimateLine, bar, status);
  return box;
}

function failure(lang: Lang, e: unknown): string {
  const m = (e as Error).message;
  return /a package holds at most/.test(m) ? translate(lang, 'offlineTooManyTiles') : `${translate(lang, 'offlineFailed')} ${m}`;
}

/** A package's list item (data-package or data-unfinished = its id), its name in bold and an empty line of facts. */
function packageItem(key: 'package' | 'unfinished', id: number, title: string): { li: HTMLLIElement; name: HTMLElement; facts: HTMLSpanElement } {
  const li = document.createElement('li');
  li.dataset[key] = String(id);
  const name = document.createElement('strong');
  name.textContent = title;
  const facts = document.createElement('span');
  facts.className = 'facts';
  return { li, name, facts };
}

/** Downloads begun and not finished (the app was closed, or the network stayed away): resumed or dropped. */
function unfinishedSection(lang: Lang, list: UnfinishedDownload[], changed: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'unfinished-packages';
  box.append(heading(t('unfinishedDownloads')));
  const ul = document.createElement('ul');
  for (const u of list) {
    const p = u.package;
    const { li, name, facts } = packageItem('unfinished', p.id, p.name);
    facts.textContent = p.bytes === null || u.bytes === 0
      ? `${t('zoomLevels')} ${p.min_zoom}–${p.max_zoom} · ${t('downloadNotStarted')}`
      : `${t('zoomLevels')} ${p.min_zoom}–${p.max_zoom} · ${formatBytes(lang, u.bytes)} ${t('storageOf')} ${formatBytes(lang, p.bytes)}`;
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = p.bytes ? u.bytes / p.bytes : 0;
    bar.setAttribute('aria-label', `${t('packageDownloading')}: ${p.name}`);
    const status = statusLine();
    const busy = downloading.has(p.id);
    const resume: HTMLButtonElement = actionButton(t('resumeDownload'), { action: 'resume-package' }, () => void (async () => {
      resume.disabled = true;
      remove.disabled = true;
      downloading.add(p.id);
      try {
        const stored = await finishDownload(p.id, (x) => showProgress(lang, x, bar, status));
        status.say(`${t('packageStored')}: ${stored.package.name} (${formatBytes(lang, stored.bytes)})`);
        changed();
      } catch (e) {
        status.say(failure(lang, e), true);
        resume.disabled = false;
        remove.disabled = false;
      } finally {
        downloading.delete(p.id);
      }
    })());
    resume.setAttribute('aria-label', `${t('resumeDownload')}: ${p.name}`);
    // Resuming needs the server; dropping the part does not.
    resume.disabled = busy || !serverReachable() || !currentUser();
    const remove: HTMLButtonElement = actionButton(t('delete'), { action: 'drop-unfinished' }, () => void (async () => {
      await removeStoredPackage(p.id);
      changed();
    })());
    remove.setAttribute('aria-label', `${t('delete')}: ${p.name}`);
    remove.disabled = busy;
    li.append(name, document.createElement('br'), facts, bar, status, resume, remove);
    ul.append(li);
  }
  box.append(ul);
  return box;
}

function showProgress(lang: Lang, p: DownloadProgress, bar: HTMLProgressElement, status: ReturnType<typeof statusLine>): void {
  const t = (k: MessageKey) => translate(lang, k);
  if (p.phase === 'checking') {
    bar.removeAttribute('value'); // indeterminate while the checksum is computed
    return status.say(t('packageChecking'));
  }
  bar.value = p.done / p.total;
  bar.setAttribute('aria-label', t(p.phase === 'building' ? 'packageBuilding' : 'packageDownloading'));
  status.say(p.phase === 'building'
    ? `${t('packageBuilding')}: ${formatNumber(lang, p.done)} / ${formatNumber(lang, p.total)} ${t('tileOther')}`
    : `${t('packageDownloading')}: ${formatBytes(lang, p.done)} ${t('storageOf')} ${formatBytes(lang, p.total)}`);
}

function deviceSection(lang: Lang, ctx: OfflineContext, list: StoredPackage[], storage: { usage: number; quota: number } | undefined, changed: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'device-packages';
  box.append(heading(t('onThisDevice')));
  if (storage) box.append(note(`${t('storageUsed')}: ${formatBytes(lang, storage.usage)} ${t('storageOf')} ${formatBytes(lang, storage.quota)}`));
  if (!list.length) return box.appendChild(note(t('noPackages'))).parentElement!;
  const ul = document.createElement('ul');
  for (const s of list) {
    const p = s.package;
    const { li, name, facts } = packageItem('package', p.id, p.name);
    facts.textContent = [
      `${t('zoomLevels')} ${p.min_zoom}–${p.max_zoom}`,
      formatBytes(lang, s.bytes),
      formatCount(lang, s.counts.alerts, { one: t('alertOne'), other: t('alertOther') }) + (s.alerts_to ? ` (${t('alertsUntil')} ${formatDate(lang, s.alerts_to)})` : ''),
      formatCount(lang, s.counts.sites, { one: t('siteOne'), other: t('siteOther') }),
      `${t('storedOn')} ${formatDate(lang, s.stored_at)}`,
    ].join(' · ');
    const shown = ctx.shown.has(p.id);
    const toggle = actionButton(t(shown ? 'hideFromMap' : 'showOnMap'), { action: shown ? 'hide-package' : 'show-package' }, () => void (async () => {
      if (shown) ctx.hide(p.id);
      else await ctx.show(s);
      changed();
    })());
    toggle.setAttribute('aria-label', `${toggle.textContent}: ${p.name}`);
    const remove = actionButton(t('delete'), { action: 'delete-package' }, () => void (async () => {
      ctx.hide(p.id);
      await removeStoredPackage(p.id);
      // The server's copy too, when it can be reached; the device's copy is gone either way.
      if (serverReachable() && currentUser()) await deleteServerPackage(p.id).catch(() => undefined);
      changed();
    })());
    remove.setAttribute('aria-label', `${t('delete')}: ${p.name}`);
    const sources = document.createElement('span');
    sources.className = 'sources';
    sources.textContent = `${t('sourcesLabel')}: ${s.sources.map((x) => x.replace(/ \*$/, ` (${t('synthetic')})`)).join('; ')}`;
    li.append(name, document.createElement('br'), facts, document.createElement('br'), sources, document.createElement('br'), toggle, remove);
    ul.append(li);
  }
  box.append(ul);
  return box;
}

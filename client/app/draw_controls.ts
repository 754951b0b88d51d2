// "Analyse here": draw a polygon, a line or a point, or upload a GeoJSON file; the shape's loss then
// opens in the side panel.
import { area as geodesicArea } from '@turf/turf';
import { geometryFromUpload, MAX_UPLOAD_BYTES, UploadError, type DrawMode } from '../map/upload_shape';
import { showShape } from '../panels/subject_details';
import type { App } from './app';
import { subjectContext } from './subject_context';
import { formatHectares } from '@atalaya/api';

export function renderDrawTools(app: App): void {
  const { t } = app;
  const root = document.getElementById('draw-tools')!;
  root.replaceChildren();
  root.setAttribute('aria-label', t('analyseHere'));
  const title = document.createElement('span');
  title.className = 'tools-title';
  title.textContent = t('analyseHere');
  root.append(title);
  const button = (label: string, mode: DrawMode) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.draw = mode;
    b.addEventListener('click', () => {
      void drawTool(app)?.then((d) => d.start(mode));
      app.setStatus({ text: t(mode === 'polygon' ? 'drawPolygonHint' : mode === 'linestring' ? 'drawLineHint' : 'drawPointHint'), error: false });
    });
    return b;
  };
  const upload = document.createElement('label');
  upload.className = 'upload';
  const file = document.createElement('input');
  file.type = 'file';
  file.accept = '.geojson,.json,application/geo+json,application/json';
  file.setAttribute('aria-label', t('uploadGeojson'));
  file.addEventListener('change', () => void uploadFile(app, file));
  upload.append(t('uploadGeojson'), file);
  root.append(button(t('drawPolygon'), 'polygon'), button(t('drawLine'), 'linestring'), button(t('drawPoint'), 'point'), upload);
}

/** The map's drawing tool, analysing what is drawn or uploaded; undefined before the map exists. */
export function drawTool(app: App) {
  return app.view?.drawTool((geometry, origin) => showDrawnShape(app, geometry, origin));
}

async function uploadFile(app: App, input: HTMLInputElement): Promise<void> {
  const { t } = app;
  const f = input.files?.[0];
  input.value = '';
  if (!f) return;
  try {
    if (f.size > MAX_UPLOAD_BYTES) throw new UploadError('too_big');
    const geometry = geometryFromUpload(await f.text());
    (await drawTool(app))?.showUpload(geometry);
  } catch (e) {
    const code = e instanceof UploadError ? e.message : 'not_json';
    app.setStatus({ text: `${f.name}: ${t(code === 'too_big' ? 'uploadTooBig' : code === 'not_lonlat' ? 'uploadNotLonLat' : code === 'no_geometry' ? 'uploadNoGeometry' : 'uploadNotJson')}`, error: true });
  }
}

function showDrawnShape(app: App, geometry: GeoJSON.Geometry, origin: 'drawn' | 'uploaded'): void {
  const { t, lang } = app;
  app.setStatus(undefined);
  if (app.state.get().selection) app.commit({ selection: undefined });
  const bufferM = app.data.get().clientConfig.siteBufferM;
  const buffered = !geometry.type.includes('Polygon');
  showShape(subjectContext(app), t(origin === 'drawn' ? 'drawnShape' : 'uploadedShape'), buffered ? t('lossWithinBuffer').replace('{km}', String(bufferM / 1000)) : t('lossInside'), geometry, buffered ? bufferM : undefined,
    buffered ? [] : [[t('area'), formatHectares(lang, geodesicArea(geometry) / 10_000)]]);
}

// The alert endpoints, typed with the shared contract.
import { z } from 'zod';
import { alertAnswerSchema, alertLayerSchema, apiPaths, vectorAlertAnswerSchema, vectorAlertLayerSchema, type AlertAnswer, type AlertLayer, type VectorAlertAnswer, type VectorAlertLayer } from '@atalaya/api';
import { answerOf } from './client';

export type AlertSubject = 'area' | 'site' | 'activity';

export interface AlertWindow {
  layer: string;
  from: string;
  to: string;
  confidence?: string[] | undefined;
}

export const fetchAlertLayers = async (signal?: AbortSignal): Promise<AlertLayer[]> =>
  answerOf(await fetch(apiPaths.alertLayers, { signal, headers: { Accept: 'application/json' } }), z.array(alertLayerSchema));

export const fetchVectorAlertLayers = async (signal?: AbortSignal): Promise<VectorAlertLayer[]> =>
  answerOf(await fetch(apiPaths.vectorAlertLayers, { signal, headers: { Accept: 'application/json' } }), z.array(vectorAlertLayerSchema));

/** A point or polygon alert layer's features dated in the window (OGC API Features, at most 10,000). */
export function vectorAlertItemsUrl(layer: VectorAlertLayer, w: Pick<AlertWindow, 'from' | 'to'>): string {
  return `/ogc/collections/${encodeURIComponent(layer.collection)}/items?limit=10000&datetime=${w.from}/${w.to}`;
}

/** The subject's alerts over the window, per ISO week (or `format: csv`, the same figures as a file). */
export function subjectAlertsUrl(subject: AlertSubject, id: number, w: AlertWindow, format?: 'csv'): string {
  const path = subject === 'area' ? apiPaths.areaAlerts(id) : subject === 'site' ? apiPaths.siteAlerts(id) : apiPaths.activityAlerts(id);
  const q = new URLSearchParams({ layer: w.layer, from: w.from, to: w.to, period: 'week' });
  if (w.confidence?.length) q.set('confidence', w.confidence.join(','));
  if (format) q.set('format', format);
  return `${path}?${q}`;
}

export const fetchSubjectAlerts = async (subject: AlertSubject, id: number, w: AlertWindow, signal?: AbortSignal): Promise<AlertAnswer> =>
  answerOf(await fetch(subjectAlertsUrl(subject, id, w), { signal, headers: { Accept: 'application/json' } }), alertAnswerSchema);

/** The subject's alert pixels in the window as points: GeoJSON, CSV or GeoPackage. */
export function alertExportUrl(subject: AlertSubject, id: number, w: AlertWindow, format: 'geojson' | 'csv' | 'gpkg'): string {
  const q = new URLSearchParams({ subject, id: String(id), layer: w.layer, from: w.from, to: w.to, format });
  if (w.confidence?.length) q.set('confidence', w.confidence.join(','));
  return `${apiPaths.alertExport}?${q}`;
}

/** The tile URL template of an alert layer for a window. */
export function alertTileUrl(w: AlertWindow): string {
  const q = new URLSearchParams({ from: w.from, to: w.to });
  if (w.confidence?.length) q.set('confidence', w.confidence.join(','));
  return `/tiles/alerts/${encodeURIComponent(w.layer)}/{z}/{x}/{y}.png?${q}`;
}

/** A point or polygon alert layer's alerts in the subject over the window's dates. */
export async function fetchSubjectVectorAlerts(subject: AlertSubject, id: number, layer: string, w: Pick<AlertWindow, 'from' | 'to'>, signal?: AbortSignal): Promise<VectorAlertAnswer> {
  const q = new URLSearchParams({ layer, from: w.from, to: w.to });
  return answerOf(await fetch(`${apiPaths.subjectVectorAlerts(subject, id)}?${q}`, { signal, headers: { Accept: 'application/json' } }), vectorAlertAnswerSchema);
}

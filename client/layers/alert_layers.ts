// The alert window the user chose (last 7/30/90 days, or two dates, and confidences) as dates.
import type { AlertLayer } from '@atalaya/api';
import type { AlertWindow } from '../api/alerts';
import type { AlertView } from '../state/app_state';

export const ALERTS_SOURCE = 'alerts';
export const ALERTS_LAYER = 'alerts';
export const DEFAULT_ALERT_DAYS = 30;
/** Point and polygon alerts (GeoBosques): one colour, they carry no confidence. */
export const VECTOR_ALERT_COLOR = '#ef6c00';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** From and to (ISO dates) of the view: a "last N days" window ends today (UTC), today included. */
export function alertWindow(layer: Pick<AlertLayer, 'name'>, view: AlertView | undefined, now = Date.now()): AlertWindow {
  const confidence = view?.confidence;
  if (view?.from && view.to) return { layer: layer.name, from: view.from, to: view.to, confidence };
  const days = view?.days ?? DEFAULT_ALERT_DAYS;
  return { layer: layer.name, from: isoDay(now - (days - 1) * 86_400_000), to: isoDay(now), confidence };
}

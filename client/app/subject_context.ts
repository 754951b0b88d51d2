// What the side panel's subject views need from the app: language, years, labels, selecting.
import type { SubjectContext } from '../panels/subject_details';
import type { App } from './app';
import { alertWindow } from '../layers/alert_layers';

export function subjectContext(app: App): SubjectContext {
  const { loss, clientConfig, kinds, alertLayer, vectorAlertLayers } = app.data.get();
  return {
    lang: app.lang,
    panel: app.details,
    ...(loss ? { years: { from: loss.from, to: loss.to, first: loss.firstYear, colors: loss.colors } } : {}),
    ...(loss ? { lossLayer: loss.layer } : {}),
    ...(loss?.treecover ? { treecover: loss.treecover } : {}),
    ...(alertLayer ? { alerts: alertWindow(alertLayer, app.state.get().alerts) } : {}),
    siteBufferKm: clientConfig.siteBufferM / 1000,
    vectorAlertLayers: vectorAlertLayers.filter((v) => v.alerts > 0).map((v) => v.name),
    areaKinds: kinds.map((k) => ({ code: k.code, label: k.label[app.lang] })),
    kindLabel: (code) => kinds.find((k) => k.code === code)?.label[app.lang] ?? code,
    select: (s) => app.commit({ selection: s }),
    showTrendZones: (zones) => app.view?.setTrendZones(zones),
  };
}

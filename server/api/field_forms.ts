// The field report forms, shared by the server (packages carry them) and the client (the offline
// screens draw them): an alert verification and a site visit. Labels in English and Spanish.
import { z } from 'zod';

/** Causes of an alert a field check can name (MapBiomas Alerta's and Forest Watcher's common set). */
export const ALERT_CAUSES = ['mining', 'agriculture', 'logging', 'road', 'fire', 'natural', 'other'] as const;
export const alertCauseSchema = z.enum(ALERT_CAUSES);
export const VERIFICATION_RESULTS = ['confirmed', 'false_positive'] as const;

const label = (en: string, es: string) => ({ en, es });

export const FIELD_FORMS = {
  alert_verification: {
    title: label('Alert verification', 'Verificación de alerta'),
    result: { label: label('Result', 'Resultado'), options: { confirmed: label('Confirmed', 'Confirmada'), false_positive: label('False positive', 'Falso positivo') } },
    cause: {
      label: label('Cause', 'Causa'),
      options: {
        mining: label('Mining', 'Minería'),
        agriculture: label('Agriculture', 'Agricultura'),
        logging: label('Logging', 'Tala'),
        road: label('Road', 'Carretera'),
        fire: label('Fire', 'Incendio'),
        natural: label('Natural', 'Natural'),
        other: label('Other', 'Otra'),
      },
    },
    outline: label('Refined outline (drawn on the map)', 'Contorno corregido (dibujado en el mapa)'),
    notes: label('Notes', 'Notas'),
  },
  site_visit: {
    title: label('Site visit', 'Visita al sitio'),
    observations: label('Observations', 'Observaciones'),
    measurements: label("Indicator measurements (the site's activity's indicators)", 'Mediciones de indicadores (los de la actividad del sitio)'),
  },
  position: { label: label('Position and accuracy from the device', 'Posición y precisión del dispositivo') },
  photos: { label: label('Photos (resized on the device, with time and position)', 'Fotos (reducidas en el dispositivo, con hora y posición)') },
} as const;

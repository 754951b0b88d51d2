// What a GeoBosques alert file calls its fields: the weekly files `fecha_alerta`, the yearly
// shapefiles `Fecha` (a dBase date, read as YYYYMMDD or a Date), the district code `ubigeo`.
const DATE_FIELDS = ['fecha_alerta', 'fecha', 'fec_alerta', 'fecha_alert'];
const UBIGEO_FIELDS = ['ubigeo', 'cod_ubigeo', 'ubigeo_dis'];

/** The file's name for a field among `candidates`, in any case. */
export function fieldNamed(fields: string[], candidates: string[]): string | undefined {
  return fields.find((f) => candidates.includes(f.toLowerCase()));
}

export const dateField = (fields: string[]) => fieldNamed(fields, DATE_FIELDS);
export const ubigeoField = (fields: string[]) => fieldNamed(fields, UBIGEO_FIELDS);

/** An alert date as ISO (YYYY-MM-DD) from the forms GeoBosques files carry, or undefined. */
export function alertDateOf(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' && v >= 19000101 && v <= 20991231) v = String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  let iso = m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  if (!iso && (m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`; // Peru writes day/month/year
  if (!iso) return undefined;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : undefined;
}

import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

/** Sends rows as JSON or, with format=csv, as a CSV download with a header row. */
export function sendTable(res: Response, format: 'json' | 'csv', filename: string, json: unknown, rows: Record<string, unknown>[]): void {
  if (format === 'json') {
    res.json(json);
    return;
  }
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  res
    // attachment() sets the type from the file name's extension: the exact type goes after it.
    .attachment(`${filename}.csv`)
    .type('text/csv; charset=utf-8')
    .send(stringify(rows, { header: true, columns, cast: { object: (v) => JSON.stringify(v), boolean: (v) => String(v) } }));
}

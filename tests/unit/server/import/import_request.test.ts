// The CLI's flags and the HTTP form are one import description: the same fields, the same
// contract, the same importer target and options, the same summary.
import { describe, expect, it } from 'vitest';
import { importFieldsSchema } from '../../../../server/api';
import { importFieldsFromCli, importPlan, summariseImport } from '../../../../server/import/import_request';

describe('import requests', () => {
  it('turns CLI flags into the form fields, and fields into the importer target and options', () => {
    const fields = importFieldsFromCli({ kind: 'mining_area', 'create-kind': 'Mining|Minería', 'id-field': 'code', attr: 'a, b', srid: '32719', licence: 'CC BY 4.0', json: true });
    expect(fields).toEqual({ target: 'areas', kind: 'mining_area', createKind: 'Mining|Minería', idField: 'code', attributes: 'a, b', srid: '32719', licence: 'CC BY 4.0' });
    const plan = importPlan(importFieldsSchema.parse(fields), 'mines.shp');
    expect(plan).toEqual({
      kind: 'features',
      target: { type: 'areas', kind: 'mining_area', createKind: { en: 'Mining', es: 'Minería' } },
      options: { fileName: 'mines.shp', idField: 'code', attributes: ['a', 'b'], srid: 32719, licence: 'CC BY 4.0' },
    });
    expect(importPlan(importFieldsSchema.parse(importFieldsFromCli({ sites: true, activity: 'A-01', 'site-kind': 'post' })))).toMatchObject({ kind: 'features', target: { type: 'sites', activityCode: 'A-01', siteKind: 'post' } });
    expect(importPlan(importFieldsSchema.parse(importFieldsFromCli({ activities: true })))).toMatchObject({ kind: 'activities' });
    expect(importFieldsSchema.safeParse(importFieldsFromCli({ sites: true })).success).toBe(false);
  });

  it('summarises feature and activity matrix reports', () => {
    const features = summariseImport({ file: 'a.geojson', format: 'geojson', layer: 'a', srid: 4326, sridSource: 'default', target: 'areas:protected_area', features: 3, inserted: 2, updated: 1, repaired: [4], forcedMulti: 3, skippedNullGeometry: [], skippedEmptyGeometry: [], skippedWrongGeometryType: [], importSourceId: 7, contentHash: 'abcdef0123456789ff', elapsedMs: 12 });
    expect(features).toContain('inserted 2, updated 1');
    expect(features).toContain('repaired invalid geometries: 1 (features 4)');
    const matrix = summariseImport({ file: 'm.csv', target: 'activities', rows: 5, activities: { inserted: 3, updated: 0 }, sites: { inserted: 2, updated: 0 }, importSourceId: 8, contentHash: 'ff', elapsedMs: 9 });
    expect(matrix).toContain('activities: inserted 3, updated 0; sites: inserted 2, updated 0');
  });
});

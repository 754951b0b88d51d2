import { describe, expect, it } from 'vitest';
import { FeatureSplitError, splitFeatures } from '../../../../server/import/feature_splitter';

async function collect(parts: string[]): Promise<unknown[]> {
  async function* chunks() {
    for (const p of parts) yield Buffer.from(p, 'utf8');
  }
  const out: unknown[] = [];
  for await (const f of splitFeatures(chunks())) out.push(f);
  return out;
}

const doc = {
  type: 'FeatureCollection',
  name: 'tricky [names] {with} "quotes"',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
  features: [
    { type: 'Feature', properties: { name: 'Río "Madre" de Dios }]', note: 'back\\slash\\"' }, geometry: { type: 'Point', coordinates: [-69.2, -12.6] } },
    { type: 'Feature', properties: { list: [1, [2, { a: '}' }]] }, geometry: null },
    { type: 'Feature', properties: { 'ñandú': 'Áñ€😀' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
  ],
  bbox: [0, 0, 1, 1],
};
const text = JSON.stringify(doc, null, 1);

describe('splitFeatures', () => {
  it('yields every feature equal to JSON.parse, whatever the chunk boundaries (every split point)', async () => {
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      // Split on bytes, not characters: multi-byte UTF-8 sequences get cut too.
      async function* chunks() {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      }
      const out: unknown[] = [];
      for await (const f of splitFeatures(chunks())) out.push(f);
      expect(out, `cut at ${cut}`).toEqual(doc.features);
    }
  });

  it('finds "features" wherever it stands among the top-level keys', async () => {
    const reordered = JSON.stringify({ features: doc.features, type: 'FeatureCollection' });
    expect(await collect([reordered])).toEqual(doc.features);
  });

  it.each([
    ['a syntax error inside a feature', text.replace('"type": "Feature"', '"type": "Feature",,'), /Unexpected|JSON/],
    ['garbage between features', JSON.stringify(doc).replace('},{"type":"Feature"', '} x {"type":"Feature"'), /between features/],
    ['a truncated file', text.slice(0, text.length / 2), /truncated/],
    ['no features array', '{"type":"FeatureCollection"}', /no "features"/],
    ['a string in the features array', '{"features":["a"]}', /string where a feature/],
  ])('reports %s with a byte offset', async (_label, input, message) => {
    const error = await collect([input]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FeatureSplitError);
    expect((error as Error).message).toMatch(message);
    expect((error as FeatureSplitError).byteOffset).toBeGreaterThanOrEqual(0);
  });
});

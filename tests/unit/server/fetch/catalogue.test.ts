import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_PATH, findSources, loadCatalogue } from '../../../../server/sources/catalogue';

describe('the source catalogue (data/sources.json)', () => {
  it('validates, and lists the sources the real-data work names', () => {
    const ids = loadCatalogue().sources.map((s) => s.id);
    for (const id of ['hansen-lossyear', 'hansen-treecover2000', 'hansen-datamask', 'gfw-integrated-alerts', 'glad-l-alerts', 'sernanp-anp', 'sernanp-acr', 'sernanp-acp', 'sernanp-zr', 'sernanp-buffer-zones', 'serfor-forest-concessions', 'inaigem-glaciers', 'ana-hydrographic-units', 'inei-departments', 'geobosques-alerts']) expect(ids).toContain(id);
    // Every address not confirmed is a setting, and says why.
    for (const s of loadCatalogue().sources) if (s.uncertain) expect(s.setting, s.id).toMatch(/^ATALAYA_SOURCE_/);
  });

  it('takes an uncertain address from its setting', () => {
    const s = findSources(loadCatalogue(CATALOGUE_PATH, { ATALAYA_SOURCE_SERNANP_ANP_URL: 'https://example.org/arcgis/rest/services/ANP/MapServer/3' }), ['sernanp-anp'])[0]!;
    expect(s.protocol === 'arcgis-rest' && s.url).toBe('https://example.org/arcgis/rest/services/ANP/MapServer/3');
  });

  it('refuses a catalogue with a mistake, saying where', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-cat-')), 'sources.json');
    const bad = JSON.parse(fs.readFileSync(CATALOGUE_PATH, 'utf8'));
    delete bad.sources[5].fields;
    fs.writeFileSync(file, JSON.stringify(bad));
    expect(() => loadCatalogue(file)).toThrow(/sources\.5\.fields: sernanp-anp: an area source needs its field mapping/);
    expect(() => findSources(loadCatalogue(), ['nothing'])).toThrow(/No source "nothing"/);
  });
});

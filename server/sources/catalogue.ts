// Reads data/sources.json, checks it against the schema, and applies the URL settings: an endpoint
// whose address is uncertain is overridden by its environment variable without editing the file.
import fs from 'node:fs';
import { projectPath } from '../util/project_root';
import { catalogueSchema, type Catalogue, type Source } from './catalogue_schema';

export const CATALOGUE_PATH = projectPath('data', 'sources.json');

export function loadCatalogue(file = CATALOGUE_PATH, env: NodeJS.ProcessEnv = process.env): Catalogue {
  const parsed = catalogueSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`${file}: ${first.path.join('.')}: ${first.message}`);
  }
  return { ...parsed.data, sources: parsed.data.sources.map((s) => withSetting(s, env)) };
}

/** The source with its URL (or template) from its setting, when that variable is set. */
function withSetting(s: Source, env: NodeJS.ProcessEnv): Source {
  const value = s.setting ? env[s.setting]?.trim() : undefined;
  if (!value) return s;
  return s.protocol === 'tiles-10deg' ? { ...s, urlTemplate: value } : { ...s, url: value };
}

export function findSources(catalogue: Catalogue, ids: string[]): Source[] {
  return ids.map((id) => {
    const s = catalogue.sources.find((x) => x.id === id);
    if (!s) throw new Error(`No source "${id}" in the catalogue; known: ${catalogue.sources.map((x) => x.id).join(', ')}.`);
    return s;
  });
}

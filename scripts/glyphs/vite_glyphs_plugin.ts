// A Vite plugin that makes the label glyphs at build time (and serves them in `vite dev`): the font
// stacks of @protomaps/basemaps, from the Noto Sans TrueType files of @expo-google-fonts/noto-sans.
// Latin-1, Latin Extended-A and general punctuation cover Spanish and English place names.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { glyphRangePbf, parseFont } from './glyph_ranges';

const require = createRequire(import.meta.url);
export const FONT_STACKS: Record<string, string> = {
  'Noto Sans Regular': '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  'Noto Sans Medium': '@expo-google-fonts/noto-sans/500Medium/NotoSans_500Medium.ttf',
  'Noto Sans Italic': '@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf',
};
export const GLYPH_RANGES = [0, 256, 8192];

export function glyphFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const [stack, file] of Object.entries(FONT_STACKS)) {
    const font = parseFont(fs.readFileSync(require.resolve(file)));
    for (const start of GLYPH_RANGES) files.set(`glyphs/${stack}/${start}-${start + 255}.pbf`, glyphRangePbf(font, stack, start));
  }
  return files;
}

export function glyphsPlugin(): Plugin {
  let files: Map<string, Uint8Array> | undefined;
  const all = () => (files ??= glyphFiles());
  return {
    name: 'atalaya-glyphs',
    generateBundle() {
      for (const [fileName, source] of all()) this.emitFile({ type: 'asset', fileName, source });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = req.url && all().get(decodeURIComponent(req.url.split('?')[0]!.slice(1)));
        if (!file) return next();
        res.setHeader('Content-Type', 'application/x-protobuf');
        res.end(file);
      });
    },
  };
}

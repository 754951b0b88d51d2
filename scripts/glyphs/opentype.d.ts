// opentype.js 2 ships no types; glyph_ranges.ts describes the little it uses.
declare module 'opentype.js';

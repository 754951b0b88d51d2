// Splits a GeoJSON FeatureCollection byte stream into the text of each feature, then JSON.parse does
// the rest. Why by hand: stream-json tokenises in JavaScript at about 4 MB/s here, which would make a
// 500 MB file take minutes just to parse; finding the feature boundaries (brackets outside strings)
// and handing each feature to the native JSON.parse runs at hundreds of MB/s with bounded memory.

export class FeatureSplitError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Yields each element of the top-level "features" array as a parsed object, in order. */
export async function* splitFeatures(chunks: AsyncIterable<Buffer>): AsyncGenerator<unknown> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let offset = 0;
  let keyStart = -1;
  let keyParts: Buffer[] = [];
  let lastKey = '';
  let inFeatures = false;
  let sawFeatures = false;
  let element: Buffer[] | undefined; // bytes of the feature being read
  let elementStart = 0;
  for await (const chunk of chunks) {
    let from = 0; // start of the part of `chunk` that belongs to the current element
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (depth === 1 && keyStart >= 0) {
            keyParts.push(chunk.subarray(keyStart, i));
            lastKey = Buffer.concat(keyParts).toString('utf8');
            keyStart = -1;
            keyParts = [];
          }
        }
        continue;
      }
      if (b === QUOTE) {
        inString = true;
        if (depth === 1) keyStart = i + 1;
        else if (inFeatures && depth === 2) throw new FeatureSplitError('a string where a feature object was expected', offset + i);
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (inFeatures && depth === 2) {
          if (b !== OPEN_OBJ) throw new FeatureSplitError('an array where a feature object was expected', offset + i);
          element = [];
          from = i;
          elementStart = offset + i;
        }
        if (depth === 1 && b === OPEN_ARR && lastKey === 'features') {
          inFeatures = true;
          sawFeatures = true;
        }
        depth++;
        continue;
      }
      if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        depth--;
        if (depth < 0) throw new FeatureSplitError('unbalanced closing bracket', offset + i);
        if (inFeatures && depth === 2 && element) {
          element.push(chunk.subarray(from, i + 1));
          const text = Buffer.concat(element).toString('utf8');
          element = undefined;
          try {
            yield JSON.parse(text);
          } catch (e) {
            throw new FeatureSplitError((e as Error).message, elementStart);
          }
        } else if (inFeatures && depth === 1) {
          inFeatures = false;
        }
        continue;
      }
      if (inFeatures && depth === 2 && !element && b !== COMMA && !isSpace(b)) {
        throw new FeatureSplitError(`unexpected "${String.fromCharCode(b)}" between features`, offset + i);
      }
      if (depth === 1 && b === COLON) continue;
    }
    if (element) element.push(chunk.subarray(from));
    if (keyStart >= 0 && inString) {
      keyParts.push(chunk.subarray(keyStart));
      keyStart = 0;
    }
    offset += chunk.length;
  }
  if (depth !== 0 || inString) throw new FeatureSplitError('the file ends inside an object or string: it is truncated', offset);
  if (!sawFeatures) throw new FeatureSplitError('no "features" array', offset);
}

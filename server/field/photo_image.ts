// A field photo as stored: its type sniffed from the bytes (not the name or the header the device
// sent), decoded with a pixel limit, turned upright, resized to at most 2048 px a side and written
// again as JPEG, which drops every metadata block (EXIF with the device's serial and owner, XMP,
// IPTC, comments). The time and position it was taken at are kept apart, as columns of its row.
// sharp (libvips) does the decoding: images are hostile input and a kept decoder is the safe choice.
import sharp, { type Metadata } from 'sharp';

export const PHOTO_LIMITS = {
  /** Bytes of one upload (a phone photo resized on the device is well under 1 MB). */
  maxBytes: 8 * 1024 * 1024,
  /** Pixels decoded at most (a 50 MP camera): a small file that decodes to gigapixels is refused. */
  maxPixels: 50_000_000,
  maxSide: 2048,
  perReport: 6,
} as const;

const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

export class PhotoRejected extends Error {}

export interface StoredPhoto {
  bytes: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
}

/** The image's format from its first bytes: JPEG, PNG or WebP, else null. */
export function sniffImageType(b: Uint8Array): 'jpeg' | 'png' | 'webp' | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

export async function cleanPhoto(input: Buffer): Promise<StoredPhoto> {
  if (input.length === 0) throw new PhotoRejected('The photo is empty.');
  if (input.length > PHOTO_LIMITS.maxBytes) throw new PhotoRejected(`The photo is ${input.length} bytes; at most ${PHOTO_LIMITS.maxBytes} (8 MiB). Resize it first.`);
  const sniffed = sniffImageType(input);
  if (!sniffed) throw new PhotoRejected('This is not a JPEG, PNG or WebP image (read from its bytes).');
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: PHOTO_LIMITS.maxPixels }).metadata();
  } catch (e) {
    throw new PhotoRejected(`The image could not be read: ${(e as Error).message}.`);
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) throw new PhotoRejected(`Images of type ${meta.format ?? 'unknown'} are not taken: send JPEG, PNG or WebP.`);
  if ((meta.width ?? 0) * (meta.height ?? 0) > PHOTO_LIMITS.maxPixels) throw new PhotoRejected(`The image has ${meta.width} x ${meta.height} pixels; at most ${PHOTO_LIMITS.maxPixels / 1e6} megapixels.`);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' })
      .rotate() // upright by its EXIF orientation, before that block is dropped
      .resize({ width: PHOTO_LIMITS.maxSide, height: PHOTO_LIMITS.maxSide, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, contentType: 'image/jpeg', width: info.width, height: info.height };
  } catch (e) {
    throw new PhotoRejected(`The image could not be decoded: ${(e as Error).message}.`);
  }
}

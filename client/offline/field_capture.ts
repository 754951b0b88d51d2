// What the device knows at the moment of a report: where it is (the Geolocation API, refused when
// the fix is worse than the server's limit, so the inspector waits for a better one rather than
// sending a report the server will refuse) and its photos, made smaller before they are kept
// (a phone camera's 12 MP JPEG of 4 MB becomes about 300 kB at 1600 px: the queue and the upload
// stay small where bandwidth is scarce).
export interface DevicePosition {
  lon: number;
  lat: number;
  accuracy_m: number;
}

export class PositionError extends Error {
  constructor(readonly reason: 'denied' | 'unavailable' | 'inaccurate', readonly accuracyM?: number) {
    super(reason);
  }
}

export function currentPosition(limitM: number, timeoutMs = 30_000): Promise<DevicePosition> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new PositionError('unavailable'));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        const pos = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: Math.max(0.1, p.coords.accuracy) };
        if (pos.accuracy_m > limitM) reject(new PositionError('inaccurate', pos.accuracy_m));
        else resolve(pos);
      },
      (e) => reject(new PositionError(e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable')),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    );
  });
}

export const PHOTO_MAX_SIDE = 1600;

/** The photo as a JPEG at most PHOTO_MAX_SIDE a side (upright: createImageBitmap applies the EXIF orientation). */
export async function resizePhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale)), h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The photo could not be encoded.'))), 'image/jpeg', 0.82));
}

// Where photo files live: under ATALAYA_DATA_DIR/field-photos/<report>/<photo>.jpg. Written to a
// temporary name and renamed, so a reader never sees half a file and a crash leaves no photo the
// database does not know (stray .part files are skipped). The interface is the object store's
// (put, path to read, delete), so an S3-compatible store can take its place.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface PhotoStore {
  put(reportId: string, photoId: string, bytes: Buffer): Promise<void>;
  /** A local file to send (the disk store reads in place). */
  pathOf(reportId: string, photoId: string): string;
  remove(reportId: string, photoId: string): Promise<void>;
}

const UUID = /^[0-9a-f-]{36}$/i;

export function diskPhotoStore(dataDir: string): PhotoStore {
  const root = join(dataDir, 'field-photos');
  const pathOf = (reportId: string, photoId: string) => {
    // Both are UUIDs checked by the API; checked again here because they become a path.
    if (!UUID.test(reportId) || !UUID.test(photoId)) throw new Error('Photo ids must be UUIDs.');
    return join(root, reportId.toLowerCase(), `${photoId.toLowerCase()}.jpg`);
  };
  return {
    pathOf,
    async put(reportId, photoId, bytes) {
      const file = pathOf(reportId, photoId);
      await mkdir(join(root, reportId.toLowerCase()), { recursive: true });
      const part = `${file}.${randomUUID()}.part`;
      await writeFile(part, bytes);
      await rename(part, file);
    },
    async remove(reportId, photoId) {
      await rm(pathOf(reportId, photoId), { force: true });
    },
  };
}

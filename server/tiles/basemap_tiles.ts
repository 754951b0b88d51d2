// Tiles of the configured Protomaps basemap (a local PMTiles file), read with the pmtiles package
// through a file source, for copying the basemap within a package's box.
import fs from 'node:fs/promises';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';

class NodeFileSource implements Source {
  constructor(private readonly handle: fs.FileHandle, private readonly file: string) {}
  getKey(): string {
    return this.file;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buf, 0, length, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) };
  }
}

export class BasemapTiles {
  private constructor(private readonly handle: fs.FileHandle, private readonly pm: PMTiles, readonly maxZoom: number, readonly attribution: string, readonly vectorLayers: { id: string; description?: string; fields: Record<string, string> }[]) {}

  static async open(file: string): Promise<BasemapTiles> {
    const handle = await fs.open(file, 'r');
    const pm = new PMTiles(new NodeFileSource(handle, file));
    const header = await pm.getHeader();
    const meta = ((await pm.getMetadata()) ?? {}) as { attribution?: string; vector_layers?: { id: string; fields: Record<string, string> }[] };
    return new BasemapTiles(handle, pm, header.maxZoom, meta.attribution ?? 'Protomaps basemap (OpenStreetMap contributors, ODbL)', meta.vector_layers ?? []);
  }

  /** The basemap tile's MVT bytes (decompressed), or undefined above its zooms or outside it. */
  async tile(z: number, x: number, y: number): Promise<Uint8Array | undefined> {
    if (z > this.maxZoom) return undefined;
    const r = await this.pm.getZxy(z, x, y);
    return r ? new Uint8Array(r.data) : undefined;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

import { writeArrayBuffer } from 'geotiff';
import type { RasterGrid } from './raster';

/** A single-band uint8 (or uint16) GeoTIFF in EPSG:4326 (geotiff.js writes it uncompressed and stripped). */
export async function encodeUint8GeoTiff(grid: RasterGrid, values: Uint8Array | Uint16Array, description: string): Promise<Buffer> {
  // ImageDescription is written by geotiff.js but missing from its metadata type.
  const metadata = {
    width: grid.width,
    height: grid.height,
    BitsPerSample: [values instanceof Uint16Array ? 16 : 8],
    SampleFormat: [1],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 1,
    ImageDescription: description,
    ModelPixelScale: [grid.pixelSize, grid.pixelSize, 0],
    ModelTiepoint: [0, 0, 0, grid.west, grid.north, 0],
    GTModelTypeGeoKey: 2, // geographic
    GTRasterTypeGeoKey: 1, // pixel is area, as Hansen tiles
    GeographicTypeGeoKey: 4326,
  } as Parameters<typeof writeArrayBuffer>[1];
  const buffer = await writeArrayBuffer(values, metadata);
  return Buffer.from(buffer);
}

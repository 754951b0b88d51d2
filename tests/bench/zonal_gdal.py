"""The GDAL + numpy peer of the zonal statistics benchmark (the rasterstats method, done the fast way):
rasterize every polygon's index into one UInt16 grid with GDAL (pixel-centre rule), then numpy
bincounts of (index, loss code over forest) in chunks of rows, so memory stays bounded. Prints JSON:
seconds (after imports) and writes the per-polygon counts.
usage: zonal_gdal.py loss.tif cover.tif|- threshold polygons.geojson out.json"""
import json
import sys
import time

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
started = time.perf_counter()
loss_path, cover_path, threshold, polygons_path, out_path = sys.argv[1:6]
threshold = int(threshold)
loss_ds = gdal.Open(loss_path)
cover_ds = gdal.Open(cover_path) if cover_path != "-" else None
width, height = loss_ds.RasterXSize, loss_ds.RasterYSize
source = ogr.Open(polygons_path)
layer = source.GetLayer(0)
n = layer.GetFeatureCount()
ids = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_UInt16)
ids.SetGeoTransform(loss_ds.GetGeoTransform())
ids.SetProjection(loss_ds.GetProjection())
gdal.RasterizeLayer(ids, [1], layer, options=["ATTRIBUTE=idx"])
bins = 32  # loss codes 0..30, 31 = not forest
counts = np.zeros((n + 1) * bins, dtype=np.int64)
chunk = 1024
for y in range(0, height, chunk):
    h = min(chunk, height - y)
    index = ids.GetRasterBand(1).ReadAsArray(0, y, width, h).astype(np.uint32)
    loss = loss_ds.GetRasterBand(1).ReadAsArray(0, y, width, h)
    if cover_ds is not None:
        cover = cover_ds.GetRasterBand(1).ReadAsArray(0, y, width, h)
        code = np.where(cover >= threshold, loss, bins - 1).astype(np.uint32)
    else:
        code = loss.astype(np.uint32)
    counts += np.bincount((index * bins + code).ravel(), minlength=(n + 1) * bins)
seconds = time.perf_counter() - started
with open(out_path, "w") as f:
    json.dump({"seconds": seconds, "counts": counts.reshape(n + 1, bins)[1:, : bins - 1].tolist()}, f)
print(json.dumps({"seconds": seconds}))

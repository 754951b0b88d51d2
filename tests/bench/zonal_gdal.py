"""The GDAL + numpy peer of the zonal statistics benchmark (the rasterstats method, done the fast way):
rasterize every polygon's index into one UInt16 grid with GDAL (pixel-centre rule), then one numpy
bincount of (index, loss code) over forest pixels. Prints JSON: seconds (after imports) and the
per-polygon counts. usage: zonal_gdal.py loss.tif cover.tif threshold polygons.geojson out.json"""
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
loss = loss_ds.GetRasterBand(1).ReadAsArray()
cover_ds = gdal.Open(cover_path) if cover_path != "-" else None
cover = cover_ds.GetRasterBand(1).ReadAsArray() if cover_ds else None
source = ogr.Open(polygons_path)
layer = source.GetLayer(0)
n = layer.GetFeatureCount()
ids = gdal.GetDriverByName("MEM").Create("", loss_ds.RasterXSize, loss_ds.RasterYSize, 1, gdal.GDT_UInt16)
ids.SetGeoTransform(loss_ds.GetGeoTransform())
ids.SetProjection(loss_ds.GetProjection())
gdal.RasterizeLayer(ids, [1], layer, options=["ATTRIBUTE=idx"])
index = ids.GetRasterBand(1).ReadAsArray()
bins = 32  # loss codes 0..30, 31 = not forest
key = index.astype(np.uint32) * bins + loss
if cover is not None:
    key[cover < threshold] = index[cover < threshold].astype(np.uint32) * bins + (bins - 1)
counts = np.bincount(key.ravel(), minlength=(n + 1) * bins).reshape(n + 1, bins)
seconds = time.perf_counter() - started
with open(out_path, "w") as f:
    json.dump({"seconds": seconds, "counts": counts[1:, : bins - 1].tolist()}, f)
print(json.dumps({"seconds": seconds}))

"""The GDAL + numpy side of the alert benchmark.
  alerts_gdal.py make out.tif size today   a sparse GFW integrated-alerts tile (10S_070W's corner,
                                           0.00025 degrees, DEFLATE, tiled), written in row chunks
  alerts_gdal.py count tile.tif polygons.geojson from to out.json
                                           per polygon the alert pixels per confidence (2, 3, 4) dated
                                           from..to: polygon indexes rasterized by GDAL (pixel-centre
                                           rule) into one UInt16 grid, numpy bincounts in row chunks
Prints JSON with the seconds after imports."""
import json
import sys
import time

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()


def make(out, size, today):
    px = 10.0 / 40000
    ds = gdal.GetDriverByName("GTiff").Create(out, size, size, 1, gdal.GDT_UInt16, ["COMPRESS=DEFLATE", "TILED=YES", "BIGTIFF=YES"])
    ds.SetGeoTransform((-70.0, px, 0, -10.0, 0, -px))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    rng = np.random.default_rng(3)
    band = ds.GetRasterBand(1)
    chunk = 1024
    for y in range(0, size, chunk):
        h = min(chunk, size - y)
        # Alerts in clusters: a coarse mask of active 64 x 64 cells, then 3 % of their pixels.
        cells = rng.random((h // 64 + 1, size // 64 + 1)) < 0.05
        active = np.kron(cells, np.ones((64, 64), dtype=bool))[:h, :size]
        hit = active & (rng.random((h, size)) < 0.03)
        days = rng.integers(today - 400, today + 1, size=(h, size))
        conf = rng.integers(2, 5, size=(h, size))
        band.WriteArray(np.where(hit, conf * 10000 + days, 0).astype(np.uint16), 0, y)
    ds = None


def count(tile, polygons, lo, hi, out):
    started = time.perf_counter()
    ds = gdal.Open(tile)
    width, height = ds.RasterXSize, ds.RasterYSize
    src = ogr.Open(polygons)
    layer = src.GetLayer(0)
    n = layer.GetFeatureCount()
    ids = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_UInt16)
    ids.SetGeoTransform(ds.GetGeoTransform())
    ids.SetProjection(ds.GetProjection())
    gdal.RasterizeLayer(ids, [1], layer, options=["ATTRIBUTE=idx"])
    counts = np.zeros((n + 1) * 4, dtype=np.int64)
    chunk = 1024
    for y in range(0, height, chunk):
        h = min(chunk, height - y)
        index = ids.GetRasterBand(1).ReadAsArray(0, y, width, h).astype(np.int64)
        v = ds.GetRasterBand(1).ReadAsArray(0, y, width, h).astype(np.int64)
        day = v % 10000
        conf = np.where((v > 0) & (day >= lo) & (day <= hi), v // 10000 - 1, 0)
        counts += np.bincount((index * 4 + conf).ravel(), minlength=(n + 1) * 4)
    seconds = time.perf_counter() - started
    with open(out, "w") as f:
        json.dump({"seconds": seconds, "counts": counts.reshape(n + 1, 4)[1:, 1:].tolist()}, f)
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        count(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])

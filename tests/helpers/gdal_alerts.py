"""Alert fixtures in each source's published encoding, and GDAL's reference counts for them.

  gdal_alerts.py make <dir> <today-day>    writes gfw/10S_070W.tif, glad/alert24_10S_070W.tif +
                                           alertDate24_10S_070W.tif, radd/10S_070W.tif, each a
                                           600 x 500 corner of the 10S_070W tile at 0.00025 degrees
  gdal_alerts.py newer <src.tif> <dst.tif> <today-day>
                                           a copy of a GFW integrated-alerts file with one new
                                           highest-confidence alert of that day at row 450, column 590
  gdal_alerts.py count <dir> <source> <features.geojson> <from-day> <to-day> <mask>
                                           per feature: {day: [low, high, highest]} of the pixels whose
                                           centre is inside (gdal.Rasterize), decoded with numpy the
                                           way each publisher's documentation decodes them
"""
import datetime
import json
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
EPOCH = datetime.date(2014, 12, 31)
W, H, PX, WEST, NORTH = 600, 500, 0.00025, -70.0, -10.0


def create(path, bands, dtype):
    ds = gdal.GetDriverByName("GTiff").Create(path, W, H, bands, dtype, ["COMPRESS=DEFLATE", "TILED=YES"])
    ds.SetGeoTransform((WEST, PX, 0, NORTH, 0, -PX))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    return ds


def day_of(d):
    return (d - EPOCH).days


def make(out, today):
    import os
    rng = np.random.default_rng(7)
    mask = rng.random((H, W)) < 0.04
    # Edge days: 2015-01-01 (day 1), the year boundary 2023-12-31 / 2024-01-01, 2024-02-29 (leap day), today.
    edges = [1, day_of(datetime.date(2023, 12, 31)), day_of(datetime.date(2024, 1, 1)), day_of(datetime.date(2024, 2, 29)), today]
    days = rng.integers(day_of(datetime.date(2023, 11, 1)), today + 1, size=(H, W))
    for i, e in enumerate(edges):
        days[40 + i * 3, 10:200] = e
        mask[40 + i * 3, 10:200] = True
    conf = rng.integers(2, 5, size=(H, W))  # 2 low, 3 high, 4 highest (GFW)
    for sub in ("gfw", "glad", "radd"):
        os.makedirs(f"{out}/{sub}", exist_ok=True)
    gfw = np.where(mask, conf * 10000 + days, 0).astype(np.uint16)
    ds = create(f"{out}/gfw/10S_070W.tif", 1, gdal.GDT_UInt16)
    ds.GetRasterBand(1).WriteArray(gfw)
    ds = None
    # GLAD-L 2024: classes 2/3 and the day of year of 2024 (so only 2024 days).
    y0 = day_of(datetime.date(2024, 1, 1))
    in24 = mask & (days >= y0) & (days <= min(today, day_of(datetime.date(2024, 12, 31))))
    gclass = np.where(in24, np.minimum(conf, 3), 0).astype(np.uint8)
    doy = np.where(in24, days - y0 + 1, 0).astype(np.uint16)
    ds = create(f"{out}/glad/alert24_10S_070W.tif", 1, gdal.GDT_Byte)
    ds.GetRasterBand(1).WriteArray(gclass)
    ds = None
    ds = create(f"{out}/glad/alertDate24_10S_070W.tif", 1, gdal.GDT_UInt16)
    ds.GetRasterBand(1).WriteArray(doy)
    ds = None
    # RADD: Alert 2/3 and Date as YYDOY (from 2015 on).
    dates = np.vectorize(lambda d: EPOCH + datetime.timedelta(days=int(d)))(days)
    yydoy = np.vectorize(lambda d: (d.year - 2000) * 1000 + d.timetuple().tm_yday)(dates)
    rclass = np.where(mask, np.minimum(conf, 3), 0).astype(np.uint16)
    ds = create(f"{out}/radd/10S_070W.tif", 2, gdal.GDT_UInt16)
    ds.GetRasterBand(1).WriteArray(rclass)
    ds.GetRasterBand(2).WriteArray(np.where(mask, yydoy, 0).astype(np.uint16))
    ds = None


def read(path, band=1):
    ds = gdal.Open(path)  # held while the band is read: GDAL frees a band with its dataset
    return ds.GetRasterBand(band).ReadAsArray().astype(np.int64)


def decoded(out, source):
    """(day, confidence 1..3) arrays, decoded as each publisher documents it."""
    if source == "gfw":
        v = read(f"{out}/gfw/10S_070W.tif")
        return v % 10000, np.where(v > 0, v // 10000 - 1, 0), gdal.Open(f"{out}/gfw/10S_070W.tif")
    if source == "glad":
        c = read(f"{out}/glad/alert24_10S_070W.tif")
        d = read(f"{out}/glad/alertDate24_10S_070W.tif")
        base = day_of(datetime.date(2024, 1, 1)) - 1
        return np.where(c > 0, base + d, 0), np.where(c > 0, c - 1, 0), gdal.Open(f"{out}/glad/alert24_10S_070W.tif")
    ds = gdal.Open(f"{out}/radd/10S_070W.tif")
    c = ds.GetRasterBand(1).ReadAsArray().astype(np.int64)
    yd = ds.GetRasterBand(2).ReadAsArray().astype(np.int64)
    days = np.zeros_like(yd)
    for v in np.unique(yd[c > 0]):
        d = datetime.date(2000 + v // 1000, 1, 1) + datetime.timedelta(days=int(v % 1000) - 1)
        days[(yd == v) & (c > 0)] = day_of(d)
    return days, np.where(c > 0, c - 1, 0), ds


def count(out, source, features_path, lo, hi, mask):
    days, conf, ds = decoded(out, source)
    src = ogr.Open(features_path)
    layer = src.GetLayer(0)
    result = []
    for feature in layer:
        mem = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
        mem.SetGeoTransform(ds.GetGeoTransform())
        mem.SetProjection(ds.GetProjection())
        lds = ogr.GetDriverByName("Memory").CreateDataSource("")
        ml = lds.CreateLayer("f", layer.GetSpatialRef(), ogr.wkbUnknown)
        f = ogr.Feature(ml.GetLayerDefn())
        f.SetGeometry(feature.GetGeometryRef().Clone())
        ml.CreateFeature(f)
        gdal.RasterizeLayer(mem, [1], ml, burn_values=[1])
        inside = mem.GetRasterBand(1).ReadAsArray() == 1
        sel = inside & (conf > 0) & (days >= lo) & (days <= hi) & ((mask >> conf) & 1 == 1)
        per = {}
        for d, c in zip(days[sel].tolist(), conf[sel].tolist()):
            per.setdefault(str(d), [0, 0, 0])[c - 1] += 1
        result.append({"pixels": int(inside.sum()), "days": per})
    print(json.dumps(result))


def newer(src, dst, today):
    ds = gdal.GetDriverByName("GTiff").CreateCopy(dst, gdal.Open(src))
    a = ds.GetRasterBand(1).ReadAsArray()
    a[450, 590] = 40000 + today
    ds.GetRasterBand(1).WriteArray(a)
    ds = None


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "newer":
        newer(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        count(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]))

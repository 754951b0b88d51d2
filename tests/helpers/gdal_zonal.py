"""Independent reference for zonal loss counts: GDAL rasterize (pixel-centre rule) + numpy bincount,
the method of rasterstats. Usage: gdal_zonal.py loss.tif features.geojson [treecover.tif threshold]
Prints JSON: one entry per feature with the pixel count inside the raster, forest pixels and the
loss-code histogram over forest pixels."""
import json
import sys

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
loss_path, features_path = sys.argv[1], sys.argv[2]
cover_path = sys.argv[3] if len(sys.argv) > 3 else None
threshold = int(sys.argv[4]) if len(sys.argv) > 4 else 30
loss_ds = gdal.Open(loss_path)
loss = loss_ds.GetRasterBand(1).ReadAsArray()
cover_ds = gdal.Open(cover_path) if cover_path else None  # kept: GDAL frees a band with its dataset
cover = cover_ds.GetRasterBand(1).ReadAsArray() if cover_ds else None
source = ogr.Open(features_path)
layer = source.GetLayer(0)
driver = gdal.GetDriverByName("MEM")
out = []
for feature in layer:
    mem = driver.Create("", loss_ds.RasterXSize, loss_ds.RasterYSize, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(loss_ds.GetGeoTransform())
    mem.SetProjection(loss_ds.GetProjection())
    mem_layer_ds = ogr.GetDriverByName("Memory").CreateDataSource("")
    mem_layer = mem_layer_ds.CreateLayer("f", layer.GetSpatialRef(), ogr.wkbUnknown)
    f = ogr.Feature(mem_layer.GetLayerDefn())
    f.SetGeometry(feature.GetGeometryRef().Clone())
    mem_layer.CreateFeature(f)
    gdal.RasterizeLayer(mem, [1], mem_layer, burn_values=[1])
    mask = mem.GetRasterBand(1).ReadAsArray().astype(bool)
    pixels = int(mask.sum())
    forest = mask & (cover >= threshold) if cover is not None and threshold > 0 else mask
    counts = np.bincount(loss[forest], minlength=256)
    # Atalaya stores no-data as 0 (no loss); report it apart so a test can add it to code 0.
    nodata = loss_ds.GetRasterBand(1).GetNoDataValue()
    nodata_count = 0
    if nodata is not None:
        nodata_count = int(counts[int(nodata)])
        counts[int(nodata)] = 0
    out.append({"pixels": pixels, "forest": int(forest.sum()), "nodata": nodata_count, "counts": {str(i): int(c) for i, c in enumerate(counts) if c}})
print(json.dumps(out))

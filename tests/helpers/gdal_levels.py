"""What GDAL reads of a COG: the validator's verdict and a SHA-256 of every level's pixels.

  gdal_levels.py <file.tif>   prints {"errors": [...], "warnings": [...], "levels": [{"width", "height",
                              "sha256", "geotransform" (main only)}]}, level 0 the main image, then
                              its overviews; pixels as stored (little-endian), row by row
"""
import hashlib
import json
import sys

from osgeo import gdal
from osgeo_utils.samples.validate_cloud_optimized_geotiff import validate

gdal.UseExceptions()
path = sys.argv[1]
warnings, errors, _details = validate(path, full_check=True)
ds = gdal.Open(path)
band = ds.GetRasterBand(1)
bands = [band] + [band.GetOverview(i) for i in range(band.GetOverviewCount())]
levels = []
for b in bands:
    a = b.ReadAsArray()
    levels.append({"width": b.XSize, "height": b.YSize, "sha256": hashlib.sha256(a.astype(a.dtype.newbyteorder("<")).tobytes()).hexdigest()})
levels[0]["geotransform"] = list(ds.GetGeoTransform())
levels[0]["epsg"] = ds.GetSpatialRef().GetAuthorityCode(None)
print(json.dumps({"errors": errors, "warnings": warnings, "levels": levels}))

"""MapServer 8 (python3-mapscript, in process) rendering loss tiles with the same year filter and
colours as Atalaya. usage: raster_tiles_mapserver.py spec.json; spec = {tif, colors: {code: [r,g,b]},
from, to, tiles: [[z,x,y], ...], rounds, out_dir}. Prints JSON: per tile the median ms (warm)."""
import json
import math
import os
import statistics
import sys
import time

import mapscript

spec = json.load(open(sys.argv[1]))
classes = "\n".join(
    f'    CLASS EXPRESSION ([pixel] = {code}) STYLE COLOR {r} {g} {b} END END'
    for code, (r, g, b) in sorted(spec["colors"].items(), key=lambda kv: int(kv[0]))
    if spec["from"] <= int(code) <= spec["to"]
)
mapfile = f"""
MAP
  SIZE 256 256
  EXTENT -20037508 -20037508 20037508 20037508
  PROJECTION "init=epsg:3857" END
  IMAGETYPE "png"
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGBA
    EXTENSION "png"
    TRANSPARENT ON
  END
  LAYER
    NAME "loss"
    TYPE RASTER
    STATUS ON
    DATA "{spec['tif']}"
    PROJECTION "init=epsg:4326" END
    PROCESSING "RESAMPLE=NEAREST"
{classes}
  END
END
"""
m = mapscript.fromstring(mapfile)
R = 6378137.0
def bounds(z, x, y):
    # MapServer's extent runs from the centre of the first pixel to the centre of the last one (its
    # WMS code shifts by half a pixel the same way), so the tile's edges move in by half a pixel.
    n = 2 ** z
    size = 2 * math.pi * R / n
    half = size / 256 / 2
    minx = -math.pi * R + x * size
    maxy = math.pi * R - y * size
    return minx + half, maxy - size + half, minx + size - half, maxy - half

out = {}
for z, x, y in spec["tiles"]:
    times = []
    data = None
    for r in range(spec["rounds"] + 1):
        t = time.perf_counter()
        m.setExtent(*bounds(z, x, y))
        img = m.draw()
        data = img.getBytes()
        if r > 0:  # the first draw is the cold one
            times.append((time.perf_counter() - t) * 1000)
    with open(os.path.join(spec["out_dir"], f"ms-{z}-{x}-{y}.png"), "wb") as f:
        f.write(data)
    out[f"{z}/{x}/{y}"] = {"ms": statistics.median(times), "bytes": len(data)}
print(json.dumps(out))

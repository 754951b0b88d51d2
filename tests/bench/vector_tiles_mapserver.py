"""MapServer 8 (python3-mapscript, in process, WMS GetMap dispatch) serving MVT from the same PostGIS tables as Atalaya.
usage: vector_tiles_mapserver.py spec.json; spec = {conn, tiles: [[z,x,y], ...], rounds, layers}.
Prints JSON: per tile the median ms (warm) and the bytes, with all layers in one draw."""
import json
import math
import statistics
import sys
import time

import mapscript

spec = json.load(open(sys.argv[1]))
conn = spec["conn"]
layers = {
    "forest_concession": ("POLYGON", "SELECT id, name, kind, properties->>'concession_type' AS concession_type, geom FROM area WHERE kind = 'forest_concession'"),
    "protected_area": ("POLYGON", "SELECT id, name, kind, properties->>'category' AS category, geom FROM area WHERE kind = 'protected_area'"),
    "sites": ("POINT", "SELECT s.id, s.name, s.kind, s.geom FROM site s JOIN activity t ON t.id = s.activity_id WHERE t.published"),
}
layer_text = "\n".join(
    f"""  LAYER
    NAME "{name}"
    TYPE {"POLYGON" if name != "sites" else "POINT"}
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "{conn}"
    DATA "geom FROM ({sql}) AS sub USING UNIQUE id USING SRID=4326"
    PROJECTION "init=epsg:4326" END
    METADATA "gml_include_items" "all" "gml_types" "auto" "wms_title" "{name}" END
    CLASS STYLE COLOR 0 0 0 END END
  END"""
    for name, (_t, sql) in layers.items()
    if name in spec["layers"]
)
mapfile = f"""
MAP
  SIZE 256 256
  EXTENT -20037508 -20037508 20037508 20037508
  PROJECTION "init=epsg:3857" END
  IMAGETYPE "mvt"
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    MIMETYPE "application/vnd.mapbox-vector-tile"
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=64"
  END
  WEB METADATA "ows_enable_request" "*" "wms_title" "bench" "wms_srs" "EPSG:3857 EPSG:4326" END END
{layer_text}
END
"""
m = mapscript.fromstring(mapfile)
R = 6378137.0


def bounds(z, x, y):
    n = 2 ** z
    size = 2 * math.pi * R / n
    minx = -math.pi * R + x * size
    maxy = math.pi * R - y * size
    return minx, maxy - size, minx + size, maxy


out = {}
for z, x, y in spec["tiles"]:
    times = []
    data = b""
    for r in range(spec["rounds"] + 1):
        t = time.perf_counter()
        # MVT is written by the WMS GetMap path (m.draw() has no MVT renderer), captured in memory.
        req = mapscript.OWSRequest()
        req.loadParamsFromURL(
            "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&CRS=EPSG:3857&WIDTH=256&HEIGHT=256"
            f"&LAYERS={','.join(spec['layers'])}&FORMAT=application/vnd.mapbox-vector-tile&BBOX={','.join(map(str, bounds(z, x, y)))}"
        )
        mapscript.msIO_installStdoutToBuffer()
        m.OWSDispatch(req)
        mapscript.msIO_stripStdoutBufferContentHeaders()
        data = mapscript.msIO_getStdoutBufferBytes()
        mapscript.msIO_resetHandlers()
        if r > 0:
            times.append((time.perf_counter() - t) * 1000)
    out[f"{z}/{x}/{y}"] = {"ms": statistics.median(times), "bytes": len(data), "data": data.hex() if len(data) < 4_000_000 else ""}
print(json.dumps(out))

// A local HTTP server that speaks as the real sources do, with their awkward parts on demand: an
// ArcGIS REST layer (maxRecordCount, exceededTransferLimit, Esri JSON, a 503 before it answers), a
// WFS 2.0 feature type (startIndex/count, numberMatched), a file with an ETag (304 when unchanged,
// Range/If-Range, a connection reset halfway), and a 10-degree tile grid (404 where there is no tile).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EsriFeature {
  attributes: Record<string, unknown>;
  geometry: { rings: number[][][] };
}

export interface SourceServerState {
  arcgis: EsriFeature[];
  maxRecordCount: number;
  /** 503s to answer before the next ArcGIS query succeeds. */
  failNextQueries: number;
  /** Every ArcGIS query answer as sent (for reading them with GDAL). */
  arcgisAnswers: string[];
  wfs: GeoJSON.Feature[];
  /** A server that drops the FILTER parameter without a word (some do): the client must check dates itself. */
  wfsIgnoresFilter: boolean;
  /** Every GetFeature answer as sent (for reading them with GDAL). */
  wfsAnswers: string[];
  /** The FILTER of each GetFeature, or null. */
  wfsFilters: (string | null)[];
  file: { body: Buffer; etag: string };
  /** Cut the next full download of the file after this many bytes. */
  resetFileAfter: number | undefined;
  tiles: Map<string, Buffer>;
  log: { path: string; status: number; range?: string }[];
}

export async function startSourceServer(initial: Partial<SourceServerState> = {}): Promise<{ baseUrl: string; state: SourceServerState; close(): Promise<void> }> {
  const state: SourceServerState = {
    arcgis: [],
    maxRecordCount: 2,
    failNextQueries: 0,
    arcgisAnswers: [],
    wfs: [],
    wfsIgnoresFilter: false,
    wfsAnswers: [],
    wfsFilters: [],
    file: { body: Buffer.from(''), etag: '"0"' },
    resetFileAfter: undefined,
    tiles: new Map(),
    log: [],
    ...initial,
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const q = url.searchParams;
    const send = (status: number, body: string | Buffer, type = 'application/json', headers: Record<string, string> = {}) => {
      state.log.push({ path: url.pathname, status, ...(req.headers.range ? { range: req.headers.range } : {}) });
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    if (url.pathname === '/arcgis/rest/services/Test/MapServer/0') {
      return send(200, JSON.stringify({ name: 'Test', maxRecordCount: state.maxRecordCount, objectIdField: 'OBJECTID', fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }], advancedQueryCapabilities: { supportsPagination: true } }));
    }
    if (url.pathname === '/arcgis/rest/services/Test/MapServer/0/query') {
      if (state.failNextQueries > 0) {
        state.failNextQueries--;
        return send(503, 'Service Unavailable', 'text/plain', { 'retry-after': '0' });
      }
      if (q.get('f') !== 'json' || q.get('outSR') !== '4326') return send(200, JSON.stringify({ error: { code: 400, message: 'test server: f=json&outSR=4326 expected' } }));
      const sorted = [...state.arcgis].sort((a, b) => Number(a.attributes.OBJECTID) - Number(b.attributes.OBJECTID));
      const offset = Number(q.get('resultOffset') ?? 0);
      const count = Math.min(Number(q.get('resultRecordCount') ?? state.maxRecordCount), state.maxRecordCount);
      const page = sorted.slice(offset, offset + count);
      // As ArcGIS answers: the fields with their types beside the features (GDAL's reader needs them).
      const fields = Object.entries(sorted[0]?.attributes ?? {}).map(([name, v]) => ({ name, type: name === 'OBJECTID' ? 'esriFieldTypeOID' : typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) > 1e11 ? 'esriFieldTypeDate' : 'esriFieldTypeDouble') : 'esriFieldTypeString', alias: name }));
      const body = JSON.stringify({ objectIdFieldName: 'OBJECTID', geometryType: 'esriGeometryPolygon', spatialReference: { wkid: 4326, latestWkid: 4326 }, fields, features: page, ...(offset + page.length < sorted.length ? { exceededTransferLimit: true } : {}) });
      state.arcgisAnswers.push(body);
      return send(200, body);
    }
    if (url.pathname === '/wfs') {
      if (q.get('request') !== 'GetFeature' || q.get('version') !== '2.0.0') return send(400, 'bad request', 'text/plain');
      const start = Number(q.get('startIndex') ?? 0);
      const count = Number(q.get('count') ?? 1000);
      const filter = q.get('FILTER');
      state.wfsFilters.push(filter);
      // WFS 2.0 (OGC 09-025r2, 7.9.2.4.1): BBOX and FILTER are mutually exclusive; servers answer an exception.
      if (filter && q.get('bbox')) return send(400, '<ows:ExceptionReport><ows:Exception exceptionCode="InvalidParameterValue" locator="FILTER"/></ows:ExceptionReport>', 'application/xml');
      const matching = filter && !state.wfsIgnoresFilter ? state.wfs.filter(fesMatcher(filter)) : state.wfs;
      const page = matching.slice(start, start + count);
      const body = JSON.stringify({ type: 'FeatureCollection', numberMatched: matching.length, numberReturned: page.length, features: page });
      state.wfsAnswers.push(body);
      return send(200, body, 'application/geo+json');
    }
    if (url.pathname === '/files/areas.geojson') {
      const { body, etag } = state.file;
      if (req.headers['if-none-match'] === etag) return send(304, '', 'application/geo+json', { etag });
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (range && req.headers['if-range'] === etag) {
        const from = Number(range[1]);
        return send(206, body.subarray(from), 'application/geo+json', { etag, 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` });
      }
      if (state.resetFileAfter !== undefined) {
        const cut = state.resetFileAfter;
        state.resetFileAfter = undefined;
        state.log.push({ path: url.pathname, status: 200 });
        res.writeHead(200, { 'content-type': 'application/geo+json', 'content-length': body.length, etag });
        res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      return send(200, body, 'application/geo+json', { etag });
    }
    const tile = /^\/tiles\/(.+)$/.exec(url.pathname);
    if (tile) {
      const body = state.tiles.get(tile[1]!);
      return body ? send(200, body, 'image/tiff', { etag: `"${tile[1]}-${body.length}"` }) : send(404, 'Not Found', 'text/plain');
    }
    send(404, 'Not Found', 'text/plain');
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** The two FES 2.0 operators the fetch sends (a date property >= a literal, a BBOX), as a server applies them. */
function fesMatcher(filter: string): (f: GeoJSON.Feature) => boolean {
  const date = /<fes:PropertyIsGreaterThanOrEqualTo><fes:ValueReference>([^<]+)<\/fes:ValueReference><fes:Literal>([^<]+)<\/fes:Literal>/.exec(filter);
  const box = /<gml:lowerCorner>(\S+) (\S+)<\/gml:lowerCorner><gml:upperCorner>(\S+) (\S+)<\/gml:upperCorner>/.exec(filter);
  return (f) => {
    if (date && !(String((f.properties as Record<string, unknown>)[date[1]!]) >= date[2]!)) return false;
    if (!box) return true;
    const [w, s, e, n] = box.slice(1).map(Number) as [number, number, number, number];
    const points = JSON.stringify(f.geometry).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g) ?? [];
    return points.some((p) => {
      const [x, y] = p.split(',').map(Number) as [number, number];
      return x >= w && x <= e && y >= s && y <= n;
    });
  };
}

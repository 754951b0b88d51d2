// The framework floor of BENCH.md (a): a bare node:http server with pg running the very SQL Atalaya
// runs for a tile (compiled by the same builder), no framework, no cache, no validation.
// usage (spawned by vector_tiles.bench.ts): node --import tsx vector_tiles_node_floor.ts <database url> <port>
import http from 'node:http';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { mvtQuery } from '../../server/db/tiles/mvt_sql';

const [url, port] = process.argv.slice(2) as [string, string];
const pool = new pg.Pool({ connectionString: url, max: 4 });
const compiler = new Kysely<never>({ dialect: new PostgresDialect({ pool }) });
http
  .createServer(async (req, res) => {
    const [, name, z, x, y] = /^\/([a-z_]+)\/(\d+)\/(\d+)\/(\d+)$/.exec(req.url ?? '') ?? [];
    if (!name) return res.writeHead(404).end();
    const layer = name === 'sites' ? ({ kind: 'sites' } as const) : ({ kind: 'areas', areaKind: name } as const);
    const q = mvtQuery(layer, name, Number(z), Number(x), Number(y)).compile(compiler);
    const r = await pool.query(q.sql, q.parameters as unknown[]);
    const mvt = r.rows[0]?.mvt as Buffer | null;
    res.writeHead(200, { 'content-type': 'application/vnd.mapbox-vector-tile' }).end(mvt ?? undefined);
  })
  .listen(Number(port));

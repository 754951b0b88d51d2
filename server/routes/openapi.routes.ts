// The OpenAPI document and a browsable page for it (Swagger UI from the swagger-ui-dist package,
// served from this server: no CDN, so it works offline).
import express, { Router, type Request } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { apiPaths } from '../api';
import { openApiDocument } from '../openapi/document';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atalaya API</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;

// A file rather than an inline script, so a strict Content-Security-Policy can allow it.
const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(apiPaths.openapi)}, dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });`;

export function openApiRoutes(): Router {
  let cached: { base: string; json: string } | undefined;
  const base = (req: Request) => `${req.protocol}://${req.get('host')}`;
  return Router()
    .get(apiPaths.openapi, (req, res) => {
      const b = base(req);
      if (cached?.base !== b) cached = { base: b, json: JSON.stringify(openApiDocument(b)) };
      res.type('application/vnd.oai.openapi+json;version=3.1').send(cached.json);
    })
    .get(apiPaths.docs, (_req, res) => {
      res.type('html').send(page);
    })
    .get('/api/docs/init.js', (_req, res) => {
      res.type('application/javascript').send(init);
    })
    .use('/api/docs/assets', express.static(getAbsoluteFSPath(), { maxAge: '1d', index: false }));
}

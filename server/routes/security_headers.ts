// Security headers (helmet) with a content security policy the client actually needs: its own
// scripts, MapLibre's worker (a blob: URL) and WebGL, inline style attributes (MapLibre and Chart.js
// set them), images and tiles from this server, data: and blob: for canvases and downloads.
import helmet from 'helmet';
import type { RequestHandler } from 'express';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'child-src': ["'self'", 'blob:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
    // The map may be opened from another site's link; nothing here needs cross-origin isolation.
    crossOriginEmbedderPolicy: false,
    // HSTS only makes sense behind TLS, which a reverse proxy adds; it sets its own.
    strictTransportSecurity: false,
  });
}

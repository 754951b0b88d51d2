import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { glyphsPlugin } from './scripts/glyphs/vite_glyphs_plugin';

// The client lives in client/ and is built into dist/client, which the Express server serves.
export default defineConfig({
  // Gzipped copies of the built files beside them, which the server sends to browsers that accept
  // gzip (express-static-gzip): a third of the bytes on a real network, no compression per request.
  plugins: [glyphsPlugin(), compression({ algorithms: ['gzip'], include: /\.(js|css|json|html|svg|pbf)$/, threshold: 1024 })],
  root: fileURLToPath(new URL('./client', import.meta.url)),
  resolve: {
    alias: { '@atalaya/api': fileURLToPath(new URL('./server/api/index.ts', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:8080', '/tiles': 'http://localhost:8080', '/alerts': 'http://localhost:8080' },
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { glyphsPlugin } from './scripts/glyphs/vite_glyphs_plugin';

// The client lives in client/ and is built into dist/client, which the Express server serves.
export default defineConfig({
  // Gzipped copies of the built files beside them, which the server sends to browsers that accept
  // gzip (express-static-gzip): a third of the bytes on a real network, no compression per request.
  plugins: [
    glyphsPlugin(),
    // An installable web app whose shell and code load with the network off (inspectors in the
    // forest): Workbox precaches the built files; the API, tiles and pages the server renders
    // (/report, sheets, previews) always go to the network, so they are never served stale.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: 'Atalaya: U.S.-Peru Environmental Cooperation on the map',
        short_name: 'Atalaya',
        description: 'Activities of the U.S.-Peru Environmental Cooperation Work Program, forest loss and deforestation alerts on the map',
        lang: 'es',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1b5e20',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,json,pbf}'],
        navigateFallback: 'index.html',
        // Only the app itself (/ with any query) falls back to the cached shell.
        navigateFallbackAllowlist: [/^\/(\?.*)?$/],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // The first visit's page is controlled as soon as the worker is ready: offline from then on.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
    compression({ algorithms: ['gzip'], include: /\.(js|css|json|html|svg|pbf)$/, threshold: 1024 }),
  ],
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

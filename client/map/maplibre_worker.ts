// MapLibre 6 loads its worker from a separate module that a bundler cannot discover by itself;
// Vite's `?worker&url` bundles it (with its shared chunk) into one file and gives us its URL.
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';

setWorkerUrl(workerUrl);

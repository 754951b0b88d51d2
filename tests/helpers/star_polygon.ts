// The polygons of the probe that crashed PostgreSQL: a star of n vertices alternating between radii
// 0.2 and 0.05 degree around (-69.9, -12.75), coordinates rounded to 4 decimals. Rounding makes the
// dense spikes cross each other, so it is invalid; its repair is slow and its buffer explodes (a
// 10,000-vertex star buffered by 5 km ran PostgreSQL's backend past 7 GB in 40 s).
export function starPolygon(n: number): { type: 'Polygon'; coordinates: number[][][] } {
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = i % 2 === 0 ? 0.2 : 0.05;
    ring.push([+(-69.9 + r * Math.cos(a)).toFixed(4), +(-12.75 + r * Math.sin(a)).toFixed(4)]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

/** Polls `urls` back to back (each one request at a time) until stopped; the slowest answer of each, in ms. */
export function pollLatencies(urls: string[]): { stop(): Promise<{ url: string; maxMs: number; count: number; statuses: number[] }[]> } {
  let running = true;
  const loops = urls.map(async (url) => {
    let maxMs = 0;
    let count = 0;
    const statuses = new Set<number>();
    while (running) {
      const t = performance.now();
      const res = await fetch(url).catch(() => undefined);
      await res?.arrayBuffer();
      maxMs = Math.max(maxMs, performance.now() - t);
      count++;
      statuses.add(res?.status ?? 0);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url, maxMs: Math.round(maxMs), count, statuses: [...statuses] };
  });
  return {
    async stop() {
      running = false;
      return Promise.all(loops);
    },
  };
}

// The lon/lat extent of some GeoJSON geometries, for fitting the map to them.
export function bboxOf(geometries: GeoJSON.Geometry[]): [number, number, number, number] | undefined {
  let box: [number, number, number, number] | undefined;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const g of geometries) visit('coordinates' in g ? g.coordinates : g.geometries.map((x) => ('coordinates' in x ? x.coordinates : [])));
  return box;
}

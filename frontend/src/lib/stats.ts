/** Least-squares line y = slope·x + intercept through the pairs with both values finite, and
 * Pearson's r; null with fewer than two such pairs or when x does not vary. */
export type LinearFit = { slope: number; intercept: number; r: number | null; n: number };

export function linearFit(xs: (number | null)[], ys: (number | null)[]): LinearFit | null {
  const pairs: [number, number][] = [];
  xs.forEach((x, i) => {
    const y = ys[i];
    if (x !== null && y !== null && y !== undefined && Number.isFinite(x) && Number.isFinite(y))
      pairs.push([x, y]);
  });
  const n = pairs.length;
  if (n < 2) return null;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of pairs) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r: syy === 0 ? null : sxy / Math.sqrt(sxx * syy), n };
}

/** Latency statistics for the bench: nearest-rank percentiles over recorded samples (milliseconds). */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const round = (n: number, digits = 2): number => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  return { p50Ms: round(percentile(samples, 50)), p99Ms: round(percentile(samples, 99)), samples: samples.length };
}

/**
 * Least-squares slope of log(y) over log(x): the exponent k in y ~ x^k. k <= 1 means the cost grows
 * no worse than linearly with x.
 */
export function growthExponent(points: ReadonlyArray<{ x: number; y: number }>): number {
  const pts = points.filter((p) => p.x > 0 && p.y > 0);
  if (pts.length < 2) return Number.NaN;
  const lx = pts.map((p) => Math.log(p.x));
  const ly = pts.map((p) => Math.log(p.y));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < pts.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den === 0 ? Number.NaN : round(num / den, 3);
}

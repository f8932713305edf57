// Statistics and the printed tables of the benchmark.
export const sorted = (xs) => [...xs].sort((a, b) => a - b);

/** Nearest-rank quantile. */
export function quantile(xs, q) {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function median(xs) {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x, digits = 3) => Number(x.toFixed(digits));
export const ms = (x) => `${x.toFixed(2)} ms`;
export const us = (x) => `${(x * 1000).toFixed(0)} µs`;
export const ratio = (x) => `${x.toFixed(2)}x`;

export function table(title, header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(all[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

/** Median and p90 of one side's times (ms). */
export const summary = (times) => ({ medianMs: round(median(times), 4), p90Ms: round(quantile(times, 0.9), 4) });

/** One round of a comparison from each side's times (ms): medians, p90s and their ratios. */
export function compare(baselineTimes, packageTimes) {
  const base = summary(baselineTimes);
  const pkg = summary(packageTimes);
  return {
    baseline: base,
    package: pkg,
    ratioMedian: round(pkg.medianMs / base.medianMs),
    ratioP90: round(pkg.p90Ms / base.p90Ms),
    aboveBaselineMedianUs: round((pkg.medianMs - base.medianMs) * 1000, 1),
  };
}

/** The rounds of a comparison and the medians of their ratios and differences. */
export const summarize = (calls, out) => ({
  calls,
  rounds: out,
  ratioMedian: round(median(out.map((r) => r.ratioMedian))),
  aboveBaselineMedianUs: round(median(out.map((r) => r.aboveBaselineMedianUs)), 1),
});

/**
 * Runs `rounds` rounds of `n` calls per side, the sides interleaved call by call and alternating which goes
 * first, after `warmup` calls per side. Per round: each side's median and p90 and their ratios.
 */
export async function rounds(sides, { n, rounds: count, warmup }) {
  const names = Object.keys(sides);
  for (let i = 0; i < warmup; i++) for (const name of names) await sides[name]();
  const out = [];
  for (let r = 0; r < count; r++) {
    const times = Object.fromEntries(names.map((name) => [name, []]));
    for (let i = 0; i < n; i++) {
      for (const name of i % 2 ? [...names].reverse() : names) {
        const t0 = performance.now();
        await sides[name]();
        times[name].push(performance.now() - t0);
      }
    }
    out.push(compare(...names.map((name) => times[name])));
  }
  return summarize(n, out);
}

/** Prints the rounds of one comparison. */
export function printRounds(title, labels, result) {
  const rows = [];
  result.rounds.forEach((r, i) => {
    rows.push([`round ${i + 1}: ${labels[0]}`, us(r.baseline.medianMs), us(r.baseline.p90Ms), '', '']);
    rows.push([`round ${i + 1}: ${labels[1]}`, us(r.package.medianMs), us(r.package.p90Ms), ratio(r.ratioMedian), ratio(r.ratioP90)]);
  });
  table(title, ['side', 'median', 'p90', 'ratio (median)', 'ratio (p90)'], rows);
  console.log(`median of the rounds: ${ratio(result.ratioMedian)}, ${result.aboveBaselineMedianUs >= 0 ? '+' : ''}${result.aboveBaselineMedianUs} µs per call`);
}

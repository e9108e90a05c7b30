/**
 * Renders a results file of `npm run bench` as the Markdown tables BENCHMARKS.md keeps:
 *
 *   node --import tsx bench/report.ts [bench/results/latest.json]
 */
import { readFileSync } from 'node:fs';
import { table } from './lib/report.ts';

const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const r = JSON.parse(readFileSync(file, 'utf8'));
const m = r.machine;
process.stdout.write(
  `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}; load ` +
    `average ${m.loadAverage.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end; ` +
    `${r.generatedAt}${r.quick ? '; QUICK run' : ''}\n\n${table(r)}\n`,
);

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, or BENCH_CPU_PROF=1 npm run bench): self time by
 * area (our code by folder, each dependency, node internals, GC, idle) and the top functions.
 *
 *   node --import tsx bench/profile-summary.ts bench/results/profiles/postgres/*.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string, fn: string): string {
  if (fn === '(idle)') return '(idle)';
  if (fn === '(garbage collector)') return '(gc)';
  if (fn === '(program)') return '(program)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const src = /\/src\/(.*)\/[^/]+$/.exec(url) ?? /\/src\/([^/]+)$/.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  if (!url) return '(native / builtins)';
  return url.replace(/^file:\/\//, '');
}

const selfByArea = new Map<string, number>();
const selfByFn = new Map<string, number>();
let total = 0;
for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    if (!n) continue;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const a = area(n.callFrame.url, n.callFrame.functionName);
    selfByArea.set(a, (selfByArea.get(a) ?? 0) + dt);
    const f =
      `${n.callFrame.functionName || '(anonymous)'} ` +
      `${n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    selfByFn.set(f, (selfByFn.get(f) ?? 0) + dt);
  }
}
const busy = total - (selfByArea.get('(idle)') ?? 0);
const pct = (ms: number, of: number) => `${((100 * ms) / of).toFixed(1)}%`.padStart(6);
console.log(`total ${total.toFixed(0)} ms, busy ${busy.toFixed(0)} ms\n\nself time by area (share of busy time):`);
for (const [a, ms] of [...selfByArea]
  .filter(([a]) => a !== '(idle)')
  .sort((x, y) => y[1] - x[1])
  .slice(0, 25))
  console.log(`${pct(ms, busy)}  ${ms.toFixed(0).padStart(7)} ms  ${a}`);
console.log('\ntop functions by self time:');
for (const [f, ms] of [...selfByFn]
  .filter(([f]) => !f.startsWith('(idle)'))
  .sort((x, y) => y[1] - x[1])
  .slice(0, 30))
  console.log(`${pct(ms, busy)}  ${ms.toFixed(0).padStart(7)} ms  ${f}`);

import assert from 'node:assert/strict';
import type { FuzzReport } from './fuzz-runner.ts';

/** No 5xx, no request left unanswered, no slow or failed /health while the fuzz ran; the figures are printed. */
export function assertFuzzClean(
  label: string,
  report: FuzzReport,
  health: { checks: number; maxMs: number; slow: Array<{ ms: number; status: number | string }> },
  log: (msg: string) => void,
) {
  log(
    `${label}: ${report.sent} requests over ${report.operations} operations; statuses ` +
      `${JSON.stringify(report.statuses)}; /health ${health.checks} checks, slowest ${health.maxMs} ms`,
  );
  log(`${label}: slowest requests ${JSON.stringify(report.slowest)}`);
  const shown = report.failures
    .slice(0, 10)
    .map(
      (f) =>
        `${f.status} ${f.request.operation} [${f.request.mutation}] ${f.request.method} ` +
        `${f.request.url.slice(0, 120)}\n   body: ${f.request.body ?? ''}\n   answer: ${f.text.slice(0, 300)}`,
    );
  assert.equal(
    report.failures.length,
    0,
    `${label}: ${report.failures.length} answers 5xx or none:\n${shown.join('\n')}`,
  );
  assert.deepEqual(health.slow, [], `${label}: /health slower than 1 s or failing during the fuzz`);
}

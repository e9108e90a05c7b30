import assert from 'node:assert/strict';
import type { FuzzReport } from './fuzz-runner.ts';

/**
 * No 5xx (but load shedding's 503), no request left unanswered, /health always answering while the fuzz ran. How long
 * /health took is printed, not asserted: timing is the bench's job, and these machines are shared.
 */
export function assertFuzzClean(
  label: string,
  report: FuzzReport,
  health: { checks: number; maxMs: number; slow: Array<{ ms: number; status: number | string }> },
  log: (msg: string) => void,
) {
  log(
    `${label}: ${report.sent} requests over ${report.operations} operations; statuses ` +
      `${JSON.stringify(report.statuses)} (${report.shed} shed under load); /health ${health.checks} checks, slowest ` +
      `${health.maxMs} ms, ${health.slow.length} over 1 s or shed`,
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
  const failed = health.slow.filter((c) => c.status !== 200 && c.status !== 'shed');
  assert.deepEqual(failed, [], `${label}: /health failed or did not answer during the fuzz`);
}

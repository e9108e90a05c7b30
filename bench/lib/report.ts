/**
 * The bench's result shapes and their Markdown rendering (used by run.ts and by `node --import tsx bench/report.ts`).
 */
import { round, type LatencySummary } from './stats.ts';

export interface SlotCase {
  technicians: number;
  days: number;
  slots: number;
  busyIntervals: number;
  http: LatencySummary;
  engine: LatencySummary;
}

export interface DbResult {
  booking: {
    path: string;
    concurrency: number;
    requests: number;
    apiPerSecond: number;
    baselinePerSecond: number;
    ratio: number;
    p50Ms: number;
    p99Ms: number;
    baselineP50Ms: number;
    baselineP99Ms: number;
    /** Statements (BEGIN and COMMIT included) of one booking through the core use case and through the baseline. */
    statementsPerBooking: { api: number; baseline: number };
    /**
     * One bare INSERT … ON CONFLICT DO NOTHING of an allocation, same driver, same concurrency: the database's limit
     * for a booking.
     */
    limitPerSecond?: number;
    /** apiPerSecond / limitPerSecond. */
    ratioToLimit?: number;
    /** CPU of the server process per measured booking (/proc). */
    serverCpuMsPerBooking?: number;
    /** CPU of the PostgreSQL backends per measured booking (/proc; PostgreSQL only). */
    databaseCpuMsPerBooking?: number;
    errors: number;
    errorSamples: string[];
  };
  /** Outgoing webhooks (absent in results written before them). */
  webhooks?: {
    /** The booking run again, for a tenant with one subscription: its cost shows beside booking.apiPerSecond. */
    bookingPerSecond: number;
    bookingP50Ms: number;
    bookingP99Ms: number;
    /** From the event's recorded time (in the change's transaction) to its arrival at the receiver. */
    recordToReceiptP50Ms: number;
    recordToReceiptP99Ms: number;
    events: number;
    /** The same events replayed at once and drained: events delivered per second. */
    backlogEvents: number;
    deliveredPerSecond: number;
    /** Requests beyond one per event (0 expected: no failures, no kills). */
    duplicates: number;
    errors: number;
  };
  slotSearch: {
    cases: SlotCase[];
    goal: {
      technicians: number;
      days: number;
      p50Ms?: number;
      p99Ms?: number;
      httpP50Ms: number;
      goalMs: number;
      met: boolean;
    };
    /** k in p50 ~ (technicians x days)^k over the 3x3 matrix: <= 1 is no worse than linear. */
    growthExponent: { http: number; engine: number };
  };
  contention: {
    capacity: number;
    attempts: number;
    succeeded: number;
    conflicts: number;
    otherErrors: number;
    overlaps: number;
    path: string;
    /** From the first request to the last answer (absent in results from before it was measured). */
    ms?: number;
    /** attempts / that time: a race's answers per second, to set beside the free-window booking rate. */
    answersPerSecond?: number;
  };
  memory: { rssBytes: number; rssMiB: number; idleRssMb?: number };
  /** Process start to the first 200 from /health: on an empty store, and on the bench's loaded one. */
  startup?: { emptyMs: number; existingMs: number };
  serverErrorsLogged: number;
  durationSec: number;
}

/** Two Markdown tables: everything but slot search (one column per database), then the slot-search matrix. */
export function table(results: Record<string, DbResult | undefined>): string {
  const kinds = (['postgres', 'pglite'] as const).filter((k) => results[k]);
  if (kinds.length === 0) return '(no database run completed)';
  const col = (f: (r: DbResult) => string | number) => kinds.map((k) => String(f(results[k]!)));
  const row = (label: string, f: (r: DbResult) => string | number) => `| ${label} | ${col(f).join(' | ')} |`;
  const lines = [`| | ${kinds.join(' | ')} |`, `|---|${kinds.map(() => '---:').join('|')}|`];
  lines.push(row('booking path', (r) => r.booking.path.replace(/\|/g, '/')));
  lines.push(
    row(
      'booking through HTTP /s',
      (r) => `${r.booking.apiPerSecond} (${r.booking.concurrency} clients, ${r.booking.requests} bookings)`,
    ),
  );
  lines.push(row('limit: bare INSERT … ON CONFLICT DO NOTHING /s', (r) => r.booking.limitPerSecond ?? 'n/a'));
  lines.push(
    row(
      '**ratio to limit** api / limit (goal ≥ 0.5 PostgreSQL, ≥ 0.25 PGlite)',
      (r) => `**${r.booking.ratioToLimit ?? 'n/a'}**`,
    ),
  );
  lines.push(row('server CPU ms per booking', (r) => r.booking.serverCpuMsPerBooking ?? 'n/a'));
  lines.push(row('database backends CPU ms per booking', (r) => r.booking.databaseCpuMsPerBooking ?? 'n/a'));
  lines.push(row('before-issue-8 path (15 statements) through the driver /s', (r) => r.booking.baselinePerSecond));
  lines.push(row('ratio api / that path', (r) => r.booking.ratio));
  lines.push(row('booking p50 / p99 ms', (r) => `${r.booking.p50Ms} / ${r.booking.p99Ms}`));
  lines.push(row('baseline p50 / p99 ms', (r) => `${r.booking.baselineP50Ms} / ${r.booking.baselineP99Ms}`));
  lines.push(
    row('SQL statements per booking: API use case (goal ≤ 2) / before-issue-8 path', (r) => {
      const st = r.booking.statementsPerBooking;
      return st ? `${st.api} / ${st.baseline}` : 'n/a';
    }),
  );
  lines.push(row('booking errors', (r) => r.booking.errors));
  lines.push(
    row('booking with a webhook subscription /s, p50 / p99 ms', (r) =>
      r.webhooks ? `${r.webhooks.bookingPerSecond}, ${r.webhooks.bookingP50Ms} / ${r.webhooks.bookingP99Ms}` : 'n/a',
    ),
  );
  lines.push(
    row('webhook record-to-receipt p50 / p99 ms', (r) =>
      r.webhooks
        ? `${r.webhooks.recordToReceiptP50Ms} / ${r.webhooks.recordToReceiptP99Ms} (${r.webhooks.events} events)`
        : 'n/a',
    ),
  );
  lines.push(
    row('webhook events delivered /s (a replay of them drained)', (r) =>
      r.webhooks ? `${r.webhooks.deliveredPerSecond} (${r.webhooks.backlogEvents} events)` : 'n/a',
    ),
  );
  lines.push(row('contention: capacity / attempts', (r) => `${r.contention.capacity} / ${r.contention.attempts}`));
  lines.push(
    row(
      'contention: succeeded / conflicts / other',
      (r) => `${r.contention.succeeded} / ${r.contention.conflicts} / ${r.contention.otherErrors}`,
    ),
  );
  lines.push(
    row('contention: all answered in ms (answers /s; / booking rate)', (r) =>
      r.contention.answersPerSecond === undefined
        ? 'n/a'
        : `${r.contention.ms} (${r.contention.answersPerSecond}; ${round(r.contention.answersPerSecond / r.booking.apiPerSecond, 2)})`,
    ),
  );
  lines.push(row('overlaps afterwards (SQL)', (r) => r.contention.overlaps));
  lines.push(
    row(
      '**slot search 50 × 14 d, HTTP p50 / p99** (goal p50 ≤ 5 ms)',
      (r) =>
        `**${r.slotSearch.goal.httpP50Ms}** / ${r.slotSearch.goal.p99Ms ?? 'n/a'} ms ` +
        `${r.slotSearch.goal.met ? 'met' : 'missed'}`,
    ),
  );
  lines.push(
    row(
      'slot search growth exponent, HTTP / engine (≤ 1: linear)',
      (r) => `${r.slotSearch.growthExponent.http} / ${r.slotSearch.growthExponent.engine}`,
    ),
  );
  lines.push(row('server RSS after the runs, idle (MiB)', (r) => r.memory.rssMiB));
  lines.push(
    row('start-up to /health 200: empty / loaded store (ms)', (r) =>
      r.startup ? `${r.startup.emptyMs} / ${r.startup.existingMs}` : 'n/a',
    ),
  );
  lines.push(row('server errors logged', (r) => r.serverErrorsLogged));

  const head = kinds.map((k) => `${k} HTTP p50 / p99 | ${k} engine p50 / p99`).join(' | ');
  const slots = ['', `| technicians × days (slots) | ${head} |`, `|---|${kinds.map(() => '---:|---:').join('|')}|`];
  for (const c of results[kinds[0]]!.slotSearch.cases) {
    const cells = kinds.map((k) => {
      const x = results[k]!.slotSearch.cases.find((y) => y.technicians === c.technicians && y.days === c.days)!;
      return `${x.http.p50Ms} / ${x.http.p99Ms} | ${x.engine.p50Ms} / ${x.engine.p99Ms}`;
    });
    slots.push(`| ${c.technicians} × ${c.days} (${c.slots}) | ${cells.join(' | ')} |`);
  }
  return [...lines, ...slots].join('\n');
}

/**
 * Sends generated requests (openapi-fuzzer.ts) to a real server over loopback, a few at a time,
 * and watches /health meanwhile. Bounded: a fixed number of requests, each with a deadline.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  fuzzRequest,
  operationsOf,
  prng,
  type FuzzContext,
  type FuzzRequest,
  type OpenApiDoc,
} from './openapi-fuzzer.ts';

export interface FuzzFinding {
  request: FuzzRequest;
  status: number | string;
  text: string;
}

export interface FuzzReport {
  sent: number;
  statuses: Record<string, number>;
  /** Answers 500 and above, and requests that got no answer at all. */
  failures: FuzzFinding[];
  /** Requests refused by load shedding (503, "overloaded"): counted, not failures. */
  shed: number;
  operations: number;
  /** The slowest requests (to explain a slow /health), slowest first. */
  slowest: Array<{ ms: number; status: number | string; operation: string; mutation: string; bytes: number }>;
}

const REQUEST_DEADLINE_MS = 30_000;
/** The server's BODY_LIMIT_BYTES default. */
const BODY_LIMIT_BYTES = 1_048_576;

async function send(
  baseUrl: string,
  r: FuzzRequest,
  headers: Record<string, string>,
): Promise<{ status: number | string; text: string }> {
  try {
    const res = await fetch(baseUrl + r.url, {
      method: r.method,
      headers: { ...headers, ...(r.contentType !== undefined ? { 'content-type': r.contentType } : {}) },
      ...(r.body !== undefined && r.method !== 'GET' ? { body: r.body } : {}),
      signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
    });
    return { status: res.status, text: (await res.text()).slice(0, 500) };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? '';
    // Fastify answers 413 on the Content-Length alone and closes the connection while a body past
    // the limit is still being sent: the client sees its upload cut, which is the refusal.
    if (
      r.body !== undefined &&
      Buffer.byteLength(r.body) > BODY_LIMIT_BYTES &&
      /EPIPE|ECONNRESET|UND_ERR_SOCKET/.test(cause)
    )
      return { status: 413, text: 'connection closed while the oversized body was sent' };
    return { status: `no answer: ${(e as Error).name} ${(e as Error).message} ${cause}`, text: '' };
  }
}

/** `count` generated requests against the API described by `doc`, `concurrency` at a time. */
export async function fuzzApi(o: {
  baseUrl: string;
  doc: OpenApiDoc;
  count: number;
  seed: number;
  concurrency?: number;
  ctx: FuzzContext;
  /** Credentials per request (most requests carry valid ones, so that they reach validation and the core). */
  headers: (rng: ReturnType<typeof prng>) => Record<string, string>;
}): Promise<FuzzReport> {
  const rng = prng(o.seed);
  const ops = operationsOf(o.doc);
  if (ops.length === 0) throw new Error('the OpenAPI document lists no operation');
  const report: FuzzReport = { sent: 0, statuses: {}, failures: [], shed: 0, operations: ops.length, slowest: [] };
  let next = 0;
  const worker = async () => {
    while (next < o.count) {
      next++;
      const req = fuzzRequest(o.doc, rng.pick(ops), rng, o.ctx);
      const started = performance.now();
      const res = await send(o.baseUrl, req, o.headers(rng));
      const ms = Math.round(performance.now() - started);
      report.sent++;
      if (report.slowest.length < 5 || ms > report.slowest.at(-1)!.ms) {
        report.slowest.push({
          ms,
          status: res.status,
          operation: req.operation,
          mutation: req.mutation,
          bytes: req.body ? Buffer.byteLength(req.body) : 0,
        });
        report.slowest.sort((a, b) => b.ms - a.ms).splice(5);
      }
      const key = typeof res.status === 'number' ? String(res.status) : 'no answer';
      report.statuses[key] = (report.statuses[key] ?? 0) + 1;
      // Load shedding (under-pressure's 503 on a busy machine) is the documented answer, not a defect of the API.
      if (res.status === 503 && res.text.includes(OVERLOADED)) report.shed++;
      else if (typeof res.status !== 'number' || res.status >= 500)
        report.failures.push({
          request: { ...req, body: req.body?.slice(0, 300) },
          status: res.status,
          text: res.text,
        });
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 4 }, worker));
  return report;
}

/** What under-pressure's 503 says (src/api/http/security.ts): the service sheds load. */
const OVERLOADED = 'overloaded';

export interface HealthWatch {
  /** Stops watching; the answers' times and every check slower than the limit (or failed). */
  stop(): Promise<{ checks: number; maxMs: number; slow: Array<{ ms: number; status: number | string }> }>;
}

/**
 * The watcher runs in a worker thread, on an event loop of its own: the time it measures is the
 * server's, not the time this process spends generating large malformed bodies.
 */
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { baseUrl, limitMs, everyMs, timeoutMs } = workerData;
let running = true, checks = 0, maxMs = 0;
const slow = [];
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const started = performance.now();
    let status;
    try {
      const res = await fetch(baseUrl + '/health', { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      status = res.status === 503 && text.includes('overloaded') ? 'shed' : res.status;
    } catch (e) {
      status = e.name;
    }
    const ms = performance.now() - started;
    checks++;
    maxMs = Math.max(maxMs, ms);
    if (ms > limitMs || status !== 200) slow.push({ ms: Math.round(ms), status });
    if (slow.length > 50) slow.splice(0, slow.length - 50);
    if (running) await new Promise((r) => setTimeout(r, everyMs));
  }
  parentPort.postMessage({ checks, maxMs: Math.round(maxMs), slow });
})();
`;

/**
 * Asks /health every `everyMs` while the fuzz runs; a check slower than `limitMs` (or not 200) is recorded, one with no
 * answer within `timeoutMs` as a TimeoutError. Times are reported, not asserted: the machine may be shared.
 */
export function watchHealth(baseUrl: string, limitMs = 1_000, everyMs = 200, timeoutMs = 30_000): HealthWatch {
  const worker = new Worker(WATCHER, { eval: true, workerData: { baseUrl, limitMs, everyMs, timeoutMs } });
  const result = new Promise<Awaited<ReturnType<HealthWatch['stop']>>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const r = await result;
      await worker.terminate();
      return r;
    },
  };
}

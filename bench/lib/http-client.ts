import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A small keep-alive JSON client for load generation (node:http, no dependency). Every call has a
 * deadline, so a server that hangs shows up as a timeout, never as a stuck bench.
 */
export interface HttpResponse<T = any> {
  status: number;
  body: T;
  text: string;
  ms: number;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly ms: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** Whole-request deadline (default 30 s). */
  timeoutMs?: number;
}

export class HttpClient {
  readonly agent: http.Agent;

  constructor(
    readonly baseUrl: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = new URL(path, this.baseUrl);
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (code: string, message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new HttpError(message, code, performance.now() - started));
      };
      const req = http.request(
        { agent: this.agent, method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'ERESPONSE', e.message));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            let body: any = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, body, text, ms: performance.now() - started });
          });
        },
      );
      const timer = setTimeout(() => {
        fail('ETIMEOUT', `${method} ${path}: no answer within ${opts.timeoutMs ?? 30_000} ms`);
        req.destroy();
      }, opts.timeoutMs ?? 30_000);
      req.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'EREQUEST', `${method} ${path}: ${e.message}`));
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Runs `count` tasks with at most `concurrency` in flight (workers pulling the next index), and
 * resolves when all have settled. Task errors are the task's business: wrap them in the task.
 */
export async function runConcurrent(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root (bench/lib/../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** The server's PII_HASH_KEY, which the baseline needs to hash document numbers the same way. */
export const PII_HASH_KEY = 'bench-pii-key-0123456789';

export interface ServerOptions {
  /** DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite). */
  databaseUrl?: string;
  dataDir?: string;
  /** Where the child's stdout and stderr go (JSON log lines). */
  logFile: string;
  logLevel?: string;
  /** Extra environment (CONFIG_FILE, …). */
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
  /** A fixed port (to restart on the same address); a free one by default. */
  port?: number;
  /** How long to wait until it answers HTTP (default 90 s: PGlite needs several seconds to start). */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  readonly pid: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code or signal once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
  /** Resident memory of the process (VmRSS), in bytes. */
  rssBytes(): number;
  /** Sends `signal` and waits (bounded) for the process to end; SIGKILL after the deadline. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port free right now on 127.0.0.1 (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True once something answers HTTP on the port (any status). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * Starts `node --import tsx src/server.ts` as a child process on a free port, and resolves once it
 * answers HTTP. DEMO_DATA is off; the bench loads its own tenants.
 */
export async function startServer(o: ServerOptions): Promise<ServerProcess> {
  const port = o.port ?? (await freePort());
  const fd = openSync(o.logFile, 'a');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TZ: 'UTC',
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN,
    DEMO_DATA: 'false',
    LOG_LEVEL: o.logLevel ?? 'info',
    PII_HASH_KEY,
    // Throughput and fault runs send thousands of requests a minute with one key: no rate limit.
    RATE_LIMIT_PER_MINUTE: '0',
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    ...(o.dataDir ? { DATA_DIR: o.dataDir } : {}),
    ...o.env,
  };
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', 'src/server.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void exited.then((r) => (done = r));
  const log = () => {
    try {
      return readFileSync(o.logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const pid = child.pid!;
  const timeoutMs = o.startTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done) throw new Error(`server exited (${JSON.stringify(done)}) before listening:\n${log().slice(-3000)}`);
    if (await answers(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not listen within ${timeoutMs} ms:\n${log().slice(-3000)}`);
    }
    await sleep(50);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    pid,
    url,
    child,
    exited,
    log,
    rssBytes() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      return m ? Number(m[1]) * 1024 : Number.NaN;
    },
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (done) return done;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

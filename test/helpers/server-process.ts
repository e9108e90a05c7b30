import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  lines: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `src/server.ts` as `npm start` does, on a free port, and waits for its "listening" log line. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not listen within ${timeoutMs} ms:\n${lines.join('\n')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${lines.join('\n')}`));
    });
  });
  return { child, baseUrl, lines, exited };
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export async function runServerExpectingFailure(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

/**
 * The first output line that passes `match`, as soon as the process writes it: the server's log
 * writes are asynchronous, so a request's line may follow its response.
 */
export function waitForLine(
  server: ServerProcess,
  match: (line: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const found = server.lines.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onData = () => {
      const line = server.lines.find(match);
      if (!line) return;
      clearTimeout(timer);
      server.child.stdout!.off('data', onData);
      resolve(line);
    };
    const timer = setTimeout(() => {
      server.child.stdout!.off('data', onData);
      reject(new Error(`no matching output line within ${timeoutMs} ms`));
    }, timeoutMs);
    server.child.stdout!.on('data', onData);
  });
}

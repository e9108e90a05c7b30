import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

/**
 * On a terminal the log is for a person: the server runs under script(1), which gives it a
 * pseudo-terminal as stdout, and must print readable lines, not JSON (test/e2e/server.test.ts
 * checks the JSON lines of a server whose stdout is a pipe).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const noScript = spawnSync('script', ['--version']).error ? 'needs script(1) (util-linux)' : false;

it('prints readable log lines and the banner when stdout is a terminal', { skip: noScript }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sched-tty-'));
  const { DATABASE_URL, ADMIN_TOKEN, ...env } = process.env;
  const child = spawn('script', ['-qec', `${process.execPath} --import tsx src/server.ts`, '/dev/null'], {
    cwd: ROOT,
    env: {
      ...env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      ADMIN_TOKEN: 'tty-test-admin-token-0123456789',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        output += c;
        if (/ready at[\s\S]*OpenAPI document/.test(output)) resolve();
      });
      exited.then(() => reject(new Error(`exited:\n${output}`)));
    });
    const text = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
    assert.match(text, /INFO: database ready/);
    assert.match(
      text,
      /INFO: Scheduling service ready at http:\/\/127\.0\.0\.1:\d+\r?\n\s+API docs: +http:\/\/127\.0\.0\.1:\d+\/docs/,
    );
    assert.doesNotMatch(text, /^\{"level"/m, 'no JSON lines');
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
});

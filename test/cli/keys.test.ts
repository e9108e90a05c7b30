import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { writeInstance } from '../../src/process/instance.file.ts';
import { freePort } from '../helpers/free-port.ts';

/** What the keys CLI refuses; what it does is proven end to end by test/e2e/quick-start.test.ts. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run keys', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sched-keys-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const keys = (...args: string[]) => {
    const { DATABASE_URL, ADMIN_TOKEN, ...env } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], {
      cwd: ROOT,
      env: { ...env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
  };

  it('explains its usage on a missing command, tenant or key id, with exit code 2', () => {
    for (const args of [[], ['create'], ['revoke', '--tenant', 'masmovil']]) {
      const r = keys(...args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /usage:[\s\S]*npm run keys -- revoke --tenant <id> --id <keyId>/);
    }
  });

  it('never opens an embedded database that a live server holds, even when that server does not answer', async () => {
    // This test process is alive; nothing listens on the recorded port.
    await writeInstance(dataDir, {
      pid: process.pid,
      url: `http://127.0.0.1:${await freePort()}`,
      startedAt: new Date().toISOString(),
    });
    const r = keys('list', '--tenant', 'masmovil');
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`a server \\(pid ${process.pid}\\) holds the embedded database`));
  });
});

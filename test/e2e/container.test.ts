import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { freePort } from '../helpers/free-port.ts';
import { createScratchDatabase } from '../helpers/test-db.ts';

/**
 * No Docker engine runs on these machines (and `docker compose` is not installed), so the image is
 * not built here. What can be checked is: compose.yaml is well-formed and wires the service to the
 * official PostgreSQL image as documented, the Dockerfile has the shape we promise, and the image's
 * own CMD and HEALTHCHECK commands, run with node as the container runs them, start a server that
 * applies its migrations and reports ready.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { uniqueKeys: true }) as any;

/** `INSTRUCTION args` lines of the Dockerfile, with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => ({ op: l.split(/\s+/)[0].toUpperCase(), args: l.slice(l.split(/\s+/)[0].length).trim() }));
const finalStage = instructions.slice(instructions.map((i) => i.op).lastIndexOf('FROM'));
const execForm = (args: string): string[] => JSON.parse(args.replace(/^CMD\s+/, ''));

describe('compose.yaml', () => {
  it('has only compose top-level keys and runs the service against the official PostgreSQL image', () => {
    for (const key of Object.keys(compose))
      assert.ok(
        ['name', 'services', 'volumes', 'networks', 'configs', 'secrets'].includes(key),
        `unknown top-level key ${key}`,
      );
    const { db, app } = compose.services;
    assert.match(db.image, /^postgres:\d+/);
    assert.equal(app.build, '.');
    const url = new URL(app.environment.DATABASE_URL);
    assert.equal(url.hostname, 'db', 'DATABASE_URL names the db service');
    assert.equal(url.username, db.environment.POSTGRES_USER);
    assert.equal(url.password, db.environment.POSTGRES_PASSWORD);
    assert.equal(url.pathname, `/${db.environment.POSTGRES_DB}`);
    assert.equal(
      app.depends_on.db.condition,
      'service_healthy',
      'the service starts once PostgreSQL accepts connections',
    );
    assert.ok(db.healthcheck.test, 'db has the healthcheck that condition waits for');
  });

  it('passes only variables the service reads, and declares the volumes it mounts', () => {
    const configSource = readFileSync(join(ROOT, 'src/config.ts'), 'utf8');
    for (const name of Object.keys(compose.services.app.environment))
      assert.ok(configSource.includes(`'${name}'`), `${name} is read by src/config.ts`);
    for (const svc of Object.values<any>(compose.services)) {
      for (const v of svc.volumes ?? []) {
        const source = String(v).split(':')[0];
        assert.ok(source in (compose.volumes ?? {}), `volume ${source} is declared`);
      }
    }
    assert.deepEqual(compose.services.app.ports, ['8080:8080']);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage on the node 20 image, runs as the non-root node user, and has a healthcheck', () => {
    const froms = instructions.filter((i) => i.op === 'FROM');
    assert.ok(froms.length >= 2, 'multi-stage');
    assert.match(finalStage[0].args, /^node:20[-\w.]*\s/);
    assert.equal(finalStage.find((i) => i.op === 'USER')?.args, 'node');
    assert.ok(finalStage.some((i) => i.op === 'HEALTHCHECK'));
    for (const copy of instructions.filter((i) => i.op === 'COPY' && !i.args.includes('--from'))) {
      const paths = copy.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1);
      for (const p of paths) assert.ok(existsSync(join(ROOT, p)), `COPY source ${p} exists`);
    }
  });

  it(
    "runs the image's CMD with node as the container does: migrations applied, ready, healthcheck passes, SIGTERM " +
      'stops it',
    async () => {
      const env: Record<string, string> = {};
      for (const i of finalStage.filter((i) => i.op === 'ENV'))
        for (const m of i.args.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
      for (const [k, v] of Object.entries<string>(compose.services.app.environment))
        env[k] = String(v).replace(/^\$\{\w+:-(.*)\}$/, '$1');
      // The compose network's database becomes a scratch database on the test server (or PGlite without one).
      const scratch = await createScratchDatabase();
      if (scratch) env.DATABASE_URL = scratch.url;
      else delete env.DATABASE_URL;
      const dataDir = await mkdtemp(join(tmpdir(), 'sched-image-'));
      const port = String(await freePort());
      const [cmd, ...args] = execForm(finalStage.find((i) => i.op === 'CMD')!.args);
      assert.equal(cmd, 'node');
      const { PORT: _p, DATABASE_URL: _d, ADMIN_TOKEN: _a, ...inherited } = process.env;
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...inherited, ...env, DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        await new Promise<void>((resolve, reject) => {
          const onData = (c: Buffer) => {
            output += c;
            if (output.includes('Server listening at')) resolve();
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
        });
        assert.match(output, /database migrated|database ready/);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        assert.equal(ready.status, 200, await ready.clone().text());
        assert.equal((await ready.json()).database, scratch ? 'postgres' : 'pglite');

        const healthcheck = execForm(finalStage.find((i) => i.op === 'HEALTHCHECK')!.args.replace(/^.*?CMD\s+/, ''));
        assert.equal(healthcheck[0], 'node');
        const probe = spawnSync(process.execPath, healthcheck.slice(1), {
          env: { ...process.env, PORT: port },
          timeout: 30_000,
        });
        assert.equal(probe.status, 0, 'the HEALTHCHECK command passes against the running server');

        child.kill('SIGTERM');
        assert.equal(await exited, 0);
      } finally {
        child.kill('SIGKILL');
        await rm(dataDir, { recursive: true, force: true });
        await scratch?.drop();
      }
    },
  );
});

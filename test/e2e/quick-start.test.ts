import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/free-port.ts';

/**
 * The README's quick start, followed literally in a fresh clone: `npm start` (the `npm install` of
 * its first line is replaced by a link to this checkout's node_modules, to stay offline and fast),
 * the banner, the generated operator token, the keys CLI, every README request against the started
 * server (its port substituted for 8080), and SIGTERM to the npm process stopping the server.
 */
const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Started {
  npm: ChildProcess;
  lines: string[];
  /** npm's exit code or signal, once npm and the server have both exited. */
  exited: Promise<number | string | null>;
  banner: string;
}

/** A clone of HEAD with this checkout's uncommitted changes laid over it, as a reader would have it. */
function freshClone(into: string): string {
  const repo = join(into, 'repo');
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, repo]);
  const changed = execFileSync('git', ['ls-files', '-m', '-o', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of changed) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    if (existsSync(join(ROOT, file))) copyFileSync(join(ROOT, file), join(repo, file));
    else rmSync(join(repo, file), { force: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  return repo;
}

/** The shell blocks of the README that send requests, as logical commands (continuation lines joined). */
function readmeRequestCommands(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .filter((b) => /^curl /m.test(b) || b.includes('$(curl'));
  return blocks.flatMap((b) =>
    b
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#')),
  );
}

const missing = ['git', 'curl'].filter((tool) => spawnSync(tool, ['--version']).error);
// The quick start is the embedded database's: it runs in the PGlite pass of the suite, not again in the PostgreSQL one.
const skip =
  missing.length > 0
    ? `needs ${missing.join(' and ')}`
    : process.env.TEST_DATABASE_URL
      ? 'embedded-database quick start: runs without TEST_DATABASE_URL'
      : false;

describe('the README quick start, in a fresh clone', { skip }, () => {
  let tmp: string;
  let repo: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let server: Started;

  // Commands that run while the server is up are asynchronous on purpose: they take seconds, and a blocked event loop
  // would keep fetch from noticing that the server closed an idle keep-alive connection meanwhile; the next request
  // would go out on the dead socket.
  const keys = async (...args: string[]) =>
    (await execFileAsync('npm', ['run', '-s', 'keys', '--', ...args], { cwd: repo, env, encoding: 'utf8' })).stdout;
  const base = () => `http://127.0.0.1:${port}`;

  async function npmStart(): Promise<Started> {
    const npm = spawn('npm', ['start'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    // 'close' comes once every holder of the output pipes has exited: npm and the server it started.
    const exited = new Promise<number | string | null>((resolve) =>
      npm.on('close', (code, signal) => resolve(code ?? signal)),
    );
    const banner = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          lines.push(line);
          if (line.includes('Scheduling service ready at')) resolve(JSON.parse(line).msg);
        }
      };
      npm.stdout!.on('data', onData);
      npm.stderr!.on('data', onData);
      exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${lines.join('\n')}`)));
    });
    return { npm, lines, exited, banner };
  }

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'sched-quick-start-'));
    repo = freshClone(tmp);
    port = await freePort();
    const { DATABASE_URL, ADMIN_TOKEN, DATA_DIR, CONFIG_FILE, DEMO_DATA, LOG_LEVEL, ...rest } = process.env;
    // A reader's shell: none of the settings `npm test` passes to its children (npm_config_local_prefix would point npm
    // back here).
    for (const k of Object.keys(rest)) if (/^npm_/i.test(k) || k === 'INIT_CWD') delete rest[k];
    env = { ...rest, PORT: String(port), HOST: '127.0.0.1' };
    const firstLine = /## Quick start\n+```sh\n(.*)\n/.exec(README)![1];
    assert.match(firstLine, /^npm install && npm start\b/);
    server = await npmStart();
  });
  after(async () => {
    server?.npm.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  });

  it(
    'ends the start with a banner: the docs, the demo tenants, how to get a key, a request for a day inside the ' +
      'horizon',
    async () => {
      const { banner } = server;
      assert.match(banner, new RegExp(`${base()}/docs`));
      assert.match(banner, /Demo tenants: +masmovil, contact-center, branch-bank/);
      assert.match(banner, /npm run keys -- create --tenant/);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      assert.ok(banner.includes(`from=${tomorrow}T00:00:00Z`), banner);
      assert.ok(
        server.lines.some((l) => /opening the embedded database/.test(l)) &&
          server.lines.some((l) => /loading the demo tenants/.test(l)),
        'progress lines before the banner',
      );
      assert.equal((await fetch(`${base()}/docs/`)).status, 200);
    },
  );

  it("the banner's request, pasted as printed, returns free windows", async () => {
    const pasted = server.banner
      .split('\n')
      .filter((l) => /^\s+(KEY=|curl )/.test(l))
      .map((l) => l.trim());
    assert.equal(pasted.length, 2, server.banner);
    const { stdout: out } = await execFileAsync('sh', ['-c', pasted.join('\n')], { cwd: repo, env, encoding: 'utf8' });
    assert.ok(JSON.parse(out).slots.length > 0, out);
  });

  it('generates the operator token into data/admin-token, readable by the owner only, and it works', async () => {
    const file = join(repo, 'data', 'admin-token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(server.banner.includes(file), 'the banner says where it is');
    const token = readFileSync(file, 'utf8').trim();
    const res = await fetch(`${base()}/admin/v1/tenants`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
  });

  it('issues, lists and revokes keys with the CLI through the running server; a revoked key gets 401', async () => {
    const first = (await keys('create', '--tenant', 'masmovil')).trim();
    const second = (await keys('create', '--tenant', 'masmovil', '--label', 'to revoke')).trim();
    for (const k of [first, second]) assert.match(k, /^masmovil\.[\w-]{20,}$/, 'create prints the key alone');
    const sites = (key: string) =>
      fetch(`${base()}/admin/v1/tenants/masmovil/sites`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await sites(first)).status, 200);

    const listed = (await keys('list', '--tenant', 'masmovil')).trim().split('\n');
    const toRevoke = listed.find((l) => l.endsWith('to revoke'))!;
    assert.match(toRevoke, / active /);
    const keyId = toRevoke.split(/\s+/)[0];
    assert.match(await keys('revoke', '--tenant', 'masmovil', '--id', keyId), /Revoked API key .* through the server/);
    assert.equal((await sites(second)).status, 401);
    assert.equal((await sites(first)).status, 200, 'only that key');
    assert.match(
      (await keys('list', '--tenant', 'masmovil')).split('\n').find((l) => l.startsWith(keyId))!,
      / revoked /,
    );
  });

  it(
    "runs the README's requests as written: tomorrow's windows, a booking of the first one, that booking read " +
      'back',
    async () => {
      const commands = readmeRequestCommands();
      assert.ok(commands.length >= 5, commands.join('\n'));
      const marker = '@@end-of-command@@';
      const script = commands
        .map((c) => `${c.replaceAll('localhost:8080', `127.0.0.1:${port}`)}\necho; echo ${marker}`)
        .join('\n');
      const outputs = (await execFileAsync('sh', ['-e', '-c', script], { cwd: repo, env, encoding: 'utf8' })).stdout
        .split(marker)
        .map((o) => o.trim());
      const json = (i: number) => JSON.parse(outputs[i]);
      const curls = commands.map((c, i) => (c.startsWith('curl') ? i : -1)).filter((i) => i >= 0);
      const [search, create, read] = curls.map(json);
      assert.ok(search.slots.length > 0);
      assert.equal(create.id, 'DEMO-1');
      assert.equal(create.status, 'accepted');
      assert.equal(read.id, 'DEMO-1');
      assert.equal(
        Date.parse(read.validFor.startDateTime),
        Date.parse(search.slots[0].start),
        'the first window was booked',
      );
    },
  );

  it('stops the server when the npm process gets SIGTERM (no orphan), and says so', async () => {
    const serverPid = JSON.parse(server.lines.find((l) => l.startsWith('{"level"'))!).pid as number;
    assert.notEqual(serverPid, server.npm.pid, 'the server is a child of npm');
    server.npm.kill('SIGTERM');
    // npm forwards the signal to the server (`exec node …` leaves no shell between them) and ends.
    assert.ok([0, 'SIGTERM'].includes((await server.exited)!));
    assert.throws(() => process.kill(serverPid, 0), /ESRCH/, 'the server process is gone with npm');
    assert.ok(server.lines.some((l) => l.includes('shutting down')));
    assert.equal(existsSync(join(repo, 'data', 'server.json')), false);
  });

  it(
    'on the next start, prints no keys and says how to ' + 'get one; with no server, the CLI works on the database',
    async () => {
      const token = readFileSync(join(repo, 'data', 'admin-token'), 'utf8');
      server = await npmStart();
      assert.equal(
        server.lines.some((l) => l.includes('API key for tenant')),
        false,
      );
      assert.match(server.banner, /logged on the first start only; a new one any time: npm run keys -- create/);
      assert.equal(readFileSync(join(repo, 'data', 'admin-token'), 'utf8'), token, 'the same operator token');
      server.npm.kill('SIGTERM');
      await server.exited;

      const listed = execFileSync('npm', ['run', '-s', 'keys', '--', 'list', '--tenant', 'masmovil'], {
        cwd: repo,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      assert.equal(
        listed.trim().split('\n').length,
        5,
        `initial, the banner's, two from the CLI, the README's:\n${listed}`,
      );
      const created = execFileSync('sh', ['-c', 'npm run -s keys -- create --tenant masmovil 2>&1'], {
        cwd: repo,
        env,
        encoding: 'utf8',
      });
      assert.match(created, /directly on the embedded database/);
      assert.match(created, /^masmovil\./m);
    },
  );
});

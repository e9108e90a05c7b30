/**
 * npm run lint:openapi — writes every OpenAPI document the service serves (/openapi.json and
 * /openapi/{api}.json for each API of the registry) to a temporary folder and lints them with
 * Redocly CLI's recommended rules (redocly.yaml). The documents come from the real application
 * (buildApp on an in-memory PGlite, requests by inject; nothing listens). Exits non-zero on any error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { API_FACADES } from '../src/api/registry.ts';
import { startRuntime } from '../src/runtime.ts';

const silent = { info() {}, warn() {}, error() {} };

const runtime = await startRuntime({
  config: {
    databaseUrl: null,
    dataDir: '',
    adminToken: 'lint-openapi-admin-token',
    jwt: { secret: 'lint-openapi-jwt-secret-0123456789abcdef', jwksUrl: null, issuer: null, audience: null },
    piiHashKey: 'lint-openapi',
  },
  log: silent,
  inMemory: true,
  runWorkers: false,
});
const app = await buildApp({
  ...runtime,
  bodyLimitBytes: 1_048_576,
  // No load shedding: the documents are read once, on a machine that may be busy.
  security: {
    metricsToken: null,
    corsOrigins: [],
    rateLimitPerMinute: 0,
    pressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 },
  },
});
const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
let status = 1;
try {
  await app.ready();
  const urls = ['/openapi.json', ...API_FACADES.map((api) => `/openapi/${api.name}.json`)];
  const files: string[] = [];
  for (const url of urls) {
    const res = await app.inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body}`);
    const file = join(dir, url === '/openapi.json' ? 'service.json' : url.split('/').pop()!);
    await writeFile(file, JSON.stringify(res.json(), null, 2));
    files.push(file);
  }
  console.log(`Linting ${files.length} OpenAPI documents`);
  const config = new URL('../redocly.yaml', import.meta.url).pathname;
  const redocly = new URL('../node_modules/.bin/redocly', import.meta.url).pathname;
  const lint = spawnSync(redocly, ['lint', '--config', config, '--format', 'stylish', ...files], {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  status = lint.status ?? 1;
} finally {
  await app.close();
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
}
process.exit(status);

import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { TOKEN_ROLES } from './api/registry.ts';
import { ConfigError, loadConfig, usesDevPiiKey, type Config } from './config.ts';
import { systemPrincipal } from './core/access/access.ts';
import type { Core } from './core/core.ts';
import { ensureAdminToken } from './process/admin-token.store.ts';
import { removeInstance, writeInstance } from './process/instance.file.ts';
import { createLogger } from './process/logger.ts';
import { startBanner } from './process/start-banner.ts';
import { applyConfigurations, readConfigurationFile, startRuntime } from './runtime.ts';

const DEMO_FILE = fileURLToPath(new URL('../config/demo-tenants.yaml', import.meta.url));

/** The process: configuration, logging, database, jobs, HTTP listen and graceful shutdown. */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel, process.stdout.isTTY === true);
  if (usesDevPiiKey(config))
    log.warn('PII_HASH_KEY is not set: personal identifiers are hashed with a development key');

  // A demo install gets an operator token without any setup; production sets ADMIN_TOKEN.
  let adminTokenFile: string | null = null;
  if (config.demoData && !config.adminToken) {
    const stored = await ensureAdminToken(config.dataDir);
    config = { ...config, adminToken: stored.token };
    adminTokenFile = stored.path;
    log.info(
      { path: stored.path },
      stored.created
        ? `operator token generated: ${stored.path} (mode 600)`
        : `operator token read from ${stored.path}`,
    );
  }

  // The first start creates the embedded database and its schema: say so, it takes a while.
  log.info(
    config.databaseUrl
      ? 'connecting to PostgreSQL and applying migrations…'
      : `opening the embedded database in ${config.dataDir} and applying migrations (the first start takes up to a ` +
          `minute)…`,
  );
  const runtime = await startRuntime({ config, log, tokenRoles: TOKEN_ROLES });
  log.info({ database: runtime.db.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'database ready');
  const demoDocs = config.demoData ? await readConfigurationFile(DEMO_FILE) : [];
  let keysLoggedAbove = false;
  if (demoDocs.length > 0 && (await runtime.core.catalog.isEmpty())) {
    log.info(
      `loading the demo tenants (${demoDocs.map((d) => d.tenant.id).join(', ')}) from config/demo-tenants.yaml…`,
    );
    await applyConfigurations(runtime.core, demoDocs, log, { revealNewKeys: true });
    keysLoggedAbove = true;
  }
  if (config.configFile) await applyConfigurations(runtime.core, await readConfigurationFile(config.configFile), log);

  const app = await buildApp({ ...runtime, logger: log, bodyLimitBytes: config.bodyLimitBytes, security: config });
  // In-flight requests finish, then jobs stop, then the database closes.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error');
    else log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
    await removeInstance(config.dataDir, process.pid).catch(() => {});
    log.flush();
  });
  await app.listen({ port: config.port, host: config.host });

  const { port } = app.server.address() as AddressInfo;
  const wildcard = ['0.0.0.0', '::'].includes(config.host);
  // Only the keys CLI needs it: a data folder we cannot write is worth a warning, not a failed start.
  await mkdir(config.dataDir, { recursive: true })
    .then(() =>
      writeInstance(config.dataDir, {
        pid: process.pid,
        url: `http://${wildcard ? '127.0.0.1' : config.host}:${port}`,
        startedAt: new Date().toISOString(),
      }),
    )
    .catch((err) =>
      log.warn({ err }, `could not record this server in ${config.dataDir}/server.json; the keys CLI will need --url`),
    );
  const demoTenants = await presentTenants(
    runtime.core,
    demoDocs.map((d) => d.tenant.id),
  );
  log.info(
    startBanner({
      baseUrl: `http://${wildcard ? 'localhost' : config.host}:${port}`,
      demoTenants,
      keysLoggedAbove,
      adminTokenFile,
      now: new Date(),
    }),
  );
}

async function presentTenants(core: Core, ids: string[]): Promise<string[]> {
  const present: string[] = [];
  for (const id of ids) {
    try {
      await core.catalog.getTenant(systemPrincipal, id);
      present.push(id);
    } catch {
      // removed since the demo was loaded: not advertised
    }
  }
  return present;
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, usesDevPiiKey } from './config.ts';
import { applyConfigurations, readConfigurationFile, startRuntime } from './runtime.ts';

const DEMO_FILE = fileURLToPath(new URL('../config/demo-tenants.yaml', import.meta.url));

/** The process: configuration, logging, database, jobs, HTTP listen and graceful shutdown. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  // Asynchronous writes: a log line never blocks a request (flushed at shutdown).
  const log = pino({ level: config.logLevel, redact: ['req.headers.authorization'] }, pino.destination({ sync: false }));
  if (usesDevPiiKey(config)) log.warn('PII_HASH_KEY is not set: personal identifiers are hashed with a development key');

  const runtime = await startRuntime({ config, log });
  log.info({ database: runtime.db.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'database ready');
  if (config.demoData && (await runtime.core.catalog.isEmpty())) {
    await applyConfigurations(runtime.core, await readConfigurationFile(DEMO_FILE), log);
  }
  if (config.configFile) await applyConfigurations(runtime.core, await readConfigurationFile(config.configFile), log);

  const app = await buildApp({ ...runtime, logger: log, bodyLimitBytes: config.bodyLimitBytes });
  // In-flight requests finish, then jobs stop, then the database closes.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error');
    else log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
    log.flush();
  });
  await app.listen({ port: config.port, host: config.host });
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

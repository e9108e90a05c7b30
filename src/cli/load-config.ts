import pino from 'pino';
import { ConfigError, loadConfig } from '../config.ts';
import { applyConfigurations, readConfigurationFile, startRuntime } from '../runtime.ts';

/**
 * `npm run config:load -- FILE...`: applies tenant configuration files (JSON or YAML) to the configured database,
 * idempotently.
 */
async function main(files: string[]) {
  if (files.length === 0) {
    process.stderr.write('usage: npm run config:load -- FILE [FILE...]\n');
    process.exit(2);
  }
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const docs = [];
  for (const f of files) docs.push(...(await readConfigurationFile(f)));
  const runtime = await startRuntime({ config, log, runWorkers: false });
  try {
    await applyConfigurations(runtime.core, docs, log);
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { readAdminToken } from '../process/admin-token.store.ts';
import { isAlive, readInstance } from '../process/instance.file.ts';
import { dbKeysClient } from './keys-db.client.ts';
import { httpKeysClient, serverAnswers } from './keys-http.client.ts';
import { KeysError, type KeysClient } from './keys.client.ts';

const USAGE = `usage:
  npm run keys -- create --tenant <id> [--label <text>] [--role tenant-admin|scheduler|viewer]...
  npm run keys -- list   --tenant <id>
  npm run keys -- revoke --tenant <id> --id <keyId>
options: --url <server url> (default: the server recorded in DATA_DIR/server.json, else http://127.0.0.1:PORT)
The key itself is the only thing create prints on stdout: KEY=$(npm run -s keys -- create --tenant <id>)`;

/**
 * Issues, lists and revokes tenant API keys. Through the running server (admin API, operator token
 * from ADMIN_TOKEN or DATA_DIR/admin-token) when one answers; otherwise on the database directly.
 * An embedded (PGlite) folder that a live server holds is never opened a second time.
 */
async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      id: { type: 'string' },
      label: { type: 'string' },
      role: { type: 'string', multiple: true },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (
    values.help ||
    !command ||
    !['create', 'list', 'revoke'].includes(command) ||
    !values.tenant ||
    (command === 'revoke' && !values.id)
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const tenant = values.tenant;
  const client = await connect(loadConfig(), values.url ?? null);
  try {
    if (command === 'create') {
      const { key, apiKey } = await client.create(tenant, { label: values.label ?? 'keys CLI', roles: values.role });
      process.stderr.write(
        `Issued API key ${apiKey.keyId} for tenant ${tenant} (roles: ${apiKey.roles.join(', ')}) ${client.where}. ` +
          `It is shown only now:\n`,
      );
      process.stdout.write(`${key}\n`);
    } else if (command === 'list') {
      const keys = await client.list(tenant);
      process.stderr.write(`${keys.length} API key(s) of tenant ${tenant}, ${client.where}:\n`);
      for (const k of keys) {
        process.stdout.write(
          `${k.keyId}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  created ${k.createdAt}  roles ` +
            `${k.roles.join(',')}  ${k.label ?? ''}\n`,
        );
      }
    } else {
      await client.revoke(tenant, values.id!);
      process.stdout.write(`Revoked API key ${values.id} of tenant ${tenant} ${client.where}.\n`);
    }
  } finally {
    await client.close();
  }
}

async function connect(config: Config, explicitUrl: string | null): Promise<KeysClient> {
  const instance = await readInstance(config.dataDir);
  const live = instance && isAlive(instance.pid) ? instance : null;
  const url = explicitUrl ?? live?.url ?? `http://127.0.0.1:${config.port}`;
  if (await serverAnswers(url)) {
    const token = config.adminToken ?? (await readAdminToken(config.dataDir));
    if (!token)
      throw new KeysError(`the server at ${url} needs the operator token: set ADMIN_TOKEN as the server has it`);
    return httpKeysClient(url, token);
  }
  if (explicitUrl) throw new KeysError(`no server answers at ${explicitUrl}`);
  if (live && !config.databaseUrl) {
    throw new KeysError(
      `a server (pid ${live.pid}) holds the embedded database in ${config.dataDir} but does not answer at ` +
        `${live.url}; wait until it is up, or stop it`,
    );
  }
  return dbKeysClient(config);
}

main(process.argv.slice(2)).catch((e) => {
  const known =
    e instanceof KeysError || e instanceof ConfigError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`keys: ${known ? (e as Error).message : e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(known ? 1 : 3);
});

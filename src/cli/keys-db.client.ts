import pino from 'pino';
import type { Config } from '../config.ts';
import { systemPrincipal } from '../core/access/access.ts';
import { CoreError } from '../core/errors.ts';
import { startRuntime } from '../runtime.ts';
import { KeysError, type KeysClient } from './keys.client.ts';
import type { ApiKeyRecord } from '../core/catalog/api-key.repository.ts';

const view = (k: ApiKeyRecord) => ({
  keyId: k.keyId,
  label: k.label,
  roles: k.roles,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
});

/** The same use cases on the database directly, as the operator, when no server holds it. No job workers run here. */
export async function dbKeysClient(config: Config): Promise<KeysClient> {
  const runtime = await startRuntime({ config, log: pino({ level: 'warn' }, process.stderr), runWorkers: false });
  const core = runtime.core.catalog;
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof CoreError) throw new KeysError(e.message);
      throw e;
    }
  };
  return {
    where: config.databaseUrl
      ? 'directly on the PostgreSQL database (DATABASE_URL)'
      : `directly on the embedded database in ${config.dataDir}`,
    create: (tenantId, input) =>
      guard(async () => {
        const { key, record } = await core.createApiKey(systemPrincipal, tenantId, input);
        return { key, apiKey: view(record) };
      }),
    list: (tenantId) => guard(async () => (await core.listApiKeys(systemPrincipal, tenantId)).map(view)),
    revoke: (tenantId, keyId) => guard(() => core.revokeApiKey(systemPrincipal, tenantId, keyId)),
    close: () => runtime.close(),
  };
}

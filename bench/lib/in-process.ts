import { systemPrincipal } from '../../src/core/access/access.ts';
import { countOverlaps } from '../../src/core/booking/allocation.repository.ts';
import type { TenantConfiguration } from '../../src/core/catalog/catalog.types.ts';
import type { Logger } from '../../src/core/deps.ts';
import { createCore, type Core } from '../../src/core/core.ts';
import type { Database, Queryable } from '../../src/db/database.ts';
import { startRuntime, type Runtime } from '../../src/runtime.ts';
import { ADMIN_TOKEN, PII_HASH_KEY } from './server-process.ts';

const silent: Logger = { info() {}, warn() {}, error() {} };

/**
 * The service's runtime (database, migrations, core, job queue) inside the bench process, without
 * HTTP and without job workers: for set-up data, the baseline and SQL checks.
 */
export function openRuntime(store: { databaseUrl?: string; dataDir?: string }): Promise<Runtime> {
  return startRuntime({
    config: {
      databaseUrl: store.databaseUrl ?? null,
      dataDir: store.dataDir ?? '',
      adminToken: ADMIN_TOKEN,
      jwt: { secret: null, jwksUrl: null, issuer: null, audience: null },
      piiHashKey: PII_HASH_KEY,
    },
    log: silent,
    runWorkers: false,
  });
}

/**
 * Applies a configuration document as CONFIG_FILE and PUT /admin/v1/configuration do; returns the first API key if the
 * tenant is new.
 */
export async function applyTenant(runtime: Runtime, doc: TenantConfiguration): Promise<string | null> {
  return (await runtime.core.catalog.applyConfiguration(systemPrincipal, doc)).newApiKey;
}

/** Allocations that should never coexist (the repository's own definition), summed over every tenant: always 0. */
export async function countAllOverlaps(runtime: Runtime): Promise<number> {
  const { rows } = await runtime.db.query<{ tenant_id: string }>('SELECT tenant_id FROM tenants');
  let n = 0;
  for (const r of rows) n += await countOverlaps(runtime.db, r.tenant_id);
  return n;
}

/**
 * A Database that counts the statements sent through it (BEGIN and COMMIT included), so the bench
 * can check that its baseline still runs as many statements as the use case it mirrors.
 */
export function countingDatabase(db: Database): { db: Database; count(): number; reset(): void } {
  let n = 0;
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      n++;
      return q.query(sql, params);
    },
  });
  const counted: Database = {
    kind: db.kind,
    query: wrap(db).query,
    transaction: (fn) => {
      n += 2;
      return db.transaction((tx) => fn(wrap(tx)));
    },
    exec: (sql) => {
      n++;
      return db.exec(sql);
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
  return {
    db: counted,
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

/** The core over another database seam (same clock, ids, jobs and hashing as the runtime's). */
export const coreOver = (runtime: Runtime, db: Database): Core => createCore({ ...runtime.coreDeps, db });

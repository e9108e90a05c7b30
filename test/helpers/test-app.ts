import { buildApp, type App } from '../../src/app.ts';
import type { SecuritySettings } from '../../src/api/http/security.ts';
import { TOKEN_ROLES } from '../../src/api/registry.ts';
import type { NotificationConfig } from '../../src/config.ts';
import { systemPrincipal } from '../../src/core/access/access.ts';
import type { Core } from '../../src/core/core.ts';
import type { Logger } from '../../src/core/deps.ts';
import type { Principal } from '../../src/core/types.ts';
import type { Database } from '../../src/db/database.ts';
import { WEBHOOK_DEFAULTS } from '../../src/outbound/webhooks/webhook-publisher.ts';
import { startRuntime, type Runtime } from '../../src/runtime.ts';
import { createScratchDatabase } from './test-db.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789-abcdef';
export const admin: Principal = systemPrincipal;

const silent: Logger = { info() {}, warn() {}, error() {} };

export interface TestApp {
  app: App;
  core: Core;
  db: Database;
  runtime: Runtime;
  now(): Date;
  setNow(d: Date | string): void;
  apiKeyFor(tenantId: string, roles?: string[]): Promise<string>;
  close(): Promise<void>;
}

/** The real application on a fresh database (PGlite in memory, or TEST_DATABASE_URL), with a settable clock. */
export async function createTestApp(
  opts: {
    now?: Date | string;
    bodyLimitBytes?: number;
    security?: Partial<SecuritySettings>;
    allowPrivateWebhooks?: boolean;
    notifications?: NotificationConfig;
  } = {},
): Promise<TestApp> {
  let current = new Date(opts.now ?? '2027-01-04T06:00:00Z');
  const scratch = await createScratchDatabase();
  const runtime = await startRuntime({
    config: {
      databaseUrl: scratch?.url ?? null,
      dataDir: '',
      adminToken: ADMIN_TOKEN,
      jwt: { secret: JWT_SECRET, jwksUrl: null, issuer: null, audience: null },
      piiHashKey: 'test-pii-key',
      // WEBHOOK_ALLOW_PRIVATE_NETWORKS: webhook tests subscribe receivers on loopback over http.
      ...(opts.allowPrivateWebhooks ? { webhooks: { ...WEBHOOK_DEFAULTS, allowPrivateNetworks: true } } : {}),
      ...(opts.notifications ? { notifications: opts.notifications } : {}),
    },
    log: silent,
    now: () => current,
    inMemory: true,
    runWorkers: false,
    apiKeyCacheMs: 0,
    tokenRoles: TOKEN_ROLES,
  });
  // Permissive unless a test asks: no rate limit, no load shedding, CORS off, /metrics for ADMIN_TOKEN.
  const security: SecuritySettings = {
    metricsToken: null,
    corsOrigins: [],
    rateLimitPerMinute: 0,
    ...opts.security,
    pressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, ...opts.security?.pressure },
  };
  const app = await buildApp({ ...runtime, bodyLimitBytes: opts.bodyLimitBytes ?? 1_048_576, security });
  await app.ready();
  return {
    app,
    core: runtime.core,
    db: runtime.db,
    runtime,
    now: () => current,
    setNow: (d) => {
      current = new Date(d);
    },
    async apiKeyFor(tenantId, roles) {
      return (await runtime.core.catalog.createApiKey(admin, tenantId, { label: 'test', roles })).key;
    },
    async close() {
      await app.close();
      await runtime.close();
      await scratch?.drop();
    },
  };
}

import { createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { toConfiguration } from './api/admin/admin.mappers.ts';
import { Configuration } from './api/admin/admin.schemas.ts';
import { registerSchemaTypes } from './api/http/schema-types.ts';
import { createAuthenticator, type Authenticator } from './auth/authenticator.ts';
import { systemPrincipal, type CoreRole } from './core/access/access.ts';
import type { TenantConfiguration } from './core/catalog/catalog.types.ts';
import { createCore, type Core } from './core/core.ts';
import type { CoreDeps, Logger } from './core/deps.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { createMetrics, type Metrics } from './api/http/metrics.ts';
import { createJobHandlers, JOB_NAMES, startWorkers } from './jobs/job-handlers.ts';
import { createJobRunner, type JobRunner } from './jobs/job-queue.ts';
import type { Config } from './config.ts';
import { createWebhookPublisher, type WebhookPublisher } from './outbound/webhooks/webhook-publisher.ts';
import { registerWebhookMetrics } from './outbound/webhooks/webhook-metrics.ts';
import { createNotificationChannels } from './outbound/notifications/notification-channels.ts';
import { calendarUrl } from './core/notifications/calendar-link.ts';
import { createNotificationSender, type NotificationSender } from './outbound/notifications/notification-sender.ts';
import { registerNotificationMetrics } from './outbound/notifications/notification-metrics.ts';
import { DEFAULT_NOTIFICATION_RETRY_SCHEDULE, parseDelays } from './config.ts';

export interface Runtime {
  db: Database;
  core: Core;
  /** What the core was built from (a benchmark builds a second core over an instrumented database). */
  coreDeps: CoreDeps;
  jobs: JobRunner;
  metrics: Metrics;
  authenticate: Authenticator;
  /** Outgoing webhooks: `worker` sends what the core's outbox consumer queued (started with the other workers). */
  webhooks: WebhookPublisher;
  /** Sends notification messages: the handler of the 'notification-send' job. */
  notifications: NotificationSender;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'adminToken' | 'jwt' | 'piiHashKey'> &
    Partial<Pick<Config, 'jwtMaxTtlSeconds' | 'webhooks' | 'notifications'>>;
  log: Logger;
  /** Injected clock; the real one in production. */
  now?: () => Date;
  /** PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Run job handlers in this process (default true). */
  runWorkers?: boolean;
  jobPollingSeconds?: number;
  apiKeyCacheMs?: number;
  /** Role names the served APIs' identity providers write in JWTs (src/api/registry.ts TOKEN_ROLES); none: core roles only. */
  tokenRoles?: Readonly<Record<string, CoreRole>>;
}

/** Opens the database, migrates it, and assembles the core, the job queue and authentication. */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, log } = opts;
  const db = config.databaseUrl
    ? openPostgres({ connectionString: config.databaseUrl })
    : await openPglite(opts.inMemory ? null : config.dataDir);
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');
    const jobs = createJobRunner(db, JOB_NAMES, log, opts.jobPollingSeconds);
    await jobs.start();
    const now = opts.now ?? (() => new Date());
    const metrics = createMetrics(() => jobs.queueDepth());
    const onAttempt = registerWebhookMetrics(metrics.registry, db, now);
    const webhooks = createWebhookPublisher({ db, now, newId: randomUUID, log, config: config.webhooks, onAttempt });
    const notificationConfig = config.notifications ?? {
      smtpUrl: null,
      smtpFrom: 'no-reply@localhost',
      smsGatewayUrl: null,
      smsGatewayToken: null,
      smsFrom: null,
      retryScheduleMs: parseDelays(DEFAULT_NOTIFICATION_RETRY_SCHEDULE)!,
      publicBaseUrl: null,
    };
    const channels = createNotificationChannels(notificationConfig, now);
    const coreDeps: CoreDeps = {
      // A commit that queued webhook deliveries wakes their sender.
      db: webhooks.wakingAfterCommit(db),
      now,
      newId: randomUUID,
      jobs,
      hashPersonalId: (v) => createHmac('sha256', config.piiHashKey).update(v).digest('hex'),
      log,
      webhooks: webhooks.format,
      notifications: channels,
    };
    const core = createCore(coreDeps);
    const notifications = createNotificationSender({
      db,
      jobs,
      now,
      log,
      channels,
      calendarUrl: (tenantId, appointmentId) =>
        calendarUrl(coreDeps.hashPersonalId, notificationConfig.publicBaseUrl, tenantId, appointmentId),
      retryScheduleMs: notificationConfig.retryScheduleMs,
      onOutcome: registerNotificationMetrics(metrics.registry),
    });
    if (opts.runWorkers ?? true) await startWorkers(jobs, createJobHandlers(core, log, notifications));
    if (opts.runWorkers ?? true) webhooks.worker.start();
    const authenticate = createAuthenticator({
      adminToken: config.adminToken,
      jwt: config.jwt,
      findApiKey: (key) => core.catalog.authenticateApiKey(key),
      apiKeyCacheMs: opts.apiKeyCacheMs,
      jwtMaxTtlSeconds: config.jwtMaxTtlSeconds,
      now: coreDeps.now,
      tokenRoles: opts.tokenRoles,
    });
    return {
      db,
      core,
      coreDeps,
      jobs,
      metrics,
      authenticate,
      webhooks,
      notifications,
      async close() {
        await webhooks.worker.stop();
        await jobs.stop();
        channels.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/**
 * Reads a tenant configuration file (JSON or YAML; one document or a list of them), checked against
 * the same schema as PUT /admin/v1/configuration.
 */
export async function readConfigurationFile(path: string): Promise<TenantConfiguration[]> {
  registerSchemaTypes(); // the formats the schema names (date-time), before the app is built
  const text = await readFile(path, 'utf8');
  const parsed: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text, { maxAliasCount: 10_000 }) : JSON.parse(text);
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  return docs.map((doc, i) => {
    const problems = [...Value.Errors(Configuration, doc)].slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
    if (problems.length)
      throw new Error(`${path}: document ${i + 1} is not a valid configuration:\n  ${problems.join('\n  ')}`);
    return toConfiguration(doc as Static<typeof Configuration>);
  });
}

/**
 * Applies configuration documents idempotently. A new tenant's first API key is printed in clear
 * only when `revealNewKeys` (the demo tenants of a first start); otherwise logs keep no secret and
 * say how the operator issues a key.
 */
export async function applyConfigurations(
  core: Core,
  docs: TenantConfiguration[],
  log: Logger,
  o: { revealNewKeys?: boolean } = {},
): Promise<void> {
  for (const doc of docs) {
    const { tenant, newApiKey } = await core.catalog.applyConfiguration(systemPrincipal, doc);
    log.info({ tenantId: tenant.id }, 'tenant configuration applied');
    if (newApiKey && o.revealNewKeys)
      log.info({ tenantId: tenant.id, apiKey: newApiKey }, `API key for tenant ${tenant.id}: ${newApiKey}`);
    else if (newApiKey)
      log.info(
        { tenantId: tenant.id },
        `An initial API key was issued for tenant ${tenant.id} and is not shown: issue one with POST ` +
          `/admin/v1/tenants/${tenant.id}/api-keys (ADMIN_TOKEN)`,
      );
  }
}

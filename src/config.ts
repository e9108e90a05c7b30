/**
 * The only module that reads process.env. Everything is validated once at start; a bad value stops
 * the process with one message naming every bad key.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  adminToken: string | null;
  jwt: {
    secret: string | null;
    jwksUrl: string | null;
    issuer: string | null;
    audience: string | null;
  };
  /** Longest lifetime accepted for a JWT (exp - iat, or exp - now without iat), in seconds. */
  jwtMaxTtlSeconds: number;
  /** Bearer token that may read /metrics (ADMIN_TOKEN may too); without both, /metrics answers to nobody. */
  metricsToken: string | null;
  /** Browser origins allowed by CORS; empty: CORS is off. */
  corsOrigins: string[];
  /** Requests per minute per credential (or per client address without one); 0 disables the limit. */
  rateLimitPerMinute: number;
  /** Key of the HMAC that makes personal identifiers searchable without storing them. */
  piiHashKey: string;
  /** A JSON or YAML tenant configuration applied at start (idempotent). */
  configFile: string | null;
  /** Load the demo tenants when the database is empty. */
  demoData: boolean;
  bodyLimitBytes: number;
  /**
   * Outgoing webhooks: delays between attempts (N delays → 1 + N attempts), per-attempt timeout, private destinations
   * (tests only).
   */
  webhooks: { retryScheduleMs: number[]; timeoutMs: number; allowPrivateNetworks: boolean };
  /**
   * Notifications: SMTP and SMS gateway (each optional: without one, messages are recorded as not_sent), delays between
   * attempts.
   */
  notifications: NotificationConfig;
}

export interface NotificationConfig {
  smtpUrl: string | null;
  smtpFrom: string;
  smsGatewayUrl: string | null;
  smsGatewayToken: string | null;
  smsFrom: string | null;
  retryScheduleMs: number[];
  /** Where this service is reachable from outside (https://booking.example.com): makes {{icalLink}} absolute. */
  publicBaseUrl: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,30s,2m,10m,30m,1h,3h,6h,12h,24h';
// A confirmation or reminder is worth little a day late: fewer, shorter retries than webhooks.
export const DEFAULT_NOTIFICATION_RETRY_SCHEDULE = '30s,2m,10m,30m,1h';
const DEV_PII_KEY = 'dev-only-pii-hash-key-change-me';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const str = (key: string): string | null => {
    const v = env[key];
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  const int = (key: string, def: number, min: number, max: number): number => {
    const v = str(key);
    if (v === null) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be an integer from ${min} to ${max} (got "${v}")`);
      return def;
    }
    return n;
  };
  const bool = (key: string, def: boolean): boolean => {
    const v = str(key);
    if (v === null) return def;
    if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    problems.push(`${key} must be true or false (got "${v}")`);
    return def;
  };
  const duration = (key: string, def: number, min: number, max: number): number => {
    const v = str(key);
    if (v === null) return def;
    const n = parseDuration(v);
    if (n === null || n < min || n > max) {
      problems.push(`${key} must be a duration from ${min}s to ${max / 86_400}d, such as 3600, 30m, 24h (got "${v}")`);
      return def;
    }
    return n;
  };
  const url = (key: string, protocols: string[]): string | null => {
    const v = str(key);
    if (v === null) return null;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error();
      return v;
    } catch {
      problems.push(`${key} must be a ${protocols.join(' or ')} URL`);
      return null;
    }
  };

  const durations = (key: string, def: string): number[] => {
    const v = str(key);
    if (v === null) return parseDelays(def)!;
    const ms = parseDelays(v);
    if (ms === null)
      problems.push(`${key} must be up to 30 comma-separated delays like 5s,30s,2m,1h (each at most 7d) (got "${v}")`);
    return ms ?? parseDelays(def)!;
  };

  const logLevel = (str('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const adminToken = str('ADMIN_TOKEN');
  if (adminToken !== null && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters');
  const metricsToken = str('METRICS_TOKEN');
  if (metricsToken !== null && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  const jwtSecret = str('JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters (HS256)');

  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: str('HOST') ?? '0.0.0.0',
    dataDir: str('DATA_DIR') ?? './data',
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    logLevel,
    adminToken,
    jwt: {
      secret: jwtSecret,
      jwksUrl: url('JWT_JWKS_URL', ['http:', 'https:']),
      issuer: str('JWT_ISSUER'),
      audience: str('JWT_AUDIENCE'),
    },
    piiHashKey: str('PII_HASH_KEY') ?? DEV_PII_KEY,
    configFile: str('CONFIG_FILE'),
    demoData: bool('DEMO_DATA', true),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1_048_576, 1024, 50 * 1_048_576),
    jwtMaxTtlSeconds: duration('JWT_MAX_TTL', 86_400, 60, 30 * 86_400),
    metricsToken,
    corsOrigins: parseOrigins(str('CORS_ORIGINS'), problems),
    // 600 a minute lets one integration send a burst of 100 concurrent requests, as booking systems do.
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    webhooks: {
      retryScheduleMs: durations('WEBHOOK_RETRY_SCHEDULE', DEFAULT_WEBHOOK_RETRY_SCHEDULE),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      allowPrivateNetworks: bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    },
    notifications: {
      smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
      smtpFrom: str('SMTP_FROM') ?? 'no-reply@localhost',
      smsGatewayUrl: url('SMS_GATEWAY_URL', ['http:', 'https:']),
      smsGatewayToken: str('SMS_GATEWAY_TOKEN'),
      smsFrom: str('SMS_FROM'),
      retryScheduleMs: durations('NOTIFICATION_RETRY_SCHEDULE', DEFAULT_NOTIFICATION_RETRY_SCHEDULE),
      publicBaseUrl: url('PUBLIC_BASE_URL', ['http:', 'https:'])?.replace(/\/+$/, '') ?? null,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Exact origins (`https://app.example.com`), comma separated; anything with a path, a wildcard or another scheme is
 * refused.
 */
function parseOrigins(v: string | null, problems: string[]): string[] {
  if (v === null) return [];
  const origins = v
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o.replace(/\/$/, '');
    } catch {
      ok = false;
    }
    if (!ok)
      problems.push(
        `CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com (got "${o}")`,
      );
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * One duration in milliseconds: a number with a unit (`250ms`, `90s`, `30m`, `24h`, `7d`), or a bare
 * number counted in `bareUnit` when one is given. Null when it is not one.
 */
function durationMs(text: string, bareUnit?: keyof typeof UNIT_MS): number | null {
  const m = /^(\d{1,9})\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  const unit = (m?.[2]?.toLowerCase() ?? bareUnit) as keyof typeof UNIT_MS | undefined;
  return m && unit ? Number(m[1]) * UNIT_MS[unit] : null;
}

/** A duration in seconds: `3600`, `90s`, `30m`, `24h`, `7d`. */
const parseDuration = (v: string): number | null => {
  const ms = durationMs(v, 's');
  return ms === null ? null : ms / 1000;
};

/** '5s,30s,2m' → milliseconds; null unless every part is a delay of at most 7 days and there are at most 30. */
export function parseDelays(text: string): number[] | null {
  const ms = text.split(',').map((p) => durationMs(p) ?? Number.NaN);
  return ms.length <= 30 && ms.every((n) => n >= 0 && n <= 7 * 86_400_000) ? ms : null;
}

export const usesDevPiiKey = (c: Config) => c.piiHashKey === DEV_PII_KEY;

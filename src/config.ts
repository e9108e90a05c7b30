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
  /** Key of the HMAC that makes personal identifiers searchable without storing them. */
  piiHashKey: string;
  /** A JSON or YAML tenant configuration applied at start (idempotent). */
  configFile: string | null;
  /** Load the demo tenants when the database is empty. */
  demoData: boolean;
  bodyLimitBytes: number;
  /** Outgoing webhooks: delays between attempts (N delays → 1 + N attempts), per-attempt timeout, private destinations (tests only). */
  webhooks: { retryScheduleMs: number[]; timeoutMs: number; allowPrivateNetworks: boolean };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,30s,2m,10m,30m,1h,3h,6h,12h,24h';
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
    if (ms === null) problems.push(`${key} must be up to 30 comma-separated delays like 5s,30s,2m,1h (each at most 7d) (got "${v}")`);
    return ms ?? parseDelays(def)!;
  };

  const logLevel = (str('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const adminToken = str('ADMIN_TOKEN');
  if (adminToken !== null && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters');
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
    webhooks: {
      retryScheduleMs: durations('WEBHOOK_RETRY_SCHEDULE', DEFAULT_WEBHOOK_RETRY_SCHEDULE),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      allowPrivateNetworks: bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** '5s,30s,2m' → milliseconds; null unless every part is a delay of at most 7 days and there are at most 30. */
export function parseDelays(text: string): number[] | null {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = text.split(',').map((p) => p.trim());
  const ms = parts.map((p) => /^(\d{1,9})(ms|s|m|h|d)$/.exec(p)).map((m) => (m ? Number(m[1]) * unit[m[2]] : NaN));
  return parts.length <= 30 && ms.every((n) => n >= 0 && n <= 7 * 86_400_000) ? ms : null;
}

export const usesDevPiiKey = (c: Config) => c.piiHashKey === DEV_PII_KEY;

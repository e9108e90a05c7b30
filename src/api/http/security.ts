/**
 * What every request goes through before any API sees it, and the limits of the HTTP server:
 * connection timeouts and cap, load shedding (503), rate limit (429), security headers, CORS,
 * request ids, and the credential that reads /metrics. Errors raised here are thrown, so the
 * API that owns the path renders them in its documented error body.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { Config } from '../../config.ts';
import { CoreError, notAllowed, unauthenticated } from '../../core/errors.ts';

export interface ConnectionLimits {
  /** A socket with no traffic for this long is closed (also mid-request). */
  connectionTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this time, else 408. */
  requestTimeoutMs: number;
  /** The request headers must arrive within this time, else 408 (slow-header attacks). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** A connection is closed after this many requests, so that load spreads over new ones. */
  maxRequestsPerSocket: number;
  /** Connections beyond this number are refused at accept time. */
  maxConnections: number;
}

export const CONNECTION_LIMITS: ConnectionLimits = {
  connectionTimeoutMs: 60_000,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 10_000,
  maxRequestsPerSocket: 1000,
  maxConnections: 1024,
};

/** When requests are shed with 503 + Retry-After; 0 turns a check off. */
export interface PressureLimits {
  /** Mean event-loop delay over a sample. */
  maxEventLoopDelayMs: number;
  /** V8 heap in use: shedding before the heap runs out beats dying of it. */
  maxHeapUsedBytes: number;
  sampleIntervalMs: number;
}

export const PRESSURE_LIMITS: PressureLimits = {
  maxEventLoopDelayMs: 1000,
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
  sampleIntervalMs: 1000,
};
const RETRY_AFTER_S = 10;

export interface SecuritySettings extends Pick<Config, 'metricsToken' | 'corsOrigins' | 'rateLimitPerMinute'> {
  connections?: Partial<ConnectionLimits>;
  pressure?: Partial<PressureLimits>;
}

/** A client's x-request-id is kept only when short and plain, so logs cannot be forged or flooded through it. */
const PLAIN_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
export function requestIdOf(raw: IncomingMessage): string {
  const sent = raw.headers['x-request-id'];
  return typeof sent === 'string' && PLAIN_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Fastify answers a malformed URL before any hook runs: its answer carries the request id too. */
export const withRequestId =
  (handler: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => unknown) =>
  (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-request-id', req.id);
    return handler(err, req, reply);
  };

/** Fastify's server options for the limits above and the request id (set at construction, before any plugin). */
export function serverOptions(s: SecuritySettings) {
  const c = { ...CONNECTION_LIMITS, ...s.connections };
  return {
    connectionTimeout: c.connectionTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    keepAliveTimeout: c.keepAliveTimeoutMs,
    maxRequestsPerSocket: c.maxRequestsPerSocket,
    // Node checks header and request timeouts every connectionsCheckingInterval (30 s by default).
    http: { headersTimeout: c.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, c.headersTimeoutMs) },
    requestIdHeader: false as const,
    genReqId: requestIdOf,
  };
}

class Overloaded extends CoreError {
  constructor() {
    super('UNAVAILABLE', 'The service is overloaded; retry later');
  }
}

class RateLimited extends Error {
  readonly statusCode = 429;
  readonly code = 'RATE_LIMITED';
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * /metrics shows every tenant's booking outcomes: it answers to METRICS_TOKEN or to the operator
 * (ADMIN_TOKEN); with neither configured it answers to nobody. /health stays public.
 */
function guardMetrics(metricsToken: string | null) {
  return async (req: FastifyRequest) => {
    if (req.routeOptions.url !== '/metrics') return;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (metricsToken && bearer && sameSecret(bearer, metricsToken)) return;
    if (req.principal?.kind === 'admin') return;
    if (req.principal) throw notAllowed('Metrics need METRICS_TOKEN or ADMIN_TOKEN');
    throw unauthenticated('Metrics need Authorization: Bearer <METRICS_TOKEN or ADMIN_TOKEN>');
  };
}

/**
 * The rate limit counts per credential once it authenticated, else per client address (also
 * for invalid credentials, so guessing keys is limited too; an IPv6 address counts by its /64,
 * which one client owns whole). Registered after authentication.
 */
const limitKey = (req: FastifyRequest) =>
  req.principal
    ? `credential:${req.principal.kind}:${req.principal.tenantId ?? ''}:${req.principal.subject}`
    : `address:${normalizeIP(req.ip)}`;

export const security = fp<SecuritySettings>(
  async (app, s) => {
    app.server.maxConnections = s.connections?.maxConnections ?? CONNECTION_LIMITS.maxConnections;
    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply) => {
      reply.header('x-request-id', req.id);
    });

    const pressure = { ...PRESSURE_LIMITS, ...s.pressure };
    // The event loop is blocked for seconds while the process starts (route schemas compiled, demo data
    // loaded): that is not load. The sample holding it is taken up to one interval after the server began
    // listening and stays in effect for another; a delay is judged from the third interval on. Before, a
    // just-started server shed its first requests with 503.
    let listeningSince: number | null = null;
    app.addHook('onListen', async () => {
      listeningSince = Date.now();
    });
    const startupDelay = () => listeningSince === null || Date.now() - listeningSince < 3 * pressure.sampleIntervalMs;
    await app.register(underPressure, {
      maxEventLoopDelay: pressure.maxEventLoopDelayMs,
      maxHeapUsedBytes: pressure.maxHeapUsedBytes,
      sampleInterval: pressure.sampleIntervalMs,
      pressureHandler: (_req, reply, type) => {
        // under-pressure judges the delay first and stops there: the heap is judged here when the delay is excused.
        const heapOver = pressure.maxHeapUsedBytes > 0 && app.memoryUsage().heapUsed > pressure.maxHeapUsedBytes;
        if (type === underPressure.TYPE_EVENT_LOOP_DELAY && startupDelay() && !heapOver) return; // served
        reply.header('retry-after', String(RETRY_AFTER_S));
        return Promise.reject(new Overloaded());
      },
    });

    if (s.rateLimitPerMinute > 0) {
      await app.register(rateLimit, {
        global: false,
        max: s.rateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: limitKey,
        errorResponseBuilder: (_req, ctx) =>
          new RateLimited(`Too many requests: at most ${ctx.max} a minute; retry in ${ctx.after}`),
      });
      app.addHook('onRequest', app.rateLimit());
    }

    await app.register(helmet, {
      frameguard: { action: 'deny' }, // as frame-ancestors 'none': nothing here is meant to be framed
      // Everything /docs (swagger-ui) loads is its own scripts and styles; it styles inline and
      // draws icons as data: images. No upgrade-insecure-requests: the service may run on plain HTTP.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    });

    // Off unless CORS_ORIGINS names origins: browsers of other sites get no CORS headers at all.
    if (s.corsOrigins.length > 0) {
      await app.register(cors, {
        origin: s.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        exposedHeaders: ['x-request-id', 'retry-after', 'location', 'etag', 'x-total-count'],
        maxAge: 600,
      });
    }

    app.addHook('onRequest', guardMetrics(s.metricsToken));
  },
  { name: 'security' },
);

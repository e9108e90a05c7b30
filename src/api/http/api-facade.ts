/**
 * What an API facade is to the application: a Fastify plugin mounted at the path prefix it owns,
 * the renderer of its documented error body, and the header of its own OpenAPI document.
 * The list of facades is src/api/registry.ts.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreRole } from '../../core/access/access.ts';
import type { Core } from '../../core/core.ts';

/** What every facade plugin is given. */
export interface FacadeOptions {
  core: Core;
}

/** Renders anything thrown (core errors, schema violations, Fastify's client errors, 404s) in an API's error body. */
export type ErrorRenderer = (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

export interface ApiFacade {
  /** Names the API's own OpenAPI document, /openapi/{name}.json; kebab-case. */
  name: string;
  /**
   * Where the plugin is mounted, and the paths the API owns: every request under it, routed or
   * not (unknown route, malformed JSON, a body too large, a database outage), is answered by
   * renderError.
   */
  prefix: string;
  plugin: FastifyPluginAsync<FacadeOptions>;
  renderError: ErrorRenderer;
  openapi: {
    title: string;
    description: string;
    /** The tags its routes use, described. */
    tags: { name: string; description: string }[];
  };
  /**
   * The role names its clients' identity provider writes in JWTs, each with the core role it acts as for
   * the core's checks; the API reads the names themselves (Principal.grantedRoles) to narrow further.
   */
  tokenRoles?: Readonly<Record<string, CoreRole>>;
}

/** Whether `url` (path and query) lies under `prefix`: the prefix itself, or below it. */
export function isUnder(url: string, prefix: string): boolean {
  const path = url.split('?')[0];
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/** The facade owning `url` (the longest prefix wins), or `fallback` for paths no facade owns. */
export function ownerOf(facades: readonly ApiFacade[], fallback: ApiFacade, url: string): ApiFacade {
  let owner: ApiFacade | undefined;
  for (const f of facades) if (isUnder(url, f.prefix) && (!owner || f.prefix.length > owner.prefix.length)) owner = f;
  return owner ?? fallback;
}

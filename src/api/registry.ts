/**
 * Every API the service speaks, in one list. app.ts mounts each at its prefix, routes errors
 * raised before routing to the owner of the path, and serves each one's OpenAPI document at
 * /openapi/{name}.json. A new API is a folder under src/api with an index.ts exporting its
 * ApiFacade, and one line here.
 */
import type { CoreRole } from '../core/access/access.ts';
import { adminFacade } from './admin/index.ts';
import { calendarFacade } from './calendar/index.ts';
import { fieldServiceFacade } from './field-service/index.ts';
import { ownerOf, type ApiFacade } from './http/api-facade.ts';
import { serviceCombinationsFacade } from './service-combinations/index.ts';
import { videoCallFacade } from './video-call/index.ts';

export const API_FACADES: readonly ApiFacade[] = [
  adminFacade,
  fieldServiceFacade,
  calendarFacade,
  videoCallFacade,
  serviceCombinationsFacade,
];

/** Answers for the paths no API owns (/health, /metrics, unknown paths): our own admin format. */
export const DEFAULT_FACADE: ApiFacade = adminFacade;

/** Every role name the APIs' identity providers may write in a JWT, with the core role it acts as. */
export const TOKEN_ROLES: Readonly<Record<string, CoreRole>> = tokenRolesOf(API_FACADES);

function tokenRolesOf(facades: readonly ApiFacade[]): Record<string, CoreRole> {
  const roles: Record<string, CoreRole> = {};
  for (const f of facades)
    for (const [name, core] of Object.entries(f.tokenRoles ?? {})) {
      // Two APIs giving one name two meanings would make a token's rights depend on the order of this list.
      if (Object.hasOwn(roles, name) && roles[name] !== core)
        throw new Error(`Token role ${name} acts as ${roles[name]} and as ${core} (API ${f.name})`);
      roles[name] = core;
    }
  return roles;
}

/** The API that answers a request to `url`, routed or not. */
export const facadeFor = (url: string): ApiFacade => ownerOf(API_FACADES, DEFAULT_FACADE, url);

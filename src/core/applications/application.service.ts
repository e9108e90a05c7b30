import { tenantAccess } from '../access/tenant-access.ts';
import type { CoreDeps } from '../deps.ts';
import { isCoreError, notFound } from '../errors.ts';
import { createSenderVerification } from '../notifications/sender-verification.ts';
import { pageBounds } from '../paging.ts';
import type { Page, Principal } from '../types.ts';
import * as repo from './application.repository.ts';
import {
  DEFAULT_ACTIVATION_LEAD_TIME,
  type ApplicationInput,
  type ApplicationPatch,
  type SavedApplication,
  type SenderVerificationStart,
  type VideoApplication,
} from './application.types.ts';
import { assertRoomForApplication, checkApplication } from './application.validation.ts';

export type ApplicationService = ReturnType<typeof createApplicationService>;

const normalizeEmail = (e: string | null | undefined) => (e == null ? null : e.trim().toLowerCase());

/** The stored application a new one (or a change of `base`) becomes, before it is checked. */
export function applicationFrom(
  base: Pick<VideoApplication, 'tenantId' | 'id' | 'createdAt'> & Partial<VideoApplication>,
  input: ApplicationPatch,
  now: Date,
): VideoApplication {
  const pick = <K extends keyof ApplicationInput>(k: K, fallback: VideoApplication[K]) =>
    (input[k] === undefined ? (base[k] ?? fallback) : input[k]) as VideoApplication[K];
  return {
    tenantId: base.tenantId,
    id: base.id,
    name: pick('name', ''),
    serviceId: pick('serviceId', ''),
    siteId: pick('siteId', ''),
    videoBaseUrl: pick('videoBaseUrl', ''),
    activationLeadTime: pick('activationLeadTime', DEFAULT_ACTIVATION_LEAD_TIME),
    locale: pick('locale', null),
    timezone: pick('timezone', null),
    senderEmail: input.senderEmail === undefined ? (base.senderEmail ?? null) : normalizeEmail(input.senderEmail),
    notificationsActive: pick('notificationsActive', true),
    notifications: pick('notifications', []),
    createdAt: base.createdAt,
    updatedAt: now,
  };
}

/** Video-call applications of a tenant: the tenant admin's use cases, and the lookup by id alone. */
export function createApplicationService(deps: CoreDeps) {
  const { db } = deps;
  const access = tenantAccess(db);
  const senders = createSenderVerification(deps);
  const checkOptions = () => ({ icalLinks: deps.notifications.publicBaseUrl !== null });

  async function load(tenantId: string, id: string): Promise<VideoApplication> {
    const found = await repo.getApplication(db, tenantId, id);
    if (!found) throw notFound('Application', id);
    return found;
  }

  /**
   * Starts the verification of a newly set sender address (issue 11: setting senderEmail starts it). The application
   * is already stored: a channel that is missing or refuses is reported, not fatal; the code can be asked again
   * with POST /admin/v1/tenants/{t}/senders.
   */
  async function startSenderVerification(
    tenantId: string,
    before: string | null,
    after: string | null,
  ): Promise<SenderVerificationStart | null> {
    if (!after || after === before) return null;
    if ((await senders.verifiedSender(tenantId, after)) !== null) return 'verified';
    try {
      await senders.requestCode(tenantId, after);
      return 'code_sent';
    } catch (e) {
      if (!isCoreError(e) || e.code === 'INVALID_INPUT') throw e;
      deps.log.warn({ tenantId, err: e.message }, 'the sender verification code of an application was not sent');
      return 'not_sent';
    }
  }

  return {
    async create(p: Principal | null, tenantId: string, input: ApplicationInput): Promise<SavedApplication> {
      await access(p, tenantId, 'catalog:write');
      const now = deps.now();
      const a = applicationFrom({ tenantId, id: deps.newId(), createdAt: now }, input, now);
      await db.transaction(async (tx) => {
        await checkApplication(tx, a, checkOptions());
        await assertRoomForApplication(tx, tenantId);
        await repo.putApplication(tx, a);
      });
      return { ...a, senderVerification: await startSenderVerification(tenantId, null, a.senderEmail) };
    },

    async get(p: Principal | null, tenantId: string, id: string): Promise<VideoApplication> {
      await access(p, tenantId, 'catalog:read');
      return load(tenantId, id);
    },

    async list(
      p: Principal | null,
      tenantId: string,
      paging: { limit?: number; offset?: number },
    ): Promise<Page<VideoApplication>> {
      await access(p, tenantId, 'catalog:read');
      const { limit, offset } = pageBounds(paging);
      return { ...(await repo.listApplications(db, tenantId, limit, offset)), limit, offset };
    },

    async update(
      p: Principal | null,
      tenantId: string,
      id: string,
      patch: ApplicationPatch,
    ): Promise<SavedApplication> {
      await access(p, tenantId, 'catalog:write');
      const { before, after } = await db.transaction(async (tx) => {
        const found = await repo.getApplication(tx, tenantId, id, true);
        if (!found) throw notFound('Application', id);
        const next = applicationFrom(found, patch, deps.now());
        await checkApplication(tx, next, checkOptions());
        await repo.putApplication(tx, next);
        return { before: found, after: next };
      });
      return {
        ...after,
        senderVerification: await startSenderVerification(tenantId, before.senderEmail, after.senderEmail),
      };
    },

    async remove(p: Principal | null, tenantId: string, id: string): Promise<void> {
      await access(p, tenantId, 'catalog:write');
      if (!(await repo.deleteApplication(db, tenantId, id))) throw notFound('Application', id);
    },

    /** By id alone, without credentials: for the video-call API's unauthenticated count endpoints. */
    async findById(id: string): Promise<VideoApplication | null> {
      return repo.findApplication(db, id);
    },
  };
}

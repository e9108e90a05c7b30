import type { Core } from '../../core/core.ts';
import type { Principal } from '../../core/types.ts';
import type { RiskNotice } from './field-service.rules.ts';

/**
 * The tenant's fraud-risk rule (its settings' riskNotice), read for each request that books or searches: null unless
 * configured.
 */
export async function riskNoticeOf(
  core: Pick<Core, 'catalog'>,
  principal: Principal | null,
  tenantId: string,
): Promise<RiskNotice> {
  return (await core.catalog.getTenantSettings(principal, tenantId)).riskNotice;
}

/** The branch and services a request names, read through the core: unknown ones are the client's mistake (400). */
import { CoreError, invalidInput } from '../../core/errors.ts';
import type { Service, Site } from '../../core/types.ts';
import type { Lookup } from './appointment.mapper.ts';

async function named<T>(load: () => Promise<T>, field: string, what: string, id: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (e instanceof CoreError && e.code === 'NOT_FOUND')
      throw invalidInput(`Unknown ${what} ${id}`, [{ field, message: `no ${what} ${id}` }]);
    throw e;
  }
}

export const requireBranch = (lookup: Lookup, id: string): Promise<Site> =>
  named(() => lookup.site(id), 'branchId', 'branch', id);

export const requireServices = (lookup: Lookup, ids: string[]): Promise<Service[]> =>
  Promise.all(ids.map((id, i) => named(() => lookup.service(id), `serviceIds[${i}]`, 'service', id)));

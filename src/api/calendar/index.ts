import type { ApiFacade } from '../http/api-facade.ts';
import { sendAdminError } from '../admin/admin-error.ts';
import { calendarRoutes } from './calendar.routes.ts';

/**
 * Public calendar entries of appointments (docs/notifications.md): no credentials, an unguessable id. Errors in the
 * admin format.
 */
export const calendarFacade: ApiFacade = {
  name: 'calendar',
  prefix: '/calendar/v1',
  plugin: calendarRoutes,
  renderError: sendAdminError,
  openapi: {
    title: 'Scheduling service: public calendar entries',
    description:
      'An appointment as an iCalendar document or a Google Calendar link, through the unguessable id the admin API ' +
      'gives. No credentials.',
    tags: [{ name: 'calendar', description: 'Public calendar entries of appointments' }],
  },
};

import type { CoreDeps } from '../deps.ts';
import type { AppointmentNotifications, AppointmentNotificationsInput } from './notification.types.ts';
import { checkPlaceholderValues, checkSettings } from './template.validation.ts';

/**
 * The notifications an API gives a new appointment, checked as a service's templates are (shapes, bounds,
 * placeholders) before anything is stored: a bad template is refused at booking, not discovered at send time.
 */
export function appointmentNotificationsOf(
  input: AppointmentNotificationsInput,
  deps: Pick<CoreDeps, 'notifications'>,
): AppointmentNotifications {
  const s: AppointmentNotifications = {
    active: input.active,
    senderEmail: input.senderEmail ?? null,
    templates: input.templates,
    values: input.values ?? {},
  };
  checkSettings(s, { icalLinks: deps.notifications.publicBaseUrl !== null });
  checkPlaceholderValues(s.values, 'notifications.values');
  return s;
}

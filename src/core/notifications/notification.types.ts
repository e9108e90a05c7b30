/**
 * Notifications (issue 10). A service has templates in the video-call seed's shape; an appointment
 * takes a snapshot of them when it is created; each template that applies to a change becomes a
 * message, sent now (CREATE, RESCHEDULE, CANCEL) or at `start − period` (REMINDER, ROOM).
 */
export type NotificationChannel = 'EMAIL' | 'SMS';
export type NotificationType = 'CREATE' | 'RESCHEDULE' | 'CANCEL' | 'REMINDER' | 'ROOM';
export type MessageStatus = 'scheduled' | 'sent' | 'not_sent' | 'skipped' | 'failed' | 'withdrawn';

export interface NotificationTemplate {
  channel: NotificationChannel;
  type: NotificationType;
  /** ISO 8601 duration before the start (REMINDER and ROOM only), e.g. P1D, PT90S. */
  period?: string;
  subject?: string;
  textBody: string;
  htmlBody?: string;
  locale?: string;
}

export interface NotificationSettings {
  active: boolean;
  /** Used as the sender only once verified (POST /senders, then /senders/confirm); SMTP_FROM until then. */
  senderEmail: string | null;
  templates: NotificationTemplate[];
}

/** Values an API gives an appointment's messages beyond what the core knows: the video-call API's join link. */
export interface PlaceholderValues {
  /** What {{roomLink}} renders: an absolute http(s) URL. */
  roomLink?: string;
}

/**
 * An appointment's own notifications: the templates it took when it was created (its service's, or those the API
 * that booked it gave), its switch (`active`: the video-call API's notificationsActive) and its placeholder values.
 */
export interface AppointmentNotifications extends NotificationSettings {
  values: PlaceholderValues;
}

/** What an API may give a new appointment instead of its service's templates. */
export interface AppointmentNotificationsInput {
  active: boolean;
  senderEmail?: string | null;
  templates: NotificationTemplate[];
  values?: PlaceholderValues;
}

/** A change of an appointment's notifications; a field left out is kept. */
export interface AppointmentNotificationsPatch {
  active?: boolean;
  senderEmail?: string | null;
  templates?: NotificationTemplate[];
  values?: PlaceholderValues;
}

export interface NotificationMessage {
  tenantId: string;
  id: string;
  appointmentId: string;
  eventId: string;
  channel: NotificationChannel;
  type: NotificationType;
  template: NotificationTemplate;
  senderEmail: string | null;
  /** The start a reminder reminds of (null for messages sent at once). */
  appointmentStart: Date | null;
  scheduledAt: Date;
  status: MessageStatus;
  attempts: number;
  /** Masked (j***@example.com, +34******78): personal data is not shown to operators in full. */
  recipient: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

export const NOTIFICATION_LIMITS = {
  templatesPerService: 20,
  subjectChars: 200,
  textBodyChars: 4000,
  smsTextChars: 1600,
  htmlBodyChars: 100_000,
  localeChars: 35,
  /** The longest placeholder value an API may give (a join link). */
  valueChars: 2000,
  /** The longest reminder period: 90 days before the start. */
  maxPeriodSeconds: 90 * 86_400,
  /** Messages listed per appointment at most (newest first). */
  listLimit: 100,
} as const;

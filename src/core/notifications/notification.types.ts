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
  /** Used as the sender only once verified (sender verification is not built yet: see docs/notifications.md). */
  senderEmail: string | null;
  templates: NotificationTemplate[];
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
  /** The longest reminder period: 90 days before the start. */
  maxPeriodSeconds: 90 * 86_400,
  /** Messages listed per appointment at most (newest first). */
  listLimit: 100,
} as const;

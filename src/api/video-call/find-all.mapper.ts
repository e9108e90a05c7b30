/** The find-all query of the document → the core's list, and the core's page → the document's paged shape. */
import type { ListAppointmentsInput } from '../../core/booking/booking.types.ts';
import { invalidInput } from '../../core/errors.ts';
import { MAX_OFFSET } from '../../core/paging.ts';
import { VIDEO_CALL } from './appointment.mapper.ts';
import { parseDuration } from './duration.ts';
import type { FindAllQuery, GetAppointmentResponse } from './video-call.schemas.ts';

const DEFAULT_PAGE_SIZE = 25;
/** Comma-separated values a filter takes at most. */
const MAX_VALUES = 50;

function list(text: string | undefined, field: string): string[] | null {
  if (text === undefined) return null;
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length > MAX_VALUES)
    throw invalidInput(`${field} takes at most ${MAX_VALUES} values`, [{ field, message: 'too many values' }]);
  return values;
}

function rangeOf(text: string | undefined): { start: Date; end: Date } | null {
  const values = list(text, 'range');
  if (!values) return null;
  const [start, end] = values.map((v) => new Date(v));
  if (values.length !== 2 || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start)
    throw invalidInput('range must be two date-times in UTC, start,end, the end not before the start', [
      { field: 'range', message: 'not start,end' },
    ]);
  return { start, end };
}

export interface FindAllInput {
  list: ListAppointmentsInput;
  pageNumber: number;
  pageSize: number;
  sortField: string;
  sortOrder: 'asc' | 'desc';
}

/**
 * `supervisor`: organizerId is honoured; `agentId`: only that agent's calls (an AGENT; '' for an
 * AGENT token without sub, who then sees none).
 */
export function findAllInput(q: FindAllQuery, who: { supervisor: boolean; agentId: string | null }): FindAllInput {
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  const pageNumber = q.pageNumber ?? 1;
  if ((pageNumber - 1) * pageSize > MAX_OFFSET)
    throw invalidInput('pageNumber is beyond any page', [{ field: 'pageNumber', message: 'too large' }]);
  const organizers = who.supervisor ? list(q.organizerId, 'organizerId') : null;
  const durations = list(q.duration, 'duration')?.map((d, i) => parseDuration(d, `duration[${i}]`));
  const range = rangeOf(q.range);
  const sortField = q.sortField ?? 'start';
  const sortOrder = q.sortOrder ?? 'asc';
  return {
    pageNumber,
    pageSize,
    sortField,
    sortOrder,
    list: {
      // Deleted (cancelled) calls are gone for this API; requests without a time are never made through it.
      status: ['booked', 'in_progress', 'completed', 'no_show'],
      attributes: [
        { path: [VIDEO_CALL, 'applicationId'] },
        ...(organizers?.length ? [{ path: [VIDEO_CALL, 'organizer', 'id'], values: organizers }] : []),
      ],
      ...(who.agentId !== null ? { involving: who.agentId } : {}),
      ...(durations?.length ? { durationsSec: durations } : {}),
      ...(range ? { within: range } : {}),
      sort: sortField as ListAppointmentsInput['sort'],
      order: sortOrder,
      limit: pageSize,
      offset: (pageNumber - 1) * pageSize,
    },
  };
}

export function pageOf(content: GetAppointmentResponse[], total: number, i: FindAllInput) {
  return {
    content,
    pageCount: Math.ceil(total / i.pageSize),
    pageNumber: i.pageNumber,
    pageSize: i.pageSize,
    sortField: i.sortField,
    sortOrder: i.sortOrder,
    total,
  };
}

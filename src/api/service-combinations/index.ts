/**
 * The branch service-combinations API (seed 004) over the scheduling core: several services in one
 * visit, reserved, booked, found by personal identifier and rescheduled onto a new reservation.
 * Mounted at /external/v1/serviceCombination; every request needs credentials, X-TENANT-ID and
 * Accept-Language (request-context.ts); every error, unknown routes included, is the one body of
 * errors.ts. Decisions where the seed is silent: docs/service-combinations.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiFacade, FacadeOptions } from '../http/api-facade.ts';
import { appointmentsRoutes } from './appointments.routes.ts';
import { renderCombinationError } from './errors.ts';
import { requestContextHook } from './request-context.ts';
import { reservationsRoutes } from './reservations.routes.ts';

const serviceCombinationsApi: FastifyPluginAsync<FacadeOptions> = async (app, { core }) => {
  app.setErrorHandler(renderCombinationError);
  app.addHook('onRequest', requestContextHook(core));
  await app.register(reservationsRoutes, { core });
  await app.register(appointmentsRoutes, { core });
};

export const serviceCombinationsFacade: ApiFacade = {
  name: 'service-combinations',
  prefix: '/external/v1/serviceCombination',
  plugin: serviceCombinationsApi,
  renderError: renderCombinationError,
  openapi: {
    title: 'Service combinations',
    description:
      'A branch visit of several services delivered back to back by one employee: time slots, reservations, ' +
      'appointments found by personal identifier, rescheduling onto a new reservation. Send ' +
      '`Authorization: Bearer <tenant API key | JWT>`, `X-TENANT-ID` and `Accept-Language`. Every error is ' +
      '`{ status, error, message, details }`.',
    tags: [
      {
        name: 'Service combinations',
        description: 'Time slots and reservations for several services, appointments, rescheduling',
      },
    ],
  },
};

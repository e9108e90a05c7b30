/**
 * The document's own examples (seed 002, dates moved from 2022 to 2030; examples/README.md), shown
 * in the OpenAPI document on the schemas they illustrate. The tests send and compare the same files.
 */
import activationResponse from './examples/activation.response.json' with { type: 'json' };
import addAgentRequest from './examples/add-agent.request.json' with { type: 'json' };
import addCustomerRequest from './examples/add-customer.request.json' with { type: 'json' };
import appointmentResponse from './examples/appointment.response.json' with { type: 'json' };
import confirmRequest from './examples/confirm.request.json' with { type: 'json' };
import countResponse from './examples/count.response.json' with { type: 'json' };
import eligibleResponse from './examples/eligible.response.json' with { type: 'json' };
import findAllResponse from './examples/find-all.response.json' with { type: 'json' };
import notFoundResponse from './examples/not-found.response.json' with { type: 'json' };
import otpRequest from './examples/otp.request.json' with { type: 'json' };
import overlapResponse from './examples/overlap.response.json' with { type: 'json' };
import participantResponse from './examples/participant.response.json' with { type: 'json' };
import rescheduleRequest from './examples/reschedule.request.json' with { type: 'json' };
import scheduleRequest from './examples/schedule.request.json' with { type: 'json' };
import testEmailRequest from './examples/test-email.request.json' with { type: 'json' };
import updateRequest from './examples/update.request.json' with { type: 'json' };

export const EXAMPLES = {
  activationResponse,
  addAgentRequest,
  addCustomerRequest,
  appointmentResponse,
  confirmRequest,
  countResponse,
  eligibleResponse,
  findAllResponse,
  notFoundResponse,
  otpRequest,
  overlapResponse,
  participantResponse,
  rescheduleRequest,
  scheduleRequest,
  testEmailRequest,
  updateRequest,
};

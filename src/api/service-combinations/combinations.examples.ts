/**
 * The seed's own bodies (examples/README.md: dates moved into the future), shown in the OpenAPI
 * document on the schemas they illustrate; the tests send and compare the same files.
 */
import appointmentResponse from './examples/appointment.response.json' with { type: 'json' };
import rescheduleRequest from './examples/reschedule.request.json' with { type: 'json' };
import searchRequest from './examples/search.request.json' with { type: 'json' };

export const EXAMPLES = { searchRequest, rescheduleRequest, appointmentResponse };

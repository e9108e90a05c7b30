/**
 * The documents' own examples (seeds 000 and 001, dates moved into the future; examples/README.md),
 * shown in the OpenAPI document on the schemas they illustrate. The tests compare answers with the
 * same files, so the examples cannot drift from what the API does.
 */
import extBadRequest from './examples/ext-bad-request.response.json' with { type: 'json' };
import extCreateRequest from './examples/ext-create.request.json' with { type: 'json' };
import extSearchRequest from './examples/ext-search.request.json' with { type: 'json' };
import extTaskRequest from './examples/ext-task.request.json' with { type: 'json' };
import extUpdateRequest from './examples/ext-update.request.json' with { type: 'json' };
import tmfCreateRequest from './examples/tmf-create.request.json' with { type: 'json' };
import tmfGetResponse from './examples/tmf-get.response.json' with { type: 'json' };
import tmfNotFound from './examples/tmf-not-found.response.json' with { type: 'json' };
import tmfPatchRequest from './examples/tmf-patch.request.json' with { type: 'json' };
import tmfSearchRequest from './examples/tmf-search.request.json' with { type: 'json' };
import tmfSearchResponse from './examples/tmf-search.response.json' with { type: 'json' };

export const EXAMPLES = {
  tmfCreateRequest,
  tmfPatchRequest,
  tmfSearchRequest,
  tmfSearchResponse,
  tmfGetResponse,
  tmfNotFound,
  extCreateRequest,
  extUpdateRequest,
  extSearchRequest,
  extTaskRequest,
  // The document prints the code as a number where its schema says string; the API answers a string.
  extBadRequest: { ...extBadRequest, code: String(extBadRequest.code) },
};

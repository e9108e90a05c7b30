import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAuthenticator } from '../../src/auth/authenticator.ts';

const authenticate = createAuthenticator({
  adminToken: 'operator-token-0123456789',
  jwt: { secret: null, jwksUrl: null, issuer: null, audience: null },
  findApiKey: async () => null,
});

describe('the Authorization header', () => {
  it('blames the credential, not the scheme, when a placeholder with spaces was pasted', async () => {
    const { principal, error } = await authenticate('Bearer masmovil.<key from the log>');
    assert.equal(principal, null);
    assert.match(error!.message, /one token without spaces/);
  });

  it('still names the scheme when it is not Bearer', async () => {
    const { error } = await authenticate('Basic dXNlcjpwYXNz');
    assert.match(error!.message, /Bearer <token> scheme/);
  });

  it('says an unknown key is unknown', async () => {
    const { error } = await authenticate('Bearer masmovil.not-a-real-key');
    assert.match(error!.message, /Unknown or revoked API key/);
  });
});

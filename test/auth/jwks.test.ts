import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
import { createAuthenticator, type Authenticator } from '../../src/auth/authenticator.ts';

/** JWTs verified against a JWKS URL: a real key server on loopback, as an identity provider would serve it. */
describe('JWT verification with JWT_JWKS_URL', () => {
  let server: Server;
  let privateKey: PrivateKey;
  let authenticate: Authenticator;
  const sign = (claims: Record<string, unknown>, kid = 'key-1', key = privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('agent-7')
      .setIssuer('https://idp.example')
      .setExpirationTime('5m')
      .sign(key);

  before(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    authenticate = createAuthenticator({
      adminToken: null,
      jwt: {
        secret: null,
        jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        issuer: 'https://idp.example',
        audience: null,
      },
      findApiKey: async () => null,
    });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("accepts a token signed by the key set's key, with its tenant and roles", async () => {
    const { principal, error } = await authenticate(`Bearer ${await sign({ tenant: 'masmovil', roles: ['viewer'] })}`);
    assert.equal(error, undefined);
    assert.deepEqual(principal, {
      kind: 'jwt',
      tenantId: 'masmovil',
      subject: 'jwt:agent-7',
      roles: ['viewer'],
      userId: 'agent-7',
    });
  });

  it('refuses a token signed by another key, a wrong issuer, or no tenant claim', async () => {
    const stranger = (await generateKeyPair('RS256')).privateKey;
    assert.equal(
      (await authenticate(`Bearer ${await sign({ tenant: 'masmovil' }, 'key-1', stranger)}`)).error?.code,
      'UNAUTHENTICATED',
    );
    const otherIssuer = await new SignJWT({ tenant: 'masmovil' })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer('https://evil.example')
      .setExpirationTime('5m')
      .sign(privateKey);
    assert.match((await authenticate(`Bearer ${otherIssuer}`)).error?.message ?? '', /iss/);
    assert.match((await authenticate(`Bearer ${await sign({})}`)).error?.message ?? '', /no tenant claim/);
  });
});

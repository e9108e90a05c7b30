import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('webhooks in the tenant configuration document (PUT /admin/v1/configuration)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const secret = (fill: number) => 'whsec_' + Buffer.alloc(32, fill).toString('base64');
  const doc = (webhooks: unknown[]) => ({ tenant: { id: 'cfg', name: 'Configured' }, webhooks });
  const put = (body: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: '/admin/v1/configuration',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: body as any,
    });
  const rows = () =>
    t.db
      .query<any>("SELECT * FROM webhook_subscriptions WHERE tenant_id = 'cfg' ORDER BY subscription_id")
      .then((r) => r.rows);

  it('creates the subscriptions it names, idempotently', async () => {
    const hooks = [
      { id: 'crm', url: 'https://crm.example.com/hooks', secret: secret(1), events: ['CANCEL'] },
      { id: 'erp', url: 'https://erp.example.com/in', secret: secret(2) },
    ];
    assert.equal((await put(doc(hooks))).statusCode, 200);
    const first = await rows();
    assert.deepEqual(
      first.map((r: any) => [r.subscription_id, r.url, r.events, r.secret, r.active]),
      [
        ['crm', 'https://crm.example.com/hooks', ['CANCEL'], secret(1), true],
        ['erp', 'https://erp.example.com/in', null, secret(2), true],
      ],
    );
    assert.equal((await put(doc(hooks))).statusCode, 200);
    assert.deepEqual(
      (await rows()).map((r: any) => r.updated_at.getTime()),
      first.map((r: any) => r.updated_at.getTime()),
      'nothing changed',
    );
    const listed = await t.app.inject({
      url: '/admin/v1/tenants/cfg/webhooks',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.deepEqual(
      listed
        .json()
        .items.map((w: any) => w.id)
        .sort(),
      ['crm', 'erp'],
    );
  });

  it('rotates a changed secret with the default overlap, the old one still signing', async () => {
    assert.equal(
      (await put(doc([{ id: 'crm', url: 'https://crm.example.com/hooks', secret: secret(3), events: ['CANCEL'] }])))
        .statusCode,
      200,
    );
    const crm = (await rows()).find((r: any) => r.subscription_id === 'crm');
    assert.equal(crm.secret, secret(3));
    assert.equal(crm.previous_secret, secret(1));
    assert.equal(crm.previous_secret_until.getTime(), t.now().getTime() + 86_400_000);
  });

  it('refuses a webhook without a secret or with an unknown event type, applying nothing', async () => {
    for (const w of [
      { id: 'x', url: 'https://x.example.com' },
      { id: 'x', url: 'https://x.example.com', secret: secret(4), events: ['NOPE'] },
    ]) {
      const res = await put(doc([w]));
      assert.equal(res.statusCode, 400, res.body);
    }
    assert.equal((await rows()).length, 2);
  });
});

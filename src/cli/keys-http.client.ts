import { KeysError, type KeysClient, type KeyView } from './keys.client.ts';

/** The admin API's api-key routes of a running server, with the operator token. */
export function httpKeysClient(baseUrl: string, adminToken: string): KeysClient {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: the raw text says it
      }
      throw new KeysError(`${res.status}: ${message}`);
    }
    return text ? JSON.parse(text) : null;
  };
  const t = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/api-keys`;
  return {
    where: `through the server at ${baseUrl}`,
    create: (tenantId, input) => call('POST', t(tenantId), input),
    list: async (tenantId) => ((await call('GET', t(tenantId))) as { items: KeyView[] }).items,
    revoke: async (tenantId, keyId) => {
      await call('DELETE', `${t(tenantId)}/${encodeURIComponent(keyId)}`);
    },
    close: async () => {},
  };
}

/** True when a server answers its liveness probe at that address. */
export async function serverAnswers(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(3000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

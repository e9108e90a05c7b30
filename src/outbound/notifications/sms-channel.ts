export interface SmsMessage {
  to: string;
  text: string;
  /** Our message id: the gateway may use it to deduplicate. */
  reference: string;
}

export interface SmsChannel {
  send(m: SmsMessage): Promise<void>;
}

/** SMS through an HTTP gateway: POST {to, from, text, reference} as JSON with a Bearer token; a 2xx means sent. */
export function createSmsChannel(c: {
  url: string;
  token: string | null;
  from: string | null;
  timeoutMs?: number;
}): SmsChannel {
  return {
    async send(m) {
      const res = await fetch(c.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(c.token ? { authorization: `Bearer ${c.token}` } : {}) },
        body: JSON.stringify({ to: m.to, from: c.from, text: m.text, reference: m.reference }),
        redirect: 'manual',
        signal: AbortSignal.timeout(c.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}

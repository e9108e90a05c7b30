import http from 'node:http';
import https from 'node:https';
import { checkUrl, DestinationRefused, guardedLookup } from './destination-guard.ts';

export interface SendResult {
  ok: boolean;
  status: number | null;
  /** The start of the response body, at most `maxBodyBytes`. */
  body: string | null;
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  maxBodyBytes: number;
}

/**
 * One POST of a webhook. A 2xx answer is success; anything else, a timeout (connect to last byte
 * read), a refused destination or a connection error is a failure with its reason. Redirects are
 * not followed (a 3xx is a failure), and the response body is read only up to `maxBodyBytes`.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: SendOptions,
): Promise<SendResult> {
  let target: URL;
  try {
    target = new URL(url);
    checkUrl(target, o.allowPrivateNetworks);
  } catch (e) {
    return Promise.resolve({
      ok: false,
      status: null,
      body: null,
      error: e instanceof DestinationRefused ? e.message : 'Invalid URL',
    });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'scheduling-service-webhooks/1',
          ...headers,
        },
        ...(o.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).subarray(0, o.maxBodyBytes).toString('utf8');
          finish({
            ok: status >= 200 && status < 300,
            status,
            body: text,
            error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
          });
        };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          // Enough read: the rest of a large body is not our business.
          if (size >= o.maxBodyBytes) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', () => done());
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, body: null, error: `Timed out after ${o.timeoutMs} ms` });
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        status: null,
        body: null,
        error: e instanceof DestinationRefused ? e.message : `${e.code ?? 'ERROR'}: ${e.message}`.slice(0, 500),
      }),
    );
    req.end(body);
  });
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { TestApp } from '../helpers/test-app.ts';

/**
 * A real SMTP server in-process on loopback (smtp-server): it receives the whole conversation and
 * keeps each message, parsed back with mailparser. `failNext(n)` answers the next n messages with
 * a 451 (a temporary failure), as a busy server does.
 */
export async function startSmtpSink() {
  const received: Array<{ envelopeTo: string[]; mail: ParsedMail; raw: string }> = [];
  let failures = 0;
  let attemptsSeen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        attemptsSeen++;
        if (failures > 0) {
          failures--;
          const err = Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          mail: await simpleParser(raw),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts: () => attemptsSeen,
    failNext(n: number) {
      failures = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real HTTP SMS gateway on loopback: keeps each JSON body; `answer` decides the status (200 by default). */
export async function startSmsGateway() {
  const received: Array<{ authorization: string | undefined; body: any }> = [];
  let n = 0;
  let answer: (n: number) => number = () => 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = answer(++n);
      if (status >= 200 && status < 300)
        received.push({
          authorization: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    received,
    calls: () => n,
    /** Decides the status of each later request, numbered from 1 again. */
    answer(fn: (n: number) => number) {
      n = 0;
      answer = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs every 'notification-send' job due at the app's injected clock, as pg-boss would hand them to the worker, and
 * marks each done; returns the outcomes of the messages it acted on. No sleeping: the clock decides what is due.
 */
export async function runDueNotifications(t: Pick<TestApp, 'db' | 'now' | 'runtime'>) {
  const { rows } = await t.db.query<{ id: string; data: { tenantId: string; messageId: string } }>(
    "SELECT id, data FROM pgboss.job WHERE name = 'notification-send' AND state = 'created' AND start_after <= $1 " +
      'ORDER BY start_after',
    [t.now()],
  );
  const outcomes = [];
  for (const r of rows) {
    outcomes.push(await t.runtime.notifications.send(r.data));
    await t.db.query("UPDATE pgboss.job SET state = 'completed' WHERE name = 'notification-send' AND id = $1", [r.id]);
  }
  return outcomes.filter((o) => o !== null);
}

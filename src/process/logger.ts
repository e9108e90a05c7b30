import pino, { type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

/**
 * The process logger: JSON lines for log collectors, or readable coloured lines when a person
 * watches a terminal. pino-pretty runs as a synchronous stream in this thread (no transport
 * worker), so the last lines before an exit are never lost.
 */
export function createLogger(level: LevelWithSilent, terminal: boolean): Logger {
  const options = { level, redact: ['req.headers.authorization'] };
  // Asynchronous writes: a log line never blocks a request (server.ts flushes at shutdown).
  if (!terminal) return pino(options, pino.destination({ sync: false }));
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }));
}

/**
 * The started server a small fuzz run aims at: PGlite in a temporary folder, or a scratch database on
 * TEST_DATABASE_URL's PostgreSQL; `stop` ends the process and removes both.
 */
import { startServer, type ServerProcess } from '../../bench/lib/server-process.ts';
import { createTempDir } from '../../bench/lib/storage.ts';
import { createScratchDatabase } from './test-db.ts';

export interface FuzzServer {
  server: ServerProcess;
  /** Which database the run is on, for its report. */
  database: 'PostgreSQL' | 'PGlite';
  stop(): Promise<void>;
}

export async function startFuzzServer(name: string): Promise<FuzzServer> {
  const tmp = createTempDir(name);
  const scratch = await createScratchDatabase();
  const server = await startServer({
    ...(scratch ? { databaseUrl: scratch.url } : { dataDir: `${tmp.path}/data` }),
    logFile: `${tmp.path}/server.log`,
    logLevel: 'warn',
  });
  return {
    server,
    database: scratch ? 'PostgreSQL' : 'PGlite',
    async stop() {
      await server.stop('SIGTERM', 10_000);
      await scratch?.drop();
      tmp.remove();
    },
  };
}

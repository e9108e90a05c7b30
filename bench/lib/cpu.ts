import { readFileSync } from 'node:fs';
import pg from 'pg';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; NaN when it cannot be read. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at index 2 (state); utime, stime are fields 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * The CPU of the PostgreSQL backends serving one database (the server's pool), read from /proc
 * (the server runs on this machine): `start()` notes every backend's CPU, `stop()` returns what
 * they used since, backends that appeared meanwhile counted from zero.
 */
export async function databaseCpu(connectionString: string) {
  const c = new pg.Client({ connectionString });
  await c.connect();
  const backends = async () =>
    (
      await c.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r) => r.pid);
  let before = new Map<number, number>();
  return {
    async start() {
      before = new Map((await backends()).map((pid) => [pid, processCpuMs(pid)]));
    },
    /** ms of CPU since start(); NaN when /proc of the backends is not readable. */
    async stop(): Promise<number> {
      let total = 0;
      for (const pid of new Set([...before.keys(), ...(await backends())])) {
        const now = processCpuMs(pid);
        if (Number.isNaN(now)) continue;
        total += now - (before.get(pid) ?? 0);
      }
      await c.end();
      return total;
    },
  };
}

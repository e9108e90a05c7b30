import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * `<DATA_DIR>/server.json` says which process serves this data folder and where. The keys CLI reads
 * it to reach the running server, and to know that it must not open an embedded (PGlite) folder
 * that a live server holds: only one process may open it.
 */
export interface Instance {
  pid: number;
  url: string;
  startedAt: string;
}

export const instancePath = (dataDir: string) => resolve(join(dataDir, 'server.json'));

export async function writeInstance(dataDir: string, instance: Instance): Promise<void> {
  await writeFile(instancePath(dataDir), `${JSON.stringify(instance)}\n`, { mode: 0o644 });
}

export async function removeInstance(dataDir: string, pid: number): Promise<void> {
  const current = await readInstance(dataDir);
  if (current?.pid === pid) await rm(instancePath(dataDir), { force: true });
}

export async function readInstance(dataDir: string): Promise<Instance | null> {
  try {
    const parsed = JSON.parse(await readFile(instancePath(dataDir), 'utf8')) as Partial<Instance>;
    if (typeof parsed.pid !== 'number' || typeof parsed.url !== 'string') return null;
    return { pid: parsed.pid, url: parsed.url, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return null;
  }
}

/** True while a process with that id exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The operator token of a demo install: generated once into the data folder (owner-only file) so
 * that a newcomer can use the admin API and the keys CLI without configuring anything. Production
 * sets ADMIN_TOKEN instead, and then no file is written or read by the server.
 */
export const adminTokenPath = (dataDir: string) => resolve(join(dataDir, 'admin-token'));

export async function readAdminToken(dataDir: string): Promise<string | null> {
  try {
    const token = (await readFile(adminTokenPath(dataDir), 'utf8')).trim();
    return token.length >= 16 ? token : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Returns the stored token, or generates and stores one (mode 600). */
export async function ensureAdminToken(dataDir: string): Promise<{ token: string; path: string; created: boolean }> {
  const path = adminTokenPath(dataDir);
  const existing = await readAdminToken(dataDir);
  if (existing) {
    await chmod(path, 0o600); // a copy restored with wider permissions is tightened again
    return { token: existing, path, created: false };
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // the umask cannot widen it, but an existing short/empty file kept its mode
  return { token, path, created: true };
}

import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import semver from 'semver';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('the declared Node version', () => {
  const declared = pkg.engines.node as string;
  const lowest = semver.minVersion(declared)!.version;

  it('is the one .nvmrc names', () => {
    assert.equal(semver.coerce(readFileSync(join(ROOT, '.nvmrc'), 'utf8'))!.major, semver.major(lowest));
  });

  it('is supported by every installed package (npm ci prints no EBADENGINE)', () => {
    const refusing = Object.entries<any>(lock.packages)
      .filter(([path, p]) => path && typeof p.engines?.node === 'string' && !semver.satisfies(lowest, p.engines.node))
      .map(([path, p]) => `${path} wants node ${p.engines.node}`);
    assert.deepEqual(refusing, []);
  });

  it('runs every package the server imports, each declared as a runtime dependency', () => {
    const imported = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*?['"]([^'".][^'"]*)['"]/gm)) {
        const spec = m[1];
        if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
    const undeclared = [...imported].filter((name) => !(name in pkg.dependencies));
    assert.deepEqual(undeclared, []);
    assert.ok(imported.has('pino') && imported.has('fastify'), 'the scan sees the imports');
  });
});

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteExtensions } from '@only/platform/db';

const require = createRequire(import.meta.url);

/**
 * A freshly initialised PGlite data directory, made once per PGlite version and kept under
 * `node_modules/.cache`: opening a PGlite from it takes well under a second, where running
 * `initdb` again for every test file takes several.
 */
async function templatePath(): Promise<string> {
  // The package does not export its package.json: read it beside the resolved entry point.
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const version = manifest.version;
  const dir = join(process.cwd(), 'node_modules', '.cache', 'only');
  const path = join(dir, `pglite-${version}.tar`);
  try {
    await readFile(path, { flag: 'r' }).then(() => undefined);
    return path;
  } catch {
    await mkdir(dir, { recursive: true });
    const fresh = new PGlite();
    await fresh.waitReady;
    const dump = await fresh.dumpDataDir('none');
    await fresh.close();
    // Written aside and renamed: test files starting together never read a half-written template.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
    return path;
  }
}

/** A new in-memory PGlite, started from the cached template. */
export async function openTemplatedPglite(): Promise<PGlite> {
  const template = await readFile(await templatePath());
  const pglite = new PGlite({ loadDataDir: new Blob([template]), extensions: pgliteExtensions });
  await pglite.waitReady;
  return pglite;
}

// Workspace rules that no compiler checks: one version of each dependency across workspaces.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function manifests(): { path: string; json: Record<string, Record<string, string> | undefined> }[] {
  const paths = [
    'package.json',
    ...['apps', 'services', 'packages'].flatMap((dir) =>
      readdirSync(join(root, dir)).map((name) => join(dir, name, 'package.json')),
    ),
  ].filter((path) => existsSync(join(root, path)));
  return paths.map((path) => ({ path, json: JSON.parse(readFileSync(join(root, path), 'utf8')) as never }));
}

describe('workspace', () => {
  it('declares one version range per dependency across all workspaces', () => {
    const ranges = new Map<string, Set<string>>();
    for (const { json } of manifests()) {
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
        for (const [name, range] of Object.entries(json[field] ?? {})) {
          ranges.set(name, (ranges.get(name) ?? new Set()).add(range));
        }
      }
    }
    const conflicting = [...ranges]
      .filter(([, set]) => set.size > 1)
      .map(([name, set]) => `${name}: ${[...set].join(' vs ')}`);
    expect(conflicting).toEqual([]);
  });

  it('pins Node 24 for npm scripts through the node devDependency', () => {
    const [rootManifest] = manifests();
    expect(rootManifest?.json.devDependencies?.node).toMatch(/^\^?24\./);
  });
});

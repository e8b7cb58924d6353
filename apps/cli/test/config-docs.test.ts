import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configMarkdown, configRows } from '../src/commands/config-docs.ts';

/** Table rows as trimmed cells, so that Prettier's column padding does not matter. */
function cells(markdown: string): string[][] {
  return markdown
    .trim()
    .split('\n')
    .filter((line) => !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .replace(/^\||\|$/g, '')
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('configuration documentation', () => {
  it('README lists exactly the variables the code reads, with their defaults', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = /<!-- config-table:start -->\n([\s\S]*?)<!-- config-table:end -->/.exec(readme)?.[1];
    expect(table, 'README has no config table; paste `npx only config` between the markers').toBeDefined();
    expect(cells(table ?? '')).toEqual(cells(configMarkdown()));
  });

  it('describes every variable', () => {
    for (const row of configRows()) expect(row.variable.description, row.variable.name).not.toBe('');
  });
});

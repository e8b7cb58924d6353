#!/usr/bin/env node
// The `only` command. Only runs its TypeScript sources directly, which needs Node 24; on an older
// Node this re-runs itself with the Node 24 installed as the workspace's `node` devDependency.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import('../src/main.ts');
} else {
  const require = createRequire(import.meta.url);
  let node;
  try {
    node = require.resolve('node/bin/node');
  } catch {
    console.error(
      `Only needs Node.js 24 or newer (this is ${process.version}). Run \`npm install\` in the repository first.`,
    );
    process.exit(1);
  }
  const child = spawn(node, [new URL('../src/main.ts', import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

// Loads the legacy ACME data set into MariaDB/MySQL or SQLite:
//   node examples/legacy-acme/src/load.ts --target mysql://root@127.0.0.1:3306/legacy_acme --scale 1000
//   node examples/legacy-acme/src/load.ts --target sqlite:legacy-acme.db --scale 1000 [--seed 1977]
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from './generator.ts';
import { loadLegacyAcme } from './loader.ts';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    scale: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    'batch-size': { type: 'string', default: '1000' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage =
  'usage: load.ts --target mysql://user@host:port/database|sqlite:path --scale N [--seed S] [--batch-size B]';
if (values.help || values.target === undefined) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const started = performance.now();
try {
  const result = await loadLegacyAcme({
    target: values.target,
    scale: Number(values.scale),
    seed: Number(values.seed),
    batchSize: Number(values['batch-size']),
    onTable: (table, rows) => {
      console.log(`${table.padEnd(18)} ${String(rows).padStart(10)} rows`);
    },
  });
  const total = Object.values(result).reduce((sum, n) => sum + n, 0);
  console.log(`loaded ${total} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  // Bad arguments and unreachable databases are the user's to fix: say what, not where in the code.
  console.error(`load failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

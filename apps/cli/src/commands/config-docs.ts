import { describeConfig, type ConfigVariable } from '@only/platform/config';
import { catalogConfigSchema } from '@only/catalog';
import { gatewayConfigSchema } from '@only/gateway';
import { identityConfigSchema } from '@only/identity';
import { invoicesConfigSchema } from '@only/invoices';
import { migrationConfigSchema, migrationRunsConfigSchema } from '@only/migration';
import { notificationsChannelConfigSchema, notificationsConfigSchema } from '@only/notifications';
import { ordersConfigSchema } from '@only/orders';
import { paymentsConfigSchema } from '@only/payments';
import { reportingConfigSchema } from '@only/reporting';
import type { z } from 'zod';
import {
  busCommandConfigSchema,
  clusterConfigSchema,
  databaseCommandConfigSchema,
  embeddedConfigSchema,
} from '../cli-config.ts';

/** Every component's config schema, as the README documents them. */
const COMPONENTS: readonly { name: string; schema: z.ZodObject }[] = [
  { name: '`only start` (embedded)', schema: embeddedConfigSchema },
  { name: '`only start` (embedded)', schema: notificationsChannelConfigSchema },
  { name: '`only start` (embedded)', schema: migrationRunsConfigSchema },
  { name: '`only db`, `only seed`', schema: databaseCommandConfigSchema },
  { name: '`only start --distributed`', schema: clusterConfigSchema },
  { name: '`only events`, `only dlq`, `only bus`', schema: busCommandConfigSchema },
  { name: 'gateway', schema: gatewayConfigSchema },
  { name: 'identity', schema: identityConfigSchema },
  { name: 'catalog', schema: catalogConfigSchema },
  { name: 'payments', schema: paymentsConfigSchema },
  { name: 'orders', schema: ordersConfigSchema },
  { name: 'reporting', schema: reportingConfigSchema },
  { name: 'invoices', schema: invoicesConfigSchema },
  { name: 'notifications', schema: notificationsConfigSchema },
  { name: 'migration', schema: migrationConfigSchema },
];

interface Row {
  readonly variable: ConfigVariable;
  readonly usedBy: string[];
  readonly defaults: Map<string, string>;
}

/** Every configuration variable with where it is used, its default(s) and its meaning. */
export function configRows(): Row[] {
  const rows = new Map<string, Row>();
  for (const component of COMPONENTS) {
    for (const variable of describeConfig(component.schema)) {
      const row = rows.get(variable.name) ?? { variable, usedBy: [], defaults: new Map<string, string>() };
      row.usedBy.push(component.name);
      row.defaults.set(
        component.name,
        variable.secret
          ? 'secret, no default'
          : variable.default === undefined
            ? variable.required
              ? 'required'
              : '—'
            : `\`${variable.default.replace(/^"(.*)"$/, '$1')}\``,
      );
      rows.set(variable.name, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.variable.name.localeCompare(b.variable.name));
}

/** The configuration table in Markdown. */
export function configMarkdown(): string {
  const lines = ['| Variable | Used by | Default | Meaning |', '| --- | --- | --- | --- |'];
  for (const row of configRows()) {
    const distinct = new Set(row.defaults.values());
    const defaults =
      distinct.size === 1
        ? [...distinct].join('')
        : [...row.defaults.entries()].map(([component, value]) => `${value} (${component})`).join('<br>');
    lines.push(
      `| \`${row.variable.name}\` | ${row.usedBy.join(', ')} | ${defaults} | ${row.variable.description} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `only config`: prints the table of configuration variables. */
export function configCommand(): void {
  process.stdout.write(configMarkdown());
}

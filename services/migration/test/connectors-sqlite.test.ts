// The SQL connector against a real SQLite on this machine (a fresh database, dropped afterwards).
import { sqliteFixture } from './support/connector-fixtures.ts';
import { connectorConformance } from './support/connector-conformance.ts';

connectorConformance('SQLite', sqliteFixture);

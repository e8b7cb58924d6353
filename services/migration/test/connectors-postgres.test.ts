// The SQL connector against a real PostgreSQL on this machine (a fresh database, dropped afterwards),
// where `DATABASE_URL` names one.
import { POSTGRES_URL, postgresFixture } from './support/connector-fixtures.ts';
import { connectorConformance } from './support/connector-conformance.ts';

connectorConformance('PostgreSQL', postgresFixture, POSTGRES_URL !== '');

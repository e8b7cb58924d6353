// The SQL connector against a real MariaDB on this machine (a fresh database, dropped afterwards),
// where `MARIADB_URL` names one.
import { MARIADB_URL, mariadbFixture } from './support/connector-fixtures.ts';
import { connectorConformance } from './support/connector-conformance.ts';

connectorConformance('MariaDB', mariadbFixture, MARIADB_URL !== '');

// Value conversions of the two drivers without a server here (SQL Server, Oracle): the parts that
// do not need one.
import { describe, expect, it } from 'vitest';
import { mssqlWallClock } from './mssql.driver.ts';
import { oracleFetchAs, oracleWallClock } from './oracle.driver.ts';

describe('SQL Server values', () => {
  it('reads the wall-clock time from the UTC fields tedious fills (useUTC)', () => {
    expect(mssqlWallClock(new Date(Date.UTC(2023, 9, 29, 2, 30, 5, 7)))).toBe('2023-10-29 02:30:05.007');
  });
});

describe('Oracle values', () => {
  const types = { NUMBER: 'N', CLOB: 'C', NCLOB: 'NC' };

  it('fetches NUMBER as text unless it is an integer of at most 15 digits', () => {
    expect(oracleFetchAs({ name: 'ID', dbType: 'N', precision: 10, scale: 0 }, types)).toBe('default');
    expect(oracleFetchAs({ name: 'ID', dbType: 'N', precision: 15, scale: 0 }, types)).toBe('default');
    expect(oracleFetchAs({ name: 'BIG', dbType: 'N', precision: 19, scale: 0 }, types)).toBe('string');
    expect(oracleFetchAs({ name: 'AMT', dbType: 'N', precision: 12, scale: 2 }, types)).toBe('string');
    // NUMBER without precision: anything goes, so text.
    expect(oracleFetchAs({ name: 'X', dbType: 'N', precision: 0, scale: -127 }, types)).toBe('string');
    expect(oracleFetchAs({ name: 'DOC', dbType: 'C' }, types)).toBe('string');
    expect(oracleFetchAs({ name: 'NAME', dbType: 'V' }, types)).toBe('default');
  });

  it('reads DATE wall-clock fields from the local getters node-oracledb fills', () => {
    expect(oracleWallClock(new Date(2023, 9, 29, 2, 30, 5))).toBe('2023-10-29 02:30:05');
  });
});

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from './database.ts';

interface TransactionFrame {
  readonly root: Database;
  readonly tx: Database;
  readonly afterCommit: (() => void)[];
}

const frames = new AsyncLocalStorage<TransactionFrame>();

/**
 * Runs `work` in a transaction on `db`, or inside the transaction already open on `db` in this
 * async context (so an HTTP layer can wrap a service call and both commit or roll back together).
 * Callbacks registered with {@link afterCommit} run once the outermost transaction committed.
 */
export async function inTransaction<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  const open = frames.getStore();
  if (open?.root === db) return work(open.tx);
  const afterCommitCallbacks: (() => void)[] = [];
  const result = await db.transaction((tx) =>
    frames.run({ root: db, tx, afterCommit: afterCommitCallbacks }, () => work(tx)),
  );
  for (const callback of afterCommitCallbacks) callback();
  return result;
}

/**
 * The executor to use for `db` here: the open transaction if one is open in this async context,
 * else `db` itself. Repositories read and write through it so that they join the caller's
 * transaction (on PGlite, using `db` inside a transaction would wait for that same transaction).
 */
export function executor(db: Database): Database {
  const open = frames.getStore();
  return open?.root === db ? open.tx : db;
}

/** True when a transaction on `db` is open in this async context. */
export function inOpenTransaction(db: Database): boolean {
  return frames.getStore()?.root === db;
}

/** Runs `callback` after the open transaction commits (never if it rolls back); at once if none is open. */
export function afterCommit(callback: () => void): void {
  const open = frames.getStore();
  if (open) open.afterCommit.push(callback);
  else callback();
}

// A run's progress as Server-Sent Events until it ends: `run` (the run as GET /runs/:id shows it)
// first, then `progress` per batch and entity while this process executes it — or `run` again
// whenever the stored run changes, when another process does — and `end` with the final run.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RunEvent } from './run-executor.ts';
import { toRun, type Run } from './runs.dto.ts';
import type { RunsService } from './runs.service.ts';

/** How long a browser waits before reconnecting after the stream ended. */
const RETRY_MS = 3_000;

/** The open streams of this process, so that shutdown does not wait for clients to leave. */
export class OpenStreams {
  private readonly closers = new Set<() => void>();

  track(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get count(): number {
    return this.closers.size;
  }

  closeAll(): void {
    for (const close of [...this.closers]) close();
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** What tells a client something new about a stored run. */
function fingerprint(run: Run): string {
  return JSON.stringify([run.status, run.counts, run.error]);
}

/**
 * Streams one run's events. A run that is not found is a 404 problem before anything is sent; a
 * run that has ended gets `run` and `end` at once.
 */
export async function serveRunEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: {
    id: string;
    service: RunsService;
    streams: OpenStreams;
    heartbeatMs: number;
    pollIntervalMs: number;
  },
): Promise<void> {
  const { id, service } = deps;
  const ctx = request.ctx;
  const first = toRun(await service.snapshot(ctx, id));
  const local = service.local(ctx, id);
  const raw = reply.raw;
  const backlog: RunEvent[] = [];
  let live = false;
  let closed = false;
  let timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  let untrack: () => void = () => undefined;

  const send = (event: string, data: unknown) => {
    if (!closed && !raw.writableEnded) raw.write(frame(event, data));
  };
  const close = () => {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearInterval(timer);
    timers = [];
    unsubscribe();
    untrack();
    if (!raw.writableEnded) raw.end();
  };
  const finish = async () => {
    try {
      send('end', toRun(await service.snapshot(ctx, id)));
    } catch (error) {
      request.log.warn({ err: error, runId: id }, 'run event stream could not read the final run');
    }
    close();
  };
  const handle = (event: RunEvent) => {
    if (event.type === 'progress') send('progress', event.progress);
    else void finish();
  };
  // Subscribed before anything is sent, so that nothing happening meanwhile is lost.
  if (local !== undefined) {
    unsubscribe = local.subscribe((event) => {
      if (live) handle(event);
      else backlog.push(event);
    });
  }

  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Tells nginx (deploy/) not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${String(RETRY_MS)}\n\n`);
  untrack = deps.streams.track(close);
  raw.on('close', close);

  send('run', first);
  if (first.status !== 'running') {
    send('end', first);
    close();
    return;
  }
  const heartbeat = setInterval(() => {
    if (!raw.writableEnded) raw.write(': heartbeat\n\n');
  }, deps.heartbeatMs);
  heartbeat.unref();
  timers.push(heartbeat);

  if (local !== undefined) {
    live = true;
    for (const event of backlog.splice(0)) handle(event);
    return;
  }
  // Executed by another process (or by none any more): follow the stored run.
  let seen = fingerprint(first);
  let polling = false;
  const poll = setInterval(() => {
    if (polling || closed) return;
    polling = true;
    service
      .snapshot(ctx, id)
      .then((snapshot) => {
        const run = toRun(snapshot);
        if (run.status !== 'running') {
          send('end', run);
          close();
          return;
        }
        const now = fingerprint(run);
        if (now !== seen) {
          seen = now;
          send('run', run);
        }
      })
      .catch((error: unknown) => {
        request.log.warn({ err: error, runId: id }, 'run event stream could not read the run');
      })
      .finally(() => {
        polling = false;
      });
  }, deps.pollIntervalMs);
  poll.unref();
  timers.push(poll);
}

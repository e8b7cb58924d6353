import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import autocannon from 'autocannon';

/** The three lines of every benchmark order (totals 9,830 + 1,418 tax, in EUR cents). */
export const BENCH_LINES = [
  { sku: 'BENCH-1', name: 'Bench item one', quantity: 2, unitPrice: 1290, taxRateBps: 700 },
  { sku: 'BENCH-2', name: 'Bench item two', quantity: 1, unitPrice: 5900, taxRateBps: 1900 },
  { sku: 'BENCH-3', name: 'Bench item three', quantity: 3, unitPrice: 450, taxRateBps: 1900 },
] as const;

/** The JSON body of POST /orders with {@link BENCH_LINES}. */
export const benchOrderBody = (customerId: string): string =>
  JSON.stringify({ customerId, currency: 'EUR', lines: BENCH_LINES });

/** POSTs JSON and returns the parsed answer, throwing with the body on anything but 2xx. */
export async function postJson<T>(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  if (!response.ok) throw new Error(`${url}: ${String(response.status)} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One measured scenario. */
export interface Measurement {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly total: number;
}

/** Options of one load run. */
export interface LoadOptions {
  readonly name: string;
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Adds per-request headers, e.g. a unique Idempotency-Key. */
  readonly perRequestHeaders?: () => Record<string, string>;
  /** A body per request instead of one for all (e.g. a different product each time). */
  readonly perRequestBody?: () => string;
  /** Sees every response as it arrives (status and body). */
  readonly onResponse?: (status: number, body: string) => void;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second across all connections; unbounded when absent. */
  readonly overallRate?: number;
}

/** Drives load at one URL (127.0.0.1 only) for a bounded time and summarises it. */
export async function measure(options: LoadOptions): Promise<Measurement> {
  if (!/^http:\/\/127\.0\.0\.1[:/]/.test(options.url)) throw new Error('benchmarks target 127.0.0.1 only');
  const { perRequestHeaders, perRequestBody, onResponse } = options;
  const perRequest =
    perRequestHeaders === undefined && perRequestBody === undefined && onResponse === undefined
      ? undefined
      : {
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            headers: { ...request.headers, ...perRequestHeaders?.() },
            ...(perRequestBody === undefined ? {} : { body: perRequestBody() }),
          }),
          ...(onResponse === undefined
            ? {}
            : {
                onResponse: (status: number, body: string) => {
                  onResponse(status, body);
                },
              }),
        };
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    connections: options.connections,
    duration: options.durationSeconds,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    ...(perRequest === undefined ? {} : { requests: [perRequest] }),
  });
  return {
    name: options.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** A child process with a way to wait for a line of its output. */
export interface Child {
  readonly process: ChildProcess;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts a Node script (with the Node running this benchmark). */
export function startNode(args: readonly string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Keep only the tail: the platform writes an access line per request.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Once started, output is drained and dropped: buffering it would tax the load generator.
  const stopListening = () => {
    child.stdout.off('data', keep);
    child.stderr.off('data', keep);
    child.stdout.resume();
    child.stderr.resume();
  };
  return {
    process: child,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(output);
        if (match) {
          stopListening();
          return match;
        }
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${args.join(' ')}: no ${pattern} in output:\n${output}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak resident set size of a live process, in MiB (Linux `VmHWM`). */
export async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

/** Resets a process's peak RSS to its current RSS (Linux `clear_refs`), to measure a phase alone. */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

/** Describes the machine, for the record. */
export async function machine(): Promise<string> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  return `${model}, ${cores} cores, Node ${process.version}`;
}

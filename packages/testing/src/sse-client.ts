// A client of a Server-Sent Events stream over real HTTP: keeps every event and comment it reads,
// and knows when the server ended the stream.

/** One event of a stream. */
export interface StreamEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/** Reads a Server-Sent Events stream in the background; `close()` when done. */
export class SseClient {
  readonly events: StreamEvent[] = [];
  /** Comment lines (`: …`), e.g. heartbeats. */
  readonly comments: string[] = [];
  status = 0;
  contentType = '';
  /** Set once the server closed the stream. */
  ended = false;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private done: Promise<void> = Promise.resolve();
  private text = '';

  /** Opens the stream at `url`; the answer's status and content type are known on return. */
  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, { headers, signal: client.controller.signal });
    client.status = response.status;
    client.contentType = response.headers.get('content-type') ?? '';
    if (response.body !== null) client.done = client.read(response.body);
    return client;
  }

  /** The body as read so far (a problem document, for an error answer). */
  get body(): string {
    return this.text;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        const text = decoder.decode(chunk, { stream: true });
        this.text += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.take(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        this.wake();
      }
      this.ended = true;
    } catch {
      // Aborted by close().
    }
    this.wake();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private take(block: string): void {
    let id: string | undefined;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ id, event, data: data.join('\n') });
  }

  /** Data of the events of one type, parsed. */
  dataOf<T = Record<string, unknown>>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T);
  }

  /** Resolves once `condition` holds (checked after each chunk read); fails after `timeoutMs`. */
  async until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('the stream did not deliver in time');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Resolves when the server has ended the stream. */
  async untilEnded(timeoutMs = 60_000): Promise<void> {
    await this.until(() => this.ended, timeoutMs);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

// Logos for PDFs: PDF (pdfkit) embeds PNG and JPEG only. Anything else — SVG, WebP, a URL that
// does not answer in time — is skipped, and the document shows the tenant's initial instead.
import type { Logger } from '@only/platform/log';

/** Options of {@link LogoLoader}. */
export interface LogoLoaderOptions {
  readonly logger?: Logger;
  /** How long to wait for an http(s) logo. Default 2 000 ms. */
  readonly timeoutMs?: number;
  /** Largest logo accepted. Default 1 MiB. */
  readonly maxBytes?: number;
  /** How long a fetched logo (or the failure to fetch it) is remembered. Default 10 minutes. */
  readonly cacheTtlMs?: number;
  /** Most URLs remembered. Default 100. */
  readonly cacheSize?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** Whether `bytes` is an image pdfkit can embed (by its signature, whatever it claims to be). */
export function isEmbeddableImage(bytes: Buffer): boolean {
  return bytes.subarray(0, PNG.length).equals(PNG) || bytes.subarray(0, JPEG.length).equals(JPEG);
}

/** The image in a `data:` URL, if it is base64 PNG or JPEG. */
function fromDataUrl(url: string): Buffer | undefined {
  const match = /^data:image\/(png|jpeg|jpg);base64,([A-Za-z0-9+/=\s]+)$/i.exec(url);
  if (match?.[2] === undefined) return undefined;
  const bytes = Buffer.from(match[2], 'base64');
  return isEmbeddableImage(bytes) ? bytes : undefined;
}

/** The body, unless it is longer than `maxBytes` (then reading stops there). */
async function readAtMost(response: Response, maxBytes: number): Promise<Buffer | undefined> {
  if (response.body === null) return undefined;
  // Typed `any` chunks by Node's fetch types: a byte stream it is.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Loads a tenant's logo for a document: decoded from a `data:` URL, or fetched from an http(s)
 * URL with a timeout and a size limit and remembered for a while (so a slow or missing logo
 * server costs at most one wait per URL and cache period). Never throws: without a logo the
 * document is drawn without one.
 */
export class LogoLoader {
  private readonly options: LogoLoaderOptions;
  private readonly cache = new Map<string, { image: Buffer | undefined; until: number }>();

  constructor(options: LogoLoaderOptions = {}) {
    this.options = options;
  }

  async load(url: string | null | undefined): Promise<Buffer | undefined> {
    if (url === null || url === undefined) return undefined;
    if (url.startsWith('data:')) return fromDataUrl(url);
    // A root-relative path is served by the web app, which this service does not know.
    if (!/^https?:\/\//i.test(url)) return undefined;
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(url);
    if (cached !== undefined && cached.until > now) return cached.image;
    const image = await this.fetchImage(url);
    this.cache.delete(url);
    this.cache.set(url, { image, until: now + (this.options.cacheTtlMs ?? 10 * 60_000) });
    if (this.cache.size > (this.options.cacheSize ?? 100)) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return image;
  }

  private async fetchImage(url: string): Promise<Buffer | undefined> {
    const maxBytes = this.options.maxBytes ?? 1024 * 1024;
    try {
      const response = await (this.options.fetch ?? fetch)(url, {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
        headers: { accept: 'image/png, image/jpeg' },
      });
      const length = Number(response.headers.get('content-length') ?? 0);
      if (!response.ok || length > maxBytes) {
        await response.body?.cancel();
        this.options.logger?.debug({ status: response.status, length }, 'logo skipped');
        return undefined;
      }
      const bytes = await readAtMost(response, maxBytes);
      return bytes !== undefined && isEmbeddableImage(bytes) ? bytes : undefined;
    } catch (error) {
      this.options.logger?.debug({ err: error }, 'logo could not be fetched');
      return undefined;
    }
  }
}

// Reading response bodies without trusting their size, and undoing Content-Encoding: undici's
// request API (unlike fetch) hands back the bytes exactly as they came off the wire.
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export function decoderFor(encoding: string | string[] | undefined): Transform | null {
  const name = (Array.isArray(encoding) ? encoding.at(-1) : encoding)?.trim().toLowerCase();
  if (name === 'gzip' || name === 'x-gzip') return createGunzip();
  if (name === 'deflate') return createInflate();
  if (name === 'br') return createBrotliDecompress();
  return null;
}

/**
 * Pipes the wire body through its decoder into a stream the caller owns. Failures of any stage
 * (socket reset, body timeout, corrupt gzip) reach the caller as `mapError(err)` on the returned
 * stream; abandoning the returned stream releases the connection.
 */
export function decodedStream(
  source: Readable,
  encoding: string | string[] | undefined,
  mapError: (error: unknown) => Error,
): Readable {
  const decoder = decoderFor(encoding);
  const out = new PassThrough();
  const fail = (error: unknown) => {
    if (!out.destroyed) out.destroy(mapError(error));
  };
  source.on('error', fail);
  if (decoder) {
    decoder.on('error', fail);
    source.pipe(decoder).pipe(out);
  } else {
    source.pipe(out);
  }
  out.on('close', () => {
    if (!source.readableEnded) source.destroy();
    decoder?.destroy();
  });
  return out;
}

export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`response body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.limit = limit;
  }
}

/** Reads the whole body as UTF-8, refusing to hold more than `maxBytes` in memory. */
export async function readText(body: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Error bodies only need their first few KB (a DRF detail, a proxy page's title). */
export async function readPrefix(body: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

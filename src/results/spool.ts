import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createPreviewTap, type Preview } from './preview.ts';

/**
 * A 1 MB buffer lets the download run on while the disk catches up; the 16 KB default stalled
 * the network read on every write, and 256 KB was slower without saving memory (bench/csv-relay).
 */
const SPOOL_BUFFER_BYTES = 1024 * 1024;

export interface Spooled extends Preview {
  /** The CSV exactly as Alation sent it, on disk. */
  path: string;
  bytes: number;
  remove(): Promise<void>;
}

/**
 * Writes a CSV stream of unknown length to a temporary file, reading a preview on the way.
 * Slack's upload needs the length before the bytes, and a result can be 16 MB: spooling keeps
 * memory flat whatever the size.
 */
export async function spoolCsv(
  body: NodeJS.ReadableStream,
  options: { previewRows: number; signal?: AbortSignal },
): Promise<Spooled> {
  const dir = await mkdtemp(path.join(tmpdir(), 'alation-result-'));
  const file = path.join(dir, 'result.csv');
  const remove = () => rm(dir, { recursive: true, force: true });
  const preview = createPreviewTap(options.previewRows);
  try {
    await pipeline(
      body,
      preview.tap,
      createWriteStream(file, { highWaterMark: SPOOL_BUFFER_BYTES }),
      options.signal ? { signal: options.signal } : {},
    );
    return { path: file, bytes: preview.bytes(), ...(await preview.preview()), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

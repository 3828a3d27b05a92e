import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { request } from 'undici';

type Client = AllMiddlewareArgs['client'];

export interface Upload {
  channelId: string;
  threadTs?: string | undefined;
  filename: string;
  title: string;
  /** Bytes in memory (small files), a file on disk, or a stream whose length is known. */
  content:
    | { bytes: Buffer }
    | { path: string; length: number }
    | { stream: Readable; length: number };
  /** Text posted with the file; ignored by Slack when `blocks` is given. */
  initialComment?: string;
  /**
   * A Block Kit message shared together with the file; a function is called once the bytes are
   * uploaded (a preview read from a stream is only complete then).
   */
  blocks?: KnownBlock[] | (() => Promise<KnownBlock[]>);
}

/**
 * Slack's upload: reserve a URL for a known length, stream the bytes there, then share the file
 * into the channel (optionally in a thread, with a message). files.upload is retired, and the
 * SDK's filesUploadV2 would read a stream whole into memory.
 */
export async function uploadFile(client: Client, upload: Upload): Promise<{ fileId: string }> {
  const length = 'bytes' in upload.content ? upload.content.bytes.length : upload.content.length;
  const reserved = await client.files.getUploadURLExternal({ filename: upload.filename, length });
  if (!reserved.upload_url || !reserved.file_id) throw new Error('Slack gave no upload URL');
  const res = await request(reserved.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
    body:
      'bytes' in upload.content
        ? upload.content.bytes
        : 'stream' in upload.content
          ? upload.content.stream
          : createReadStream(upload.content.path),
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`Slack refused the upload (HTTP ${res.statusCode})`);
  const message = typeof upload.blocks === 'function' ? await upload.blocks() : upload.blocks;
  await client.files.completeUploadExternal({
    files: [{ id: reserved.file_id, title: upload.title }],
    channel_id: upload.channelId,
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
    ...(message
      ? { blocks: message }
      : upload.initialComment
        ? { initial_comment: upload.initialComment }
        : {}),
  });
  return { fileId: reserved.file_id };
}

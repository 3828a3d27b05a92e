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
  /** Read out for an image (Slack's `alt_txt`). */
  altText?: string | undefined;
  /** Text posted with the file; ignored by Slack when `blocks` is given. */
  initialComment?: string;
  /**
   * A Block Kit message shared together with the file; a function is called once the bytes are
   * uploaded (a preview read from a stream is only complete then).
   */
  blocks?: KnownBlock[] | (() => Promise<KnownBlock[]>);
  /**
   * More files shared in the same message (a chart beside a CSV), asked for once the main bytes
   * are uploaded, so they can be made from the same stream.
   */
  extraFiles?: () => Promise<ExtraFile[]>;
}

/** A small file held in memory, such as a chart's PNG; `altText` is read out for images. */
export interface ExtraFile {
  filename: string;
  title: string;
  bytes: Buffer;
  altText?: string | undefined;
}

/** Slack's limit for `alt_txt`. */
const ALT_TEXT_MAX = 1_000;

/** Reserves an upload URL and sends the bytes there; the file is not shared yet. */
async function sendBytes(
  client: Client,
  file: { filename: string; length: number; altText?: string | undefined },
  body: Buffer | Readable,
): Promise<string> {
  const reserved = await client.files.getUploadURLExternal({
    filename: file.filename,
    length: file.length,
    // Slack's documented argument is alt_txt (the SDK's type calls it alt_text).
    ...(file.altText ? { alt_txt: [...file.altText].slice(0, ALT_TEXT_MAX).join('') } : {}),
  } as Parameters<Client['files']['getUploadURLExternal']>[0]);
  if (!reserved.upload_url || !reserved.file_id) throw new Error('Slack gave no upload URL');
  const res = await request(reserved.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.length) },
    body,
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`Slack refused the upload (HTTP ${res.statusCode})`);
  return reserved.file_id;
}

/**
 * Slack's upload: reserve a URL for a known length, stream the bytes there, then share the file
 * into the channel (optionally in a thread, with a message). files.upload is retired, and the
 * SDK's filesUploadV2 would read a stream whole into memory.
 */
export async function uploadFile(client: Client, upload: Upload): Promise<{ fileId: string }> {
  const length = 'bytes' in upload.content ? upload.content.bytes.length : upload.content.length;
  const fileId = await sendBytes(
    client,
    { filename: upload.filename, length, altText: upload.altText },
    'bytes' in upload.content
      ? upload.content.bytes
      : 'stream' in upload.content
        ? upload.content.stream
        : createReadStream(upload.content.path),
  );
  const files = [{ id: fileId, title: upload.title }];
  for (const extra of (await upload.extraFiles?.()) ?? []) {
    // An extra file is a bonus: the main one is shared without it rather than not at all.
    const id = await sendBytes(
      client,
      { filename: extra.filename, length: extra.bytes.length, altText: extra.altText },
      extra.bytes,
    ).catch(() => undefined);
    if (id) files.push({ id, title: extra.title });
  }
  const message = typeof upload.blocks === 'function' ? await upload.blocks() : upload.blocks;
  await client.files.completeUploadExternal({
    files: files as [(typeof files)[0], ...typeof files],
    channel_id: upload.channelId,
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
    ...(message
      ? { blocks: message }
      : upload.initialComment
        ? { initial_comment: upload.initialComment }
        : {}),
  });
  return { fileId };
}

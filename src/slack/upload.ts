import type { AllMiddlewareArgs } from '@slack/bolt';
import { request } from 'undici';

type Client = AllMiddlewareArgs['client'];

export interface Upload {
  channelId: string;
  threadTs?: string | undefined;
  filename: string;
  title: string;
  bytes: Buffer;
  initialComment?: string;
}

/**
 * Slack's upload: reserve a URL, send the bytes there, then share the file into the channel.
 * (files.upload is retired; the SDK's filesUploadV2 would buffer a stream anyway.)
 */
export async function uploadFile(client: Client, upload: Upload): Promise<void> {
  const reserved = await client.files.getUploadURLExternal({
    filename: upload.filename,
    length: upload.bytes.length,
  });
  if (!reserved.upload_url || !reserved.file_id) throw new Error('Slack gave no upload URL');
  const res = await request(reserved.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: upload.bytes,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`Slack refused the upload (HTTP ${res.statusCode})`);
  await client.files.completeUploadExternal({
    files: [{ id: reserved.file_id, title: upload.title }],
    channel_id: upload.channelId,
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
    ...(upload.initialComment ? { initial_comment: upload.initialComment } : {}),
  });
}

import { createReadStream } from 'node:fs';
import { pipeline, type Readable, type Transform } from 'node:stream';
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { StreamResponse } from '../client/http.ts';
import { type ExtraFile, type Upload, uploadFile } from '../slack/upload.ts';
import type { SlackMessage } from '../views/help.ts';
import { coalesce } from './coalesce.ts';
import { paced } from './pace.ts';
import { createPreviewTap, type Preview } from './preview.ts';
import { spoolCsv } from './spool.ts';

const PREVIEW_ROWS = 10;
/** 512 KB reads: a 2 MB result in 4 reads and socket writes instead of 32 (bench/ack --busy). */
const READ_BACK_BYTES = 512 * 1024;
/** Chunks of the download as they pass the preview, a chart tap and the spool or upload. */
const RELAY_CHUNK_BYTES = 512 * 1024;

type Client = AllMiddlewareArgs['client'];
export type RelayTarget = Pick<Upload, 'channelId' | 'threadTs' | 'filename' | 'title'>;
/** The message shared with the file, from the preview and the size. */
export type Render = (preview: Preview, bytes: number) => SlackMessage;
export type Shared = { ok: true } | { ok: false; slackError: string };
/** Reads the same bytes on their way (a chart) and adds files to the same message. */
export interface RelayTap {
  transform: Transform;
  files(): Promise<ExtraFile[]>;
}

/**
 * A result CSV from Alation into a Slack channel, with a preview message. With a stated length
 * the bytes go straight through in one pass; without, they are spooled to disk first, because
 * Slack wants the length before the bytes. Memory stays bounded either way.
 */
export function relayCsv(
  client: Client,
  target: RelayTarget,
  csv: StreamResponse,
  render: Render,
  tap?: RelayTap,
): Promise<Shared> {
  const length = knownLength(csv.headers);
  // Big chunks from here on: every stage below costs the event loop per chunk (coalesce.ts).
  // A break upstream destroys what follows with it, and the relay's own pipeline sees that.
  const joined = pipeline(csv.body, coalesce(RELAY_CHUNK_BYTES), () => {});
  const body = tap ? pipeline(joined, tap.transform, () => {}) : joined;
  return length
    ? relayDirect(client, target, body, length, render, tap)
    : relaySpooled(client, target, body, render, tap);
}

/**
 * The CSV's length when Alation states it for the bytes as they arrive; a Content-Encoding
 * means the stated length is of the compressed bytes, so it does not count.
 */
export function knownLength(
  headers: Record<string, string | string[] | undefined>,
): number | undefined {
  if (headers['content-encoding'] && headers['content-encoding'] !== 'identity') return undefined;
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Slack errors that mean "not here", which inviting the bot (or another channel) fixes. */
const CHANNEL_REFUSALS = new Set([
  'not_in_channel',
  'channel_not_found',
  'invalid_channel',
  'is_archived',
  'restricted_action',
]);

/**
 * A stream closed before its end was cut off by something else (the upload giving up, undici
 * having read the stated length); it is what broke that says what happened.
 */
function isPrematureClose(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** A refusal of the conversation is reported as such; anything else goes up as a failure. */
function refusal(error: unknown): Shared {
  const slackError = (error as { data?: { error?: string } }).data?.error;
  if (slackError && CHANNEL_REFUSALS.has(slackError)) return { ok: false, slackError };
  throw error;
}

/** Length known: one pass, Alation's stream straight into Slack's upload, preview on the way. */
async function relayDirect(
  client: AllMiddlewareArgs['client'],
  target: RelayTarget,
  body: Readable,
  length: number,
  render: Render,
  tap: RelayTap | undefined,
): Promise<Shared> {
  const preview = createPreviewTap(PREVIEW_ROWS);
  // pipeline (not .pipe) so a break in Alation's stream destroys what Slack is reading.
  let streamError: unknown;
  const stream = pipeline(body, preview.tap, (error) => {
    if (!isPrematureClose(error)) streamError ??= error ?? undefined;
  });
  try {
    await uploadFile(client, {
      ...target,
      content: { stream, length },
      blocks: async () => render(await preview.preview(), length).blocks,
      ...(tap ? { extraFiles: tap.files } : {}),
    });
    return { ok: true };
  } catch (error) {
    stream.destroy();
    // The upload fails with undici's own words; the stream's error says what really broke.
    return refusal(streamError ?? error);
  }
}

/** Length unknown: spool to disk (reading the preview), then upload the file. */
async function relaySpooled(
  client: AllMiddlewareArgs['client'],
  target: RelayTarget,
  body: Readable,
  render: Render,
  tap: RelayTap | undefined,
): Promise<Shared> {
  const spooled = await spoolCsv(body, { previewRows: PREVIEW_ROWS });
  // Read back in big chunks (fewer reads and socket writes), paced as it was written.
  let streamError: unknown;
  const file = createReadStream(spooled.path, { highWaterMark: READ_BACK_BYTES });
  const stream = pipeline(file, paced(), (error) => {
    if (!isPrematureClose(error)) streamError ??= error ?? undefined;
  });
  try {
    await uploadFile(client, {
      ...target,
      content: { stream, length: spooled.bytes },
      blocks: render(spooled, spooled.bytes).blocks,
      ...(tap ? { extraFiles: tap.files } : {}),
    });
    return { ok: true };
  } catch (error) {
    stream.destroy();
    return refusal(streamError ?? error);
  } finally {
    await spooled.remove();
  }
}

/**
 * One relay of a result CSV from the Alation emulator to the Slack emulator's upload URL, in a
 * process of its own so its peak memory is its own. argv: <bot|bot-direct|plain> <json config>.
 * Prints {ms, rssGrowthMB, bytes}.
 */
import { webApi } from '@slack/bolt';
import { Agent, request } from 'undici';
import { createAlationClient } from '../src/client/alation.ts';
import { createHttp } from '../src/client/http.ts';
import { relayCsv } from '../src/results/relay.ts';
import { buildResultMessage } from '../src/views/result.ts';

const [mode, raw] = process.argv.slice(2) as ['bot' | 'bot-direct' | 'plain', string];
const cfg = JSON.parse(raw) as {
  alationUrl: string;
  slackApiUrl: string;
  botToken: string;
  accessToken: string;
  resultId: number;
  /** A small result relayed first, so code and connection pools are warm as in a running bot. */
  warmResultId: number;
  warmBytes: number;
  bytes: number;
  channelId: string;
};
const client = new webApi.WebClient(cfg.botToken, { slackApiUrl: cfg.slackApiUrl });
async function relay(resultId: number, length: number): Promise<number> {
  if (mode !== 'plain') {
    // The bot's own code path: the client's stream, relayCsv (direct when Alation states the
    // length, spooled otherwise), the preview and the message that goes with the file.
    const csv = await alation.queries.resultCsv(resultId);
    let sent = 0;
    const shared = await relayCsv(
      client,
      { channelId: cfg.channelId, threadTs: undefined, filename: 'result.csv', title: 'result' },
      csv,
      (preview, bytes) => {
        sent = bytes;
        return buildResultMessage(
          {
            kind: 'ready',
            resultId,
            truncated: false,
            previewOnly: false,
            rowCount: undefined,
            expiresAt: undefined,
            executedAt: undefined,
            secondsTaken: undefined,
          },
          { ...preview, bytes, filename: 'result.csv' },
          {
            queryId: 1,
            title: 'bench',
            queryUrl: 'https://a/q/1/',
            composeUrl: 'https://a/c/1/',
            now: new Date(),
            zone: 'UTC',
          },
        );
      },
    );
    if (!shared.ok) throw new Error(shared.slackError);
    return sent;
  }
  // The least a relay can do: one stream from Alation piped into Slack's upload URL, with the
  // length known in advance (the bot has to learn it by spooling).
  const reserved = await client.files.getUploadURLExternal({ filename: 'result.csv', length });
  const csv = await request(`${cfg.alationUrl}/integration/v1/result/${resultId}/csv/`, {
    dispatcher: agent,
    headers: { TOKEN: cfg.accessToken },
  });
  const res = await request(reserved.upload_url ?? '', {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
    body: csv.body,
  });
  await res.body.dump();
  await client.files.completeUploadExternal({
    files: [{ id: reserved.file_id ?? '', title: 'result' }],
    channel_id: cfg.channelId,
  });
  return length;
}

const agent = new Agent();
const http = createHttp({ baseUrl: cfg.alationUrl, service: 'Alation' });
const alation = createAlationClient({
  http,
  credentials: { current: async () => cfg.accessToken, refresh: async () => cfg.accessToken },
});
await relay(cfg.warmResultId, cfg.warmBytes);
global.gc?.();
const rssBefore = process.memoryUsage.rss();
let peak = rssBefore;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 2);
const started = performance.now();
const bytes = await relay(cfg.resultId, cfg.bytes);
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(
  `${JSON.stringify({ ms, rssGrowthMB: (peak - rssBefore) / 1024 / 1024, bytes })}\n`,
);

// A plain (or personal) query-result digest saved straight to the store: no CSV, no chart,
// daily at 09:00 UTC.
// For tests about who posts it, when and with which token, not about the digest form.
import type { Owner } from '../../src/store/credentials.ts';
import type { Digest } from '../../src/store/digests.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import type { TestBot } from './bot.ts';

export function createQueryDigest(
  t: Pick<TestBot, 'features'>,
  input: {
    owner: Owner;
    queryId: number;
    name: string;
    channelId?: string;
    /** When it was saved: its first slot is the next 09:00 after this. Default a day ago. */
    since?: Date;
    /** Delivered to each subscriber as themselves (a personal digest). */
    personal?: boolean;
  },
): Promise<Digest> {
  return t.features.digests.create(
    {
      owner: input.owner,
      channelId: input.channelId ?? SLACK_DEFAULTS.channelId,
      name: input.name,
      params: {
        kind: 'query_result',
        queryId: input.queryId,
        attachCsv: false,
        onlyIfChanged: false,
        includeChart: false,
        ...(input.personal ? { personal: true } : {}),
      },
      cron: '0 9 * * *',
      tz: 'UTC',
    },
    input.since ?? new Date(Date.now() - 86_400_000),
  );
}

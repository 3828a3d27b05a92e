// The new rows of a new-rows alert as a CSV, shared in the card's thread when there are more
// than the card shows (at most NEW_ROWS_KEPT, said in the file's title when cut).
import type { AllMiddlewareArgs } from '@slack/bolt';
import { uploadFile } from '../slack/upload.ts';
import { NEW_ROWS_KEPT } from './measure.ts';

type Client = AllMiddlewareArgs['client'];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvText(header: string[], rows: string[][]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows]
    .map((r) => r.map(field).join(','))
    .join('\r\n')
    .concat('\r\n');
}

export async function shareNewRows(
  client: Client,
  where: { channelId: string; threadTs: string },
  found: { header: string[]; rows: string[][]; total: number; queryId: number },
): Promise<void> {
  const cut = found.total > found.rows.length;
  await uploadFile(client, {
    channelId: where.channelId,
    threadTs: where.threadTs,
    filename: `query_${found.queryId}_new_rows.csv`,
    title: cut
      ? `The first ${NEW_ROWS_KEPT.toLocaleString('en-US')} of ${found.total.toLocaleString('en-US')} new rows`
      : `${found.total.toLocaleString('en-US')} new rows`,
    content: { bytes: Buffer.from(csvText(found.header, found.rows)) },
  });
}

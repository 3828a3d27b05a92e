// files.*: the external upload (slack/files.ts).
import { describe, expect, it } from 'vitest';
import { slackError, useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('files', () => {
  it('runs the three-step external upload and shares the file in a thread', async () => {
    const parent = await t.client.chat.postMessage({
      channel: SLACK_DEFAULTS.channelId,
      text: 'query results',
    });
    const csv = Buffer.from('name,value\nÄpfel,1\n', 'utf8');
    const ticket = await t.client.files.getUploadURLExternal({
      filename: 'result.csv',
      length: csv.length,
    });
    expect(ticket).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/) });
    expect(ticket.upload_url?.startsWith(t.emu.url)).toBe(true);

    const upload = await fetch(ticket.upload_url as string, { method: 'POST', body: csv });
    expect(upload.status).toBe(200);
    expect(await upload.text()).toBe(`OK - ${csv.length}`);

    const done = await t.client.files.completeUploadExternal({
      files: [{ id: ticket.file_id as string, title: 'Query result' }],
      channel_id: SLACK_DEFAULTS.channelId,
      thread_ts: parent.ts as string,
      initial_comment: 'Here you go',
    });
    expect(done.files?.[0]).toMatchObject({
      id: ticket.file_id,
      name: 'result.csv',
      title: 'Query result',
      mimetype: 'text/csv',
      size: csv.length,
    });
    expect(t.emu.callsTo('files.completeUploadExternal')[0]?.args.files).toEqual([
      { id: ticket.file_id, title: 'Query result' },
    ]);
    const record = t.emu.uploads.get(ticket.file_id as string);
    expect(record?.bytes?.equals(csv)).toBe(true);
    expect(record?.completed).toMatchObject({
      channel_id: SLACK_DEFAULTS.channelId,
      thread_ts: parent.ts,
      initial_comment: 'Here you go',
      title: 'Query result',
    });
    const shared = t.emu.thread(SLACK_DEFAULTS.channelId, parent.ts as string);
    expect(shared).toMatchObject([
      { text: 'Here you go', files: [{ id: ticket.file_id, name: 'result.csv' }] },
    ]);

    const download = await fetch(done.files?.[0]?.url_private as string, {
      headers: { authorization: `Bearer ${t.emu.botToken}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(csv)).toBe(true);
  });

  it("accepts WebClient's own multipart upload (filesUploadV2)", async () => {
    const res = await t.client.filesUploadV2({
      channel_id: SLACK_DEFAULTS.channelId,
      filename: 'tables.csv',
      content: 'a,b\n1,2\n',
      title: 'Tables',
    });
    expect(res.ok).toBe(true);
    const [record] = [...t.emu.uploads.values()];
    expect(record?.bytes?.toString()).toBe('a,b\n1,2\n');
    expect(record?.completed).toMatchObject({
      channel_id: SLACK_DEFAULTS.channelId,
      title: 'Tables',
    });
  });

  it('refuses to complete a file whose bytes never arrived or do not match the declared length', async () => {
    const neverSent = await t.client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
    expect(
      await slackError(
        t.client.files.completeUploadExternal({ files: [{ id: neverSent.file_id as string }] }),
      ),
    ).toBe('file_not_found');
    const short = await t.client.files.getUploadURLExternal({ filename: 'b.csv', length: 10 });
    await fetch(short.upload_url as string, { method: 'POST', body: 'abc' });
    expect(
      await slackError(
        t.client.files.completeUploadExternal({ files: [{ id: short.file_id as string }] }),
      ),
    ).toBe('invalid_arguments');
    expect(
      await slackError(t.client.files.getUploadURLExternal({ filename: 'c.csv' } as never)),
    ).toBe('invalid_arguments');
  });
});

// Failures that used to show the person nothing: every one now ends in the app's one failure
// message, where the person pressed or typed, or in their DM when Slack gave no response_url.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openDigestForm, submitDigestForm } from '../support/digest-form.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown> & { id: string };
let t: TestBot;
let queryId: number;
beforeEach(async () => {
  t = await startTestBot({ jobs: {} });
  await t.connectAlation(DEFAULT_OWNER, 7);
  queryId = t.alation.addQuery({
    datasourceId: t.alation.addDataSource().id,
    content: 'SELECT 1',
  }).id;
});
afterEach(() => t.stop());

const outage = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

function createDigest() {
  return t.features.digests.create(
    {
      owner: DEFAULT_OWNER,
      channelId: SLACK_DEFAULTS.channelId,
      name: 'Morning sales',
      params: { kind: 'query_result', queryId, attachCsv: false, onlyIfChanged: false },
      cron: '0 9 * * 1-5',
      tz: 'Europe/Berlin',
    },
    new Date(),
  );
}

const failureText = /could not|went wrong|try again/i;

describe('digest-list buttons when storage fails', () => {
  it.each(['digest_run_now', 'digest_pause', 'digest_resume', 'digest_delete', 'digest_edit'])(
    '%s answers with the failure message where it was pressed',
    async (actionId) => {
      const digest = await createDigest();
      t.features.digests.get = outage;
      const responseUrl = t.slack.responseUrl();
      const ack = await blockAction(t.target, {
        actions: [{ action_id: actionId, value: digest.id }],
        response_url: responseUrl,
      });
      expect(ack.status).toBe(200);
      const reply = await nextResponse(t, responseUrl);
      expect(textOf(reply)).toMatch(failureText);
      expect(JSON.stringify(reply)).not.toContain('ECONNREFUSED 127.0.0.1');
    },
  );

  it('a button on the App Home (no response_url) sends the failure as a DM, never a TypeError', async () => {
    const digest = await createDigest();
    t.features.digests.get = outage;
    await blockAction(t.target, {
      actions: [{ action_id: 'digest_pause', value: digest.id }],
      view: { id: 'V0HOME0001', type: 'home' },
    });
    const [dm] = await t.slack.waitFor('chat.postMessage', {
      where: (c) => c.args.channel === DEFAULT_OWNER.userId,
    });
    expect(textOf(dm?.args)).toMatch(failureText);
    expect(
      t
        .logs()
        .some((l) =>
          String(l.err && (l.err as Json).message).includes('respond is not a function'),
        ),
    ).toBe(false);
  });

  it('paging on the App Home refreshes the Home instead of throwing', async () => {
    await createDigest();
    await blockAction(t.target, {
      actions: [{ action_id: 'digest_page_next', value: '15' }],
      view: { id: 'V0HOME0001', type: 'home' },
    });
    await t.slack.waitFor('views.publish');
  });
});

describe('logout when storage fails', () => {
  it('says it could not log you out instead of nothing', async () => {
    t.features.credentials.remove = outage;
    const responseUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: 'logout', response_url: responseUrl });
    const reply = await nextResponse(t, responseUrl);
    expect(textOf(reply)).toMatch(failureText);
  });
});

describe('saving a digest while storage cannot say whether Mode is connected', () => {
  it('says the check failed and to try again, not "connect it first"', async () => {
    const { view } = await openDigestForm(t);
    t.features.credentials.load = outage;
    const ack = await submitDigestForm(t, view, { query: String(queryId) });
    expect(ack.status).toBe(200);
    const errors = JSON.stringify((ack.body as { errors?: unknown }).errors);
    expect(errors).toContain('could not check');
    expect(errors).not.toContain('connect it first');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { testDatabases } from '../support/databases.ts';
import { leakForms, openedView, textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
afterEach(() => t.stop());

const SQL = 'SELECT region, sum(amount)\nFROM sales\nGROUP BY 1;';

function seedQuery(bot: TestBot, content = SQL) {
  const source = bot.alation.addDataSource({ title: 'Warehouse' });
  return bot.alation.addQuery({ datasourceId: source.id, title: 'Sales by region', content });
}

/** The real connect flow: slash command → modal → submit. */
async function loginThroughModal(bot: TestBot, alationUserId: number) {
  const { refreshToken } = bot.alation.addUser({ id: alationUserId });
  await slashCommand(bot.target, { text: 'login' });
  const view = await openedView(bot, 'alation_login');
  const ack = await viewSubmission(bot.target, {
    view: {
      ...view,
      state: {
        values: {
          alation_user_id: { value: String(alationUserId) },
          alation_refresh_token: { value: refreshToken },
        },
      },
    },
  });
  expect(ack.raw).toBe('');
  return { refreshToken };
}

async function sql(bot: TestBot, args: string, who: Parameters<typeof slashCommand>[1] = {}) {
  const responseUrl = bot.slack.responseUrl();
  const ack = await slashCommand(bot.target, {
    text: `sql ${args}`,
    response_url: responseUrl,
    ...who,
  });
  expect(ack.status).toBe(200);
  return nextResponse(bot, responseUrl);
}

const sqlRequests = (bot: TestBot, id: number) =>
  bot.alation.requestsTo('GET', `/integration/v1/query/${id}/sql/`);

describe('every call carries the asking user’s own credentials', () => {
  it('uses the token minted when the user connected, for that user only', async () => {
    t = await startTestBot();
    const query = seedQuery(t);
    await loginThroughModal(t, 7);
    // Login minted exactly one access token for user 7.
    const accessTokens = [...t.alation.state.accessTokens.keys()];
    expect(accessTokens).toHaveLength(1);

    const reply = await sql(t, String(query.id));
    expect(reply.response_type).toBe('in_channel');
    expect(textOf(reply)).toContain('```SELECT region, sum(amount)\nFROM sales\nGROUP BY 1;```');
    const [request] = sqlRequests(t, query.id);
    expect(request?.userId).toBe(7);
    expect(request?.headers.token).toBe(accessTokens[0]);
    // The token that login minted is reused, not a new one per command.
    expect(t.alation.requestsTo('POST', '/integration/v1/createAPIAccessToken/')).toHaveLength(1);
  });

  it('acts as the second user when the second user asks', async () => {
    t = await startTestBot();
    const query = seedQuery(t);
    t.slack.addUser({ id: 'U0USER0002', name: 'bob', tz: 'America/New_York' });
    await t.connectAlation(DEFAULT_OWNER, 7);
    await t.connectAlation({ tenantId: DEFAULT_OWNER.tenantId, userId: 'U0USER0002' }, 8);

    await sql(t, String(query.id));
    await sql(t, String(query.id), { user_id: 'U0USER0002', user_name: 'bob' });
    const [first, second] = sqlRequests(t, query.id);
    expect(first?.userId).toBe(7);
    expect(second?.userId).toBe(8);
    expect(first?.headers.token).not.toBe(second?.headers.token);
  });

  it('gives a same-id user of another workspace nothing of the first one’s', async () => {
    t = await startTestBot();
    const query = seedQuery(t);
    await t.connectAlation(DEFAULT_OWNER, 7);
    const reply = await sql(t, String(query.id), { team_id: 'T0OTHER0001', team_domain: 'other' });
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('Connect your Alation account first');
    expect(reply.blocks).toContainEqual(
      expect.objectContaining({
        type: 'actions',
        elements: [expect.objectContaining({ action_id: 'alation_connect' })],
      }),
    );
    expect(sqlRequests(t, query.id)).toEqual([]);
  });

  it('mints once and retries once when the access token has expired', async () => {
    t = await startTestBot();
    const query = seedQuery(t);
    await t.connectAlation(DEFAULT_OWNER, 7);
    await sql(t, String(query.id));
    const mintsBefore = t.alation.requestsTo(
      'POST',
      '/integration/v1/createAPIAccessToken/',
    ).length;
    const [used] = sqlRequests(t, query.id);
    t.alation.expireAccessToken(String(used?.headers.token));

    const reply = await sql(t, String(query.id));
    expect(reply.response_type).toBe('in_channel');
    const mints = t.alation.requestsTo('POST', '/integration/v1/createAPIAccessToken/');
    expect(mints).toHaveLength(mintsBefore + 1);
    const calls = sqlRequests(t, query.id).slice(1);
    expect(calls.map((r) => r.userId)).toEqual([null, 7]);
    expect(calls[1]?.headers.token).not.toBe(used?.headers.token);
  });

  it('asks the user to reconnect, with a button, when the refresh token was revoked', async () => {
    t = await startTestBot();
    const query = seedQuery(t);
    await t.connectAlation(DEFAULT_OWNER, 7);
    await sql(t, String(query.id));
    const [used] = sqlRequests(t, query.id);
    t.alation.revokeRefreshToken(7);
    t.alation.expireAccessToken(String(used?.headers.token));

    const reply = await sql(t, String(query.id));
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('Reconnect your Alation account');
    expect(textOf(reply)).toContain('Alation no longer accepts your refresh token');
    expect(textOf(reply)).not.toMatch(/\bat .*\.ts:\d+/);
    expect(reply.blocks).toContainEqual(
      expect.objectContaining({
        elements: [
          expect.objectContaining({
            action_id: 'alation_connect',
            text: expect.objectContaining({ text: 'Reconnect Alation' }),
          }),
        ],
      }),
    );
    const [row] = await t.db.query<{ status: string; status_reason: string }>(
      'SELECT status, status_reason FROM credentials',
    );
    expect(row).toEqual({ status: 'reconnect', status_reason: 'refresh_token_invalid' });

    // Pressing Reconnect opens the login modal again.
    await blockAction(t.target, { actions: [{ action_id: 'alation_connect', value: 'alation' }] });
    await openedView(t, 'alation_login');
  });
});

describe.each(testDatabases())('no secret in plain text on $name', (database) => {
  it('keeps every token and secret out of every column of every table, and out of the logs', async () => {
    t = await startTestBot({ database });
    const query = seedQuery(t);
    const { refreshToken } = await loginThroughModal(t, 7);
    await sql(t, String(query.id));
    t.mode.addWorkspace('acme', { name: 'Acme Analytics' });
    const mode = t.mode.addApiToken({ workspaces: ['acme'] });
    await slashCommand(t.target, { text: 'mode login' });
    const view = await openedView(t, 'mode_login');
    const ack = await viewSubmission(t.target, {
      view: {
        ...view,
        state: {
          values: {
            mode_workspace: { value: 'acme' },
            mode_token: { value: mode.token },
            mode_secret: { value: mode.secret },
          },
        },
      },
    });
    expect(ack.raw).toBe('');
    const accessTokens = [...t.alation.state.accessTokens.keys()];
    expect(accessTokens.length).toBeGreaterThan(0);

    const tables = await t.db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['credentials', 'oauth_states', 'app_meta', 'schema_migrations']),
    );
    const rows: string[] = [];
    for (const { table_schema, table_name } of tables) {
      const dump = await t.db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${table_schema}"."${table_name}" t`,
      );
      rows.push(...dump.map((r) => r.row));
    }
    const everything = rows.join('\n');
    expect(everything).toContain('"provider":"mode"');
    for (const secret of [refreshToken, ...accessTokens, mode.token, mode.secret]) {
      for (const form of leakForms(secret)) {
        expect(everything).not.toContain(form);
        expect(t.rawLogs()).not.toContain(form);
      }
    }
  });
});

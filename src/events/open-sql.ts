// Message shortcut "Open SQL in Alation Compose": SQL from any message, a data source picked in a
// small form, and a link that opens it in Compose through the documented browser import endpoint.
import { randomUUID } from 'node:crypto';
import type { App, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../auth/owner.ts';
import { composeImportUrl, composeUrl } from '../client/alation/links.ts';
import type { Features } from '../features.ts';
import { requestContext } from '../middleware/request-context.ts';
import { reportFailure } from '../slack/failure.ts';
import { readMetadata } from '../slack/modal-submission.ts';
import { postToResponseUrl } from '../slack/reply.ts';
import type { SlackMessage } from '../views/help.ts';
import {
  ACTION_OPEN_SQL_LINK,
  BLOCK_OPEN_SQL_DATASOURCE,
  buildOpenSqlLinkModal,
  buildOpenSqlModal,
  buildOpenSqlNoticeModal,
  NO_SQL_MESSAGE,
  OPEN_SQL_INPUT,
  SHORTCUT_OPEN_SQL,
  VIEW_OPEN_SQL,
} from '../views/open-sql.ts';

/**
 * Slack refuses a button URL longer than 3000 characters, so longer links cannot be given at
 * all; that SQL goes into a draft query instead, whose link is short.
 */
export const MAX_LINK_LENGTH = 3000;

const SQL_START =
  /^(?:select|with|insert|update|delete|merge|create|alter|drop|truncate|explain|show|describe|desc|call|values|grant|revoke|use|copy|unload)\b/i;

/**
 * The SQL in a message: the first ``` code block, else the whole text when it reads as a SQL
 * statement. Slack escapes `&`, `<` and `>` in message text; the SQL needs them back.
 */
export function sqlIn(text: string): string | undefined {
  const decoded = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const block = /```([\s\S]*?)```/.exec(decoded);
  if (block) return block[1]?.trim() || undefined;
  const whole = decoded.trim();
  return SQL_START.test(whole) ? whole : undefined;
}

interface Pending {
  nonce: string;
  sql: string;
}

interface Metadata {
  nonce: string;
  responseUrl?: string;
}

const metadataSchema = z.object({ nonce: z.string(), responseUrl: z.string().optional() });

const isPending = (v: unknown): v is Pending =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Pending).nonce === 'string' &&
  typeof (v as Pending).sql === 'string';

export interface OpenSqlDeps {
  features(): Promise<Features>;
  alationBaseUrl: string;
}

export function registerOpenSql(app: App, deps: OpenSqlDeps): void {
  const tooLong = (sql: string) =>
    // The largest id keeps the check honest whatever data source is picked later.
    composeImportUrl(deps.alationBaseUrl, 999_999_999_999, sql).length > MAX_LINK_LENGTH;

  app.shortcut(SHORTCUT_OPEN_SQL, async ({ ack, shortcut, client, respond, context }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const log = requestContext(context).log;
    const sql = sqlIn(shortcut.message.text ?? '');
    if (!sql) {
      await respond({ response_type: 'ephemeral', text: NO_SQL_MESSAGE });
      return;
    }
    const owner = ownerOf(shortcut);
    try {
      const features = await deps.features();
      // Long SQL becomes a draft query created as the person; say so now, not after the form.
      if (tooLong(sql)) await features.requireAlation(owner);
      const last = await features.prefs.get(owner, 'query.last_datasource_id');
      // The SQL can be far larger than a modal's private_metadata (3000 characters), so it
      // waits in the person's preferences; the nonce ties it to this one form.
      const nonce = randomUUID();
      await features.prefs.set(owner, 'compose.pending_sql', { nonce, sql } satisfies Pending);
      const metadata: Metadata = { nonce, responseUrl: shortcut.response_url };
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: buildOpenSqlModal({
          sql,
          datasourceId: typeof last === 'number' && Number.isInteger(last) ? last : undefined,
          privateMetadata: JSON.stringify(metadata),
        }),
      });
    } catch (error) {
      await reportFailure(error, respond, log, 'open that SQL in Compose');
    }
  });

  app.action(ACTION_OPEN_SQL_LINK, async ({ ack }) => {
    await ack();
  });

  app.view(VIEW_OPEN_SQL, async ({ ack, body, view, client, context }) => {
    const log = requestContext(context).log;
    const owner = ownerOf(body);
    const raw = view.state.values[BLOCK_OPEN_SQL_DATASOURCE]?.[OPEN_SQL_INPUT]?.value ?? '';
    const datasourceId = /^\d{1,12}$/.test(raw.trim()) ? Number(raw.trim()) : 0;
    if (datasourceId < 1) {
      await ack({
        response_action: 'errors',
        errors: {
          [BLOCK_OPEN_SQL_DATASOURCE]: 'Enter the data source’s ID, a whole number such as 3.',
        },
      });
      return;
    }
    // No nonce reads as out of date: it never matches the pending SQL's.
    const metadata: Metadata = readMetadata(view.private_metadata, metadataSchema, { nonce: '' });
    const features = await deps.features();
    const pending = await features.prefs.get(owner, 'compose.pending_sql');
    if (!isPending(pending) || pending.nonce !== metadata.nonce) {
      await ack({
        response_action: 'update',
        view: buildOpenSqlNoticeModal({
          text: 'This form is out of date (the shortcut was used again since). Use *Open SQL in Alation Compose* on the message once more.',
          blocks: [],
        }),
      });
      return;
    }
    const { sql } = pending;
    const url = composeImportUrl(deps.alationBaseUrl, datasourceId, sql);
    if (url.length <= MAX_LINK_LENGTH) {
      await ack({ response_action: 'update', view: buildOpenSqlLinkModal({ url, datasourceId }) });
      await remember(features, owner, datasourceId, log);
      return;
    }
    // Creating the draft can outlast Slack's 3-second window: show progress, then the link.
    await ack({
      response_action: 'update',
      view: buildOpenSqlNoticeModal({
        text: ':hourglass_flowing_sand: The SQL is too long for a link; creating a draft query in Alation…',
        blocks: [],
      }),
    });
    const update = (message: SlackMessage) =>
      client.views.update({ view_id: view.id, view: buildOpenSqlNoticeModal(message) });
    const show = async (message: string | Partial<SlackMessage>) => {
      const m = typeof message === 'string' ? { text: message } : message;
      await update({ text: m.text ?? '', blocks: m.blocks ?? [] });
    };
    // reportFailure only sends text and blocks; it never reads the response.
    const inModal = show as unknown as RespondFn;
    try {
      const alation = await features.requireAlation(owner);
      const created = await alation.queries.create({
        datasource_id: datasourceId,
        content: sql,
        saved: false,
      });
      await client.views.update({
        view_id: view.id,
        view: buildOpenSqlLinkModal({
          url: composeUrl(deps.alationBaseUrl, created.id, created.compose_url),
          datasourceId,
          draftQueryId: created.id,
        }),
      });
      log.info({ queryId: created.id, datasourceId }, 'created a draft query for long SQL');
      await remember(features, owner, datasourceId, log);
    } catch (error) {
      await reportFailure(error, inModal, log, 'create a draft query with that SQL').catch(
        async (err: unknown) => {
          log.warn({ err }, 'could not show the failure in the modal');
          if (metadata.responseUrl) {
            await postToResponseUrl(metadata.responseUrl, {
              text: 'Creating the draft query failed; nothing was saved. Try the shortcut again.',
              blocks: [],
            });
          }
        },
      );
    }
  });
}

/** The data source used last fills the form next time; the pending SQL is done with. */
async function remember(
  features: Features,
  owner: ReturnType<typeof ownerOf>,
  datasourceId: number,
  log: { warn(obj: object, msg: string): void },
): Promise<void> {
  try {
    await features.prefs.set(owner, 'query.last_datasource_id', datasourceId);
    await features.prefs.set(owner, 'compose.pending_sql', null);
  } catch (err) {
    log.warn({ err }, 'could not remember the data source');
  }
}

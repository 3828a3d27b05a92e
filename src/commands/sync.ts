// `/alation sync <datasource_id> <schema> <table> [view]`, or with no arguments a form: asks
// Alation to read one table's metadata from its database now (POST /api/v1/table/sync/, as the
// user), then shows the table's card in the channel. Every row of the API's error table gets
// its own message (views/sync.ts); input Alation would reject is caught here first.
import type { App } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import type { SyncedTable } from '../client/alation.ts';
import { authVerdict } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { reportFailure } from '../slack/failure.ts';
import { modalOriginSchema, readMetadata, settle, submitModal } from '../slack/modal-submission.ts';
import { announce } from '../slack/reply.ts';
import type { Owner } from '../store/credentials.ts';
import { clip, escapeMrkdwn } from '../views/blocks.ts';
import {
  ACTION_SYNC_OPEN_TABLE,
  BLOCK_SYNC_DATASOURCE,
  BLOCK_SYNC_SCHEMA,
  BLOCK_SYNC_TABLE,
  BLOCK_SYNC_TYPE,
  buildSyncedModal,
  buildSyncedTableMessage,
  buildSyncFailureMessage,
  buildSyncingModal,
  buildSyncModal,
  buildSyncUsageMessage,
  INPUT,
  type SyncFailure,
  type SyncForm,
  type SyncRequest,
  syncFailureErrors,
  syncFailureText,
  type TableType,
  VIEW_SYNC,
} from '../views/sync.ts';
import type { Command, CommandDeps } from './command.ts';

// ---------------------------------------------------------------------------------------------
// Reading the input

/** Slack escapes these three in command text; names are wanted as the database spells them. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Words of the command text; `"my schema"` (straight or curly quotes, as phones and macOS type
 * them) is one word, and `""` an empty one.
 */
export function splitWords(text: string): { words: string[] } | { problem: string } {
  const words: string[] = [];
  const re = /\s*(?:(["“”])([^"“”]*)(["“”]?)|([^\s"“”]+))/gy;
  let rest = text.trim();
  rest = unescapeSlack(rest);
  re.lastIndex = 0;
  while (re.lastIndex < rest.length) {
    const m = re.exec(rest);
    if (!m) break;
    if (m[1] !== undefined) {
      if (!m[3]) {
        return { problem: `A quote is not closed: ${m[1]}${m[2] ?? ''}. Close it with ".` };
      }
      words.push(m[2] ?? '');
    } else if (m[4] !== undefined) {
      words.push(m[4]);
    }
  }
  return { words };
}

interface FieldProblems {
  datasource?: string;
  schema?: string;
  table?: string;
  type?: string;
}

/** A data source id, or a pasted data source link (`…/data/7/`). */
function datasourceIdOf(text: string): number | undefined {
  const match = /^(\d{1,12})$/.exec(text) ?? /\/data\/(\d{1,12})(?:\/|$)/.exec(text);
  const id = match?.[1] ? Number(match[1]) : undefined;
  return id && id > 0 ? id : undefined;
}

function tableTypeOf(text: string | undefined): TableType | undefined {
  const word = (text ?? 'TABLE').trim().toUpperCase();
  return word === 'TABLE' || word === 'VIEW' ? word : undefined;
}

/** The checks Alation would make, so nothing doomed is sent; one problem per field. */
function check(form: SyncForm & { rawType?: string | undefined }): {
  request?: SyncRequest;
  problems: FieldProblems;
} {
  const problems: FieldProblems = {};
  const ds = (form.datasourceId ?? '').trim();
  const datasourceId = datasourceIdOf(ds);
  if (ds === '')
    problems.datasource = 'Give the data source id: the number in its Alation URL, /data/7/ → 7.';
  else if (datasourceId === undefined) {
    problems.datasource = `“${clip(ds, 40)}” is not a data source id. Use the number in its Alation URL: /data/7/ → 7.`;
  }
  const schema = (form.schema ?? '').trim();
  if (schema === '') {
    problems.schema =
      'Give the schema, e.g. public; sources with two levels (SQL Server) need both, e.g. main.dbo.';
  }
  const table = (form.table ?? '').trim();
  if (table === '') problems.table = 'Give the table name, as the database spells it.';
  const tableType = tableTypeOf(form.rawType ?? form.tableType);
  if (tableType === undefined) {
    problems.type = `“${clip(form.rawType ?? '', 40)}” is not a table type: add \`view\` for a view, or leave it out for a table.`;
  }
  if (Object.keys(problems).length > 0 || datasourceId === undefined || tableType === undefined) {
    return { problems };
  }
  return { request: { datasourceId, schema, table, tableType }, problems };
}

export type ParsedSyncArgs =
  | { kind: 'form' }
  | { kind: 'sync'; request: SyncRequest }
  | { kind: 'problem'; problem: string };

/** `<datasource_id> <schema> <table> [view|table]`; nothing at all means "show the form". */
export function parseSyncArgs(args: string): ParsedSyncArgs {
  const split = splitWords(args);
  if ('problem' in split) return { kind: 'problem', problem: split.problem };
  const { words } = split;
  if (words.length === 0) return { kind: 'form' };
  if (words.length > 4) {
    return {
      kind: 'problem',
      problem: `That is ${words.length} words; a sync takes at most 4. Put quotes around a name with spaces.`,
    };
  }
  const [datasourceId, schema, table, rawType] = words;
  const missing = [schema === undefined && 'the schema', table === undefined && 'the table name']
    .filter((w): w is string => typeof w === 'string')
    .join(' and ');
  const checked = check({ datasourceId, schema, table, rawType });
  const { problems } = checked;
  const first =
    problems.datasource ??
    (missing ? `Missing ${missing} after the data source id.` : undefined) ??
    problems.schema ??
    problems.table ??
    problems.type;
  if (first !== undefined || !checked.request) {
    return { kind: 'problem', problem: first ?? 'Those are not the arguments a sync takes.' };
  }
  return { kind: 'sync', request: checked.request };
}

/** Slack's view state for the form's inputs. */
export type SyncViewState = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null }>
>;

export function readSyncForm(values: SyncViewState): SyncForm {
  const text = (block: string) => values[block]?.[INPUT]?.value ?? '';
  const type = values[BLOCK_SYNC_TYPE]?.[INPUT]?.selected_option?.value;
  return {
    datasourceId: text(BLOCK_SYNC_DATASOURCE).trim(),
    schema: text(BLOCK_SYNC_SCHEMA).trim(),
    table: text(BLOCK_SYNC_TABLE).trim(),
    tableType: type === 'VIEW' ? 'VIEW' : 'TABLE',
  };
}

/** The form's request, or what to fix next to which field. */
export function checkSyncForm(
  form: SyncForm,
): { ok: true; request: SyncRequest } | { ok: false; errors: Record<string, string> } {
  const { request, problems } = check(form);
  if (request) return { ok: true, request };
  const errors: Record<string, string> = {};
  if (problems.datasource) errors[BLOCK_SYNC_DATASOURCE] = problems.datasource;
  if (problems.schema) errors[BLOCK_SYNC_SCHEMA] = problems.schema;
  if (problems.table) errors[BLOCK_SYNC_TABLE] = problems.table;
  if (problems.type) errors[BLOCK_SYNC_TYPE] = problems.type;
  return { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// Reading Alation's answer

const MAX_SAID = 300;

function saidOf(detail: string | null): string | null {
  const flat = detail?.replace(/\s+/g, ' ').trim();
  if (!flat || /^not found\.?$/i.test(flat)) return null;
  return flat.length > MAX_SAID ? `${flat.slice(0, MAX_SAID)}…` : flat;
}

const REQUIRED_FIELDS = ['datasource_id', 'schema', 'table'];

/**
 * Which row of the documented error table an error is, or undefined for failures the table
 * does not list (timeouts, proxies, other 5xx), which get the general upstream message. The
 * docs give statuses and reasons but no bodies, so reasons are recognised by their words.
 */
export function classifySyncError(error: unknown): SyncFailure | undefined {
  if (!isUpstreamError(error)) return undefined;
  const detail = error.detail ?? '';
  const said = saidOf(error.detail);
  switch (error.kind) {
    case 'unauthorized':
      return { kind: 'not_authenticated' };
    case 'bad_request': {
      const fields = error.fieldErrors;
      const typeErrors = fields.table_type;
      if (typeErrors || /table.?type/i.test(detail)) {
        return { kind: 'bad_table_type', said: typeErrors ? typeErrors.join(' ') : said };
      }
      const missing = REQUIRED_FIELDS.filter((f) => fields[f] !== undefined);
      if (missing.length > 0) {
        const messages = [...new Set(missing.flatMap((f) => fields[f] ?? []))].join(' ');
        return { kind: 'missing_value', fields: missing, said: messages || said };
      }
      if (/exclu/i.test(detail)) return { kind: 'schema_excluded', said };
      if (/required|missing/i.test(detail)) {
        const named = REQUIRED_FIELDS.filter((f) => new RegExp(`\\b${f}\\b`, 'i').test(detail));
        return { kind: 'missing_value', fields: named, said };
      }
      return undefined;
    }
    case 'forbidden':
      if (authVerdict(error) === 'auth') return { kind: 'not_authenticated' };
      if (/service.?account|privilege|\bselect\b|metadata/i.test(detail)) {
        return { kind: 'service_account', said };
      }
      // The only other refusal the table lists.
      return { kind: 'not_admin', said };
    case 'not_found': {
      const text = detail.trim();
      if (/^\W*table\b/i.test(text)) return { kind: 'table_not_found', said };
      if (/^\W*schema\b/i.test(text)) return { kind: 'source_not_found', which: 'schema', said };
      const source = /data.?source/i.test(text);
      const schema = /\bschema\b/i.test(text);
      if (source && schema) return { kind: 'source_not_found', which: 'either', said };
      if (/^\W*data.?source\b/i.test(text)) {
        return { kind: 'source_not_found', which: 'datasource', said };
      }
      if (/\btable\b/i.test(text)) return { kind: 'table_not_found', said };
      if (source) return { kind: 'source_not_found', which: 'datasource', said };
      if (schema) return { kind: 'source_not_found', which: 'schema', said };
      return { kind: 'source_not_found', which: 'either', said };
    }
    case 'server_error':
      // The table's only 500: Alation could not reach the data source.
      return error.status === 500 ? { kind: 'connection_error', said } : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The command

interface SyncMetadata {
  responseUrl?: string;
  channelId?: string;
}

function logFailure(log: Logger, error: unknown): void {
  if (isUpstreamError(error)) log.warn({ upstream: error.toLog() }, 'could not sync a table');
  else if (!(error instanceof NotConnectedError)) {
    log.error({ err: error }, 'could not sync a table');
  }
}

const described = (request: SyncRequest) =>
  `${request.tableType === 'VIEW' ? 'view' : 'table'} ${request.schema}.${request.table}`;

/** A failure next to the form's fields; says nothing was synced when it is not one of ours. */
export function syncOutcomeErrors(error: unknown, request: SyncRequest): Record<string, string> {
  const failure = classifySyncError(error);
  if (failure) return syncFailureErrors(failure, request);
  if (error instanceof NotConnectedError) {
    return {
      [BLOCK_SYNC_DATASOURCE]:
        'Your Alation account is not connected (or needs reconnecting): run `/alation login`, then try again. Nothing was synced.',
    };
  }
  const reason = isUpstreamError(error)
    ? error.message
    : 'Something went wrong on the bot’s side; it has been logged.';
  return { [BLOCK_SYNC_DATASOURCE]: `Could not sync ${described(request)}. ${reason}` };
}

export function syncCommand(deps: CommandDeps, options: { ackBudgetMs?: number } = {}): Command {
  const sync = (owner: Owner, request: SyncRequest): Promise<SyncedTable> =>
    deps
      .features()
      .then((f) => f.requireAlation(owner))
      .then((alation) =>
        alation.tables.sync({
          datasource_id: request.datasourceId,
          schema: request.schema,
          table: request.table,
          table_type: request.tableType,
        }),
      );

  const card = (table: SyncedTable, request: SyncRequest, owner: Owner) =>
    buildSyncedTableMessage({
      table,
      request,
      alationBaseUrl: deps.alationBaseUrl,
      requestedBy: owner.userId,
    });

  return {
    name: 'sync',
    usage: '<datasource_id> <schema> <table> [view]',
    summary:
      'Sync one table’s metadata from its database into Alation now (Alation admins), and show its card. No arguments: a form.',
    example: '/alation sync 8 main.dbo foobar view',
    async run({ ack, respond, command, client, args, log }) {
      const parsed = parseSyncArgs(args);
      if (parsed.kind === 'problem') {
        await ack({ response_type: 'ephemeral', ...buildSyncUsageMessage(parsed.problem) });
        return;
      }
      const owner = ownerOf(command);
      if (parsed.kind === 'form') {
        await ack();
        try {
          const features = await deps.features();
          await features.requireAlation(owner);
          const metadata: SyncMetadata = {
            responseUrl: command.response_url,
            channelId: command.channel_id,
          };
          await client.views.open({
            trigger_id: command.trigger_id,
            view: buildSyncModal({ privateMetadata: JSON.stringify(metadata) }),
          });
        } catch (error) {
          await reportFailure(error, respond, log, 'open the sync form');
        }
        return;
      }
      const { request } = parsed;
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: Asking Alation to sync ${escapeMrkdwn(described(request))} from data source ${request.datasourceId}…`,
      });
      const outcome = await settle(sync(owner, request));
      if (outcome.ok) {
        log.info(
          { datasourceId: request.datasourceId, tableId: outcome.value.id },
          'synced a table',
        );
        await respond({ response_type: 'in_channel', ...card(outcome.value, request, owner) });
        return;
      }
      const failure = classifySyncError(outcome.error);
      if (!failure) {
        await reportFailure(
          outcome.error,
          respond,
          log,
          `sync ${escapeMrkdwn(described(request))}`,
        );
        return;
      }
      logFailure(log, outcome.error);
      await respond({ response_type: 'ephemeral', ...buildSyncFailureMessage(failure, request) });
    },

    register(app: App) {
      // A link button still sends an action; there is nothing to do but acknowledge it.
      app.action(ACTION_SYNC_OPEN_TABLE, async ({ ack }) => {
        await ack();
      });
      app.view(VIEW_SYNC, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const form = readSyncForm(view.state.values as SyncViewState);
        const checked = checkSyncForm(form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const { request } = checked;
        const metadata: SyncMetadata = readMetadata(view.private_metadata, modalOriginSchema, {});
        const outcome = await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: sync(owner, request),
          inline: (early) => {
            if (early.ok) return undefined;
            logFailure(log, early.error);
            return { response_action: 'errors', errors: syncOutcomeErrors(early.error, request) };
          },
          progress: () => buildSyncingModal(request),
          final: (late) => {
            if (late.ok) return buildSyncedModal(late.value);
            logFailure(log, late.error);
            const failure = classifySyncError(late.error);
            return buildSyncModal({
              privateMetadata: view.private_metadata,
              values: form,
              problem: failure
                ? syncFailureText(failure, request)
                : Object.values(syncOutcomeErrors(late.error, request)).join(' '),
            });
          },
        });
        if (outcome.ok) {
          await announce(client, owner.userId, metadata, card(outcome.value, request, owner), log);
        }
      });
    },
  };
}

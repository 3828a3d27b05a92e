// `/alation sync`: the form, the synced table's card, and one message per row of Alation's
// table-sync error table (alation-table-sync.txt). Pure builders.
import type { KnownBlock, ModalView } from '@slack/types';
import { catalogUrl } from '../client/alation/links.ts';
import type { SyncedTable } from '../client/alation.ts';
import { escapeMrkdwn, mrkdwn, plainText, section, textInput } from './blocks.ts';
import { ACTION_CONNECT_ALATION } from './connect.ts';
import type { SlackMessage } from './help.ts';
import { htmlToMrkdwn } from './html.ts';

export const VIEW_SYNC = 'sync_table';
export const BLOCK_SYNC_DATASOURCE = 'sync_datasource';
export const BLOCK_SYNC_SCHEMA = 'sync_schema';
export const BLOCK_SYNC_TABLE = 'sync_table_name';
export const BLOCK_SYNC_TYPE = 'sync_table_type';
export const INPUT = 'value';
/** Link button to the table's catalog page: Slack opens the URL and still sends an action. */
export const ACTION_SYNC_OPEN_TABLE = 'sync_open_table';

export type TableType = 'TABLE' | 'VIEW';

export interface SyncRequest {
  datasourceId: number;
  /** As typed; `database.schema` for sources with two levels above tables. */
  schema: string;
  table: string;
  tableType: TableType;
}

/** Each documented failure of the sync call, as the command understood it. */
export type SyncFailure =
  | { kind: 'missing_value'; fields: string[]; said: string | null }
  | { kind: 'bad_table_type'; said: string | null }
  | { kind: 'schema_excluded'; said: string | null }
  | { kind: 'not_authenticated' }
  | { kind: 'not_admin'; said: string | null }
  | { kind: 'service_account'; said: string | null }
  | {
      kind: 'source_not_found';
      /** Which of the two Alation's reason named, when it named one. */
      which: 'datasource' | 'schema' | 'either';
      said: string | null;
    }
  | { kind: 'table_not_found'; said: string | null }
  | { kind: 'connection_error'; said: string | null };

export const SYNC_USAGE = '/alation sync <datasource_id> <schema> <table> [view]';

/** Slack's limit per section text is 3000 characters; keep room for a closing mark. */
const SECTION_LIMIT = 2_900;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never leave half a Slack link (`<https://…|lab`) behind.
  const lt = cut.lastIndexOf('<');
  if (lt > cut.lastIndexOf('>')) cut = cut.slice(0, lt);
  return `${cut.trimEnd()}…`;
}

/** A word of the command as someone would retype it: quoted when it holds spaces or quotes. */
export function commandWord(word: string): string {
  return /^[^\s"“”]+$/.test(word) ? word : `"${word.replace(/"/g, '')}"`;
}

/** The command that repeats a sync, e.g. for an admin to run. */
export function syncCommandText(request: SyncRequest): string {
  const words = [String(request.datasourceId), request.schema, request.table].map(commandWord);
  if (request.tableType === 'VIEW') words.push('view');
  return `/alation sync ${words.join(' ')}`;
}

const usageLine = () =>
  `Usage: \`${SYNC_USAGE}\`, e.g. \`/alation sync 8 main.dbo foobar view\`. Quote names with spaces: \`/alation sync 8 "my schema" "my table"\`. Run \`/alation sync\` alone for a form.`;

/** A local input problem, before anything was sent to Alation. */
export function buildSyncUsageMessage(problem: string): SlackMessage {
  const line = `${escapeMrkdwn(problem)}\n${escapeMrkdwn(usageLine())}`;
  return { text: escapeMrkdwn(problem), blocks: [section(line)] };
}

const FIELD_WORDS: Record<string, string> = {
  datasource_id: 'the data source id',
  schema: 'the schema',
  table: 'the table name',
};

function listed(words: string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const alationSaid = (said: string | null) => (said ? ` (Alation: “${said}”)` : '');

/**
 * What went wrong and what to do about it, in plain text: shown as is next to a modal's field,
 * and escaped into a message.
 */
export function syncFailureText(failure: SyncFailure, request: SyncRequest): string {
  const ds = request.datasourceId;
  const where = `“${request.schema}.${request.table}”`;
  switch (failure.kind) {
    case 'missing_value': {
      const missing = failure.fields.map((f) => FIELD_WORDS[f] ?? `“${f}”`);
      return `Alation says the sync request is missing ${missing.length > 0 ? listed(missing) : 'a required value'}${alationSaid(failure.said)}. Give the data source id, the schema and the table: \`${SYNC_USAGE}\`.`;
    }
    case 'bad_table_type':
      return `Alation did not accept the table type${alationSaid(failure.said)}. It must be TABLE or VIEW: add \`view\` as the fourth word to sync a view, or leave it out for a table.`;
    case 'schema_excluded':
      return `Schema “${request.schema}” is excluded from the catalog of data source ${ds}, so Alation will not sync its tables. An Alation admin can include it again in the data source’s settings (Per-Object Settings), then sync.`;
    case 'not_authenticated':
      return 'Alation says you are not authenticated: it refused your credentials even with a freshly minted access token. Reconnect your Alation account (`/alation login`), then try again.';
    case 'not_admin':
      return `Only Alation admins can sync tables, and your Alation account is not an admin. Ask an Alation admin to run \`${syncCommandText(request)}\`.`;
    case 'service_account':
      return `The service account data source ${ds} connects with is not allowed to read the metadata of ${where} (it may need the SELECT privilege on it). Ask the database’s owner to grant it, or an Alation admin to check the data source’s service account. Nothing was synced.`;
    case 'source_not_found':
      if (failure.which === 'datasource') {
        return `Alation has no data source ${ds}, or you cannot see it. Use the number in the data source’s Alation URL: /data/7/ → 7.`;
      }
      if (failure.which === 'schema') {
        return `Data source ${ds} has no schema “${request.schema}”. Check the spelling; sources with two levels above tables (such as SQL Server) need both, e.g. main.dbo.`;
      }
      return `Alation could not find data source ${ds}, or schema “${request.schema}” in it${alationSaid(failure.said)}. Check the data source id (/data/7/ → 7) and the schema name; two-level sources need both, e.g. main.dbo.`;
    case 'table_not_found':
      return `Alation found no ${request.tableType === 'VIEW' ? 'view' : 'table'} “${request.table}” in schema “${request.schema}” of data source ${ds}; it looked in the database itself. Check the name and its case${request.tableType === 'TABLE' ? ', and add `view` if it is a view' : ''}.`;
    case 'connection_error':
      return `Alation could not connect to data source ${ds} to read ${where}${failure.said ? `: ${failure.said}` : ''}. Nothing was synced. Check the data source’s connection in Alation (host, port, network), or try again later.`;
  }
}

/** The failure as a private message; not being authenticated comes with the Reconnect button. */
export function buildSyncFailureMessage(failure: SyncFailure, request: SyncRequest): SlackMessage {
  const line = `:warning: Could not sync ${escapeMrkdwn(`${request.schema}.${request.table}`)}. ${escapeMrkdwn(syncFailureText(failure, request))}`;
  const blocks: KnownBlock[] = [section(clip(line, SECTION_LIMIT))];
  if (failure.kind === 'not_authenticated') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_CONNECT_ALATION,
          text: plainText('Reconnect Alation'),
          style: 'primary',
          value: 'alation',
        },
      ],
    });
  }
  return { text: escapeMrkdwn(syncFailureText(failure, request)), blocks };
}

/** Which field of the form a failure is about; the rest go under the data source. */
function failureBlock(failure: SyncFailure): string {
  switch (failure.kind) {
    case 'missing_value': {
      const first = failure.fields[0];
      if (first === 'schema') return BLOCK_SYNC_SCHEMA;
      if (first === 'table') return BLOCK_SYNC_TABLE;
      return BLOCK_SYNC_DATASOURCE;
    }
    case 'bad_table_type':
      return BLOCK_SYNC_TYPE;
    case 'schema_excluded':
      return BLOCK_SYNC_SCHEMA;
    case 'source_not_found':
      return failure.which === 'schema' ? BLOCK_SYNC_SCHEMA : BLOCK_SYNC_DATASOURCE;
    case 'table_not_found':
    case 'service_account':
      return BLOCK_SYNC_TABLE;
    default:
      return BLOCK_SYNC_DATASOURCE;
  }
}

/** A failure as `response_action: errors` wants it. */
export function syncFailureErrors(
  failure: SyncFailure,
  request: SyncRequest,
): Record<string, string> {
  return { [failureBlock(failure)]: syncFailureText(failure, request) };
}

// ---------------------------------------------------------------------------------------------
// The form

export interface SyncForm {
  datasourceId?: string;
  schema?: string;
  table?: string;
  tableType?: TableType;
}

export interface SyncModalInput {
  privateMetadata: string;
  values?: SyncForm;
  /** Shown above the fields when Alation failed after the modal was already answered. */
  problem?: string;
}

export function buildSyncModal(input: SyncModalInput): ModalView {
  const v = input.values ?? {};
  const types = [
    { text: plainText('Table'), value: 'TABLE' },
    { text: plainText('View'), value: 'VIEW' },
  ];
  const initialType = types.find((o) => o.value === (v.tableType ?? 'TABLE')) ?? types[0];
  const blocks: KnownBlock[] = [];
  if (input.problem) blocks.push(section(`:warning: ${escapeMrkdwn(input.problem)}`));
  blocks.push(
    section(
      'Alation reads this table’s metadata from the database now instead of at the next scheduled extraction. Only Alation admins can sync.',
    ),
    textInput(BLOCK_SYNC_DATASOURCE, 'Data source ID', {
      initial: v.datasourceId,
      hint: 'The number in the data source’s Alation URL: /data/7/ → 7',
      placeholder: '7',
      maxLength: 12,
    }),
    textInput(BLOCK_SYNC_SCHEMA, 'Schema', {
      initial: v.schema,
      hint: 'Sources with two levels above tables (such as SQL Server) need both: main.dbo',
      placeholder: 'public',
      maxLength: 500,
    }),
    textInput(BLOCK_SYNC_TABLE, 'Table', {
      initial: v.table,
      hint: 'As the database names it',
      placeholder: 'orders',
      maxLength: 500,
    }),
    {
      type: 'input',
      block_id: BLOCK_SYNC_TYPE,
      label: plainText('Type'),
      element: {
        type: 'radio_buttons',
        action_id: INPUT,
        options: types,
        ...(initialType ? { initial_option: initialType } : {}),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEW_SYNC,
    private_metadata: input.privateMetadata,
    title: plainText('Sync a table'),
    submit: plainText('Sync'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** Shown while a slow sync finishes after Slack's 3-second window. */
export function buildSyncingModal(request: SyncRequest): ModalView {
  return {
    type: 'modal',
    title: plainText('Sync a table'),
    close: plainText('Close'),
    blocks: [
      section(
        `:hourglass_flowing_sand: Alation is syncing ${escapeMrkdwn(`${request.schema}.${request.table}`)} from data source ${request.datasourceId}…`,
      ),
    ],
  };
}

export function buildSyncedModal(table: SyncedTable): ModalView {
  return {
    type: 'modal',
    title: plainText('Sync a table'),
    close: plainText('Done'),
    blocks: [
      section(
        `:white_check_mark: Synced *${escapeMrkdwn(titleOf(table))}*; the card is in the channel. You can close this.`,
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The card

function titleOf(table: Pick<SyncedTable, 'title' | 'name'>): string {
  return table.title?.trim() || table.name;
}

export interface SyncedCardInput {
  table: SyncedTable;
  request: SyncRequest;
  alationBaseUrl: string;
  /** Slack user who asked, mentioned on the card. */
  requestedBy: string;
}

/** Posted to the channel: what the catalog now says about the table. */
export function buildSyncedTableMessage(input: SyncedCardInput): SlackMessage {
  const { table, request, alationBaseUrl } = input;
  const title = titleOf(table);
  const schema = table.schema_name ?? request.schema;
  const isView = table.is_view ?? request.tableType === 'VIEW';
  const kind = isView ? 'View' : 'Table';
  const url = catalogUrl(alationBaseUrl, { otype: 'table', id: table.id }, table.url);
  const description = htmlToMrkdwn(table.description ?? '', { baseUrl: alationBaseUrl });
  const comment = table.db_comment?.trim();
  const fields = [
    mrkdwn(`*Schema*\n${escapeMrkdwn(schema)}`),
    mrkdwn(`*Name*\n${escapeMrkdwn(table.name)}`),
    mrkdwn(`*Data source*\n${table.ds_id}`),
    mrkdwn(`*Type*\n${kind}`),
  ];
  const blocks: KnownBlock[] = [
    section(
      `:arrows_counterclockwise: *<${escapeMrkdwn(url)}|${escapeMrkdwn(title)}>* is synced from the database.`,
    ),
    { type: 'section', fields },
    section(description ? clip(description, SECTION_LIMIT) : '_No description in Alation yet._'),
  ];
  if (comment) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(clip(`Database comment: ${escapeMrkdwn(comment)}`, SECTION_LIMIT))],
    });
  }
  blocks.push(
    {
      type: 'context',
      elements: [mrkdwn(`Synced by <@${input.requestedBy}> · ${kind.toLowerCase()} ${table.id}`)],
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_SYNC_OPEN_TABLE,
          text: plainText('Open in catalog'),
          url,
        },
      ],
    },
  );
  return {
    text: `Synced ${kind.toLowerCase()} ${escapeMrkdwn(`${title} (${schema}.${table.name})`)}`,
    blocks,
  };
}

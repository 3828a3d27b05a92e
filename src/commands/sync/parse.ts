import { clip } from '../../views/blocks.ts';
import {
  BLOCK_SYNC_DATASOURCE,
  BLOCK_SYNC_SCHEMA,
  BLOCK_SYNC_TABLE,
  BLOCK_SYNC_TYPE,
  INPUT,
  type SyncForm,
  type SyncRequest,
  type TableType,
} from '../../views/sync.ts';

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

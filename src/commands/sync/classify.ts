import { authVerdict } from '../../client/alation.ts';
import { isUpstreamError } from '../../client/errors.ts';
import type { SyncFailure } from '../../views/sync.ts';

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

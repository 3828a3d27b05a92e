import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ServerError,
  UnauthorizedError,
  UpstreamTimeoutError,
} from '../../../../src/client/errors.ts';
import { classifySyncError } from '../../../../src/commands/sync/classify.ts';
import type { SyncFailure } from '../../../../src/views/sync.ts';
import { call } from '../../views/fixtures/sync.ts';

describe('classifySyncError: one kind per row of the error table', () => {
  it.each<[string, unknown, SyncFailure | undefined]>([
    [
      '400 missing value',
      new BadRequestError({
        ...call,
        status: 400,
        fieldErrors: { table: ['This field is required.'] },
      }),
      { kind: 'missing_value', fields: ['table'], said: 'This field is required.' },
    ],
    [
      '400 missing value, said in prose',
      new BadRequestError({ ...call, status: 400, detail: 'Missing required parameter: schema' }),
      { kind: 'missing_value', fields: ['schema'], said: 'Missing required parameter: schema' },
    ],
    [
      '400 bad table_type',
      new BadRequestError({
        ...call,
        status: 400,
        fieldErrors: { table_type: ['"X" is not a valid choice.'] },
      }),
      { kind: 'bad_table_type', said: '"X" is not a valid choice.' },
    ],
    [
      '400 schema excluded',
      new BadRequestError({
        ...call,
        status: 400,
        detail: 'Selected schema is excluded from the catalog',
      }),
      { kind: 'schema_excluded', said: 'Selected schema is excluded from the catalog' },
    ],
    [
      '403 not authenticated',
      new UnauthorizedError({ ...call, status: 403, code: '403000' }),
      { kind: 'not_authenticated' },
    ],
    [
      '403 not an admin',
      new ForbiddenError({ ...call, status: 403, detail: 'You are not an admin' }),
      { kind: 'not_admin', said: 'You are not an admin' },
    ],
    [
      '403 service account',
      new ForbiddenError({
        ...call,
        status: 403,
        detail:
          'The configured Service Account for the data source does not have permission to view the metadata of the table',
      }),
      expect.objectContaining({ kind: 'service_account' }),
    ],
    [
      '404 data source or schema (the docs’ own words)',
      new NotFoundError({ ...call, status: 404, detail: 'Data Source or Schema is invalid' }),
      { kind: 'source_not_found', which: 'either', said: 'Data Source or Schema is invalid' },
    ],
    [
      '404 data source',
      new NotFoundError({ ...call, status: 404, detail: 'Data source with id 8 does not exist.' }),
      expect.objectContaining({ kind: 'source_not_found', which: 'datasource' }),
    ],
    [
      '404 schema',
      new NotFoundError({
        ...call,
        status: 404,
        detail: 'Schema x does not exist in data source 8.',
      }),
      expect.objectContaining({ kind: 'source_not_found', which: 'schema' }),
    ],
    [
      '404 table',
      new NotFoundError({ ...call, status: 404, detail: 'Table not found in data source' }),
      { kind: 'table_not_found', said: 'Table not found in data source' },
    ],
    [
      '404 without a reason',
      new NotFoundError({ ...call, status: 404, detail: 'Not found.' }),
      { kind: 'source_not_found', which: 'either', said: null },
    ],
    [
      '500 connection error',
      new ServerError({ ...call, status: 500, detail: 'port blocked' }),
      { kind: 'connection_error', said: 'port blocked' },
    ],
    ['503: not in the table', new ServerError({ ...call, status: 503 }), undefined],
    ['timeout: not in the table', new UpstreamTimeoutError(call), undefined],
    [
      '400 otherwise: not in the table',
      new BadRequestError({ ...call, status: 400, detail: 'odd' }),
      undefined,
    ],
    ['a bug of ours', new TypeError('x'), undefined],
  ])('%s', (_, error, expected) => {
    expect(classifySyncError(error)).toEqual(expected);
  });
});

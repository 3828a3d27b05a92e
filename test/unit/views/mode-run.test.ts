import { describe, expect, it } from 'vitest';
import { RateLimitedError, ServerError } from '../../../src/client/errors.ts';
import {
  buildModeConnectPrompt,
  buildModeCsvMessage,
  buildModeErrorMessage,
  buildModeRunDetails,
  limitText,
  modeCsvFileName,
  parametersText,
  sqlFitsInline,
} from '../../../src/views/mode-run.ts';
import { textOf } from '../../support/flows.ts';
import { ctx, run } from './fixtures/mode-run.ts';

describe('buildModeRunDetails', () => {
  it('shows one SQL when rendering changed nothing, both when it did', () => {
    const same = textOf(buildModeRunDetails({ ...ctx, run: run(), sql: { kind: 'inline' } }));
    expect(same).toContain('*SQL*\n```SELECT 1```');
    expect(same).not.toContain('Raw SQL');
    const both = textOf(
      buildModeRunDetails({
        ...ctx,
        run: run({
          raw_source: 'SELECT {{ n }}',
          rendered_source: 'SELECT 5',
          parameters: { n: 5 },
        }),
        sql: { kind: 'inline' },
      }),
    );
    expect(both).toContain('*Rendered SQL* (as it ran, parameters filled in)\n```SELECT 5```');
    expect(both).toContain('*Raw SQL* (as written)\n```SELECT {{ n }}```');
    expect(both).toContain('*Parameters*\n• `n` = 5');
  });

  it('links to the query, result and report run in Mode, and says where long SQL went', () => {
    const message = buildModeRunDetails({
      ...ctx,
      run: run(),
      sql: { kind: 'files', files: ['Daily-revenue.sql'] },
    });
    const text = textOf(message);
    expect(text).toContain('*<https://app.mode.com/acme/reports/r3p0rt/queries/q1|Daily revenue>*');
    expect(text).toContain('Query run `qr1` · data source 3 · limit off');
    expect(text).toContain(
      '<https://app.mode.com/acme/reports/r3p0rt/runs/run1/query_runs/qr1/results|Result in Mode>',
    );
    expect(text).toContain(
      '<https://app.mode.com/acme/reports/r3p0rt/runs/run1|Report run in Mode>',
    );
    expect(text).toContain('attached to this conversation as `Daily-revenue.sql`');
    expect(text).not.toContain('SELECT 1');
    const notAttached = textOf(
      buildModeRunDetails({ ...ctx, run: run(), sql: { kind: 'not_attached' } }),
    );
    expect(notAttached).toContain('Invite me');
  });

  it('decides inline or file by the longest SQL', () => {
    expect(sqlFitsInline(run())).toBe(true);
    expect(sqlFitsInline(run({ raw_source: 'x'.repeat(2_801) }))).toBe(false);
    expect(sqlFitsInline(run({ rendered_source: 'x'.repeat(2_801) }))).toBe(false);
  });

  it.each([
    [true, 'on (Mode returned only the first rows)'],
    [false, 'off'],
    [1000, '1,000 rows'],
    ['100', '100'],
    [null, 'not given'],
  ])('limit %j reads “%s”', (value, text) => {
    expect(limitText(value)).toBe(text);
  });

  it('reads parameters as Mode sends them, and as the docs say', () => {
    expect(parametersText({})).toBeUndefined();
    expect(parametersText('{}')).toBeUndefined();
    expect(parametersText(undefined)).toBeUndefined();
    expect(parametersText({ region: 'EMEA', ids: [1, 2] })).toBe(
      '• `region` = EMEA\n• `ids` = [1,2]',
    );
    expect(parametersText('region=<EMEA>')).toBe('region=&lt;EMEA&gt;');
  });
});

describe('CSV', () => {
  it('names the file after the query', () => {
    expect(modeCsvFileName(run({ query_name: 'Café / revenue: 2026' }))).toBe(
      'Cafe-revenue-2026.csv',
    );
    expect(modeCsvFileName(run({ query_name: '///' }))).toBe('mode-query-run-qr1.csv');
    expect(modeCsvFileName(run({ query_name: null }))).toBe('mode-query-run-qr1.csv');
  });

  it('shares a preview with the file', () => {
    const text = textOf(
      buildModeCsvMessage({
        ...ctx,
        run: run(),
        preview: {
          header: ['a', 'b'],
          rows: [['1', '2']],
          previewOk: true,
          bytes: 2048,
          filename: 'x.csv',
        },
      }),
    );
    expect(text).toContain(
      ':bar_chart: *<https://app.mode.com/acme/reports/r3p0rt/runs/run1/query_runs/qr1/results|Daily revenue>*',
    );
    expect(text).toContain('a | b');
    expect(text).toContain('The full CSV (2.0 KB) is attached: `x.csv`.');
  });
});

describe('problems', () => {
  it('asks to connect, or to reconnect with the reason', () => {
    expect(buildModeConnectPrompt().text).toBe('Connect Mode first: `/alation mode login`');
    expect(textOf(buildModeConnectPrompt('credentials_rejected'))).toContain(
      'Mode no longer accepts your API token and secret',
    );
    expect(textOf(buildModeConnectPrompt('something_new'))).toContain(
      'Your Mode connection stopped working',
    );
  });

  it('puts the client’s message with a next step, and nothing of a bug', () => {
    const init = { service: 'Mode', method: 'GET', path: '/api/x' };
    expect(
      buildModeErrorMessage(new RateLimitedError({ ...init, retryAfterSeconds: 60 }), 'do it').text,
    ).toBe(
      ':warning: Could not do it. Mode is throttling requests and asked to wait 60 seconds. Try again in a little while.',
    );
    expect(
      buildModeErrorMessage(new ServerError({ ...init, status: 502 }), 'do it').text,
    ).toContain('Mode had a problem (status 502).');
    const bug = buildModeErrorMessage(new TypeError('x is undefined at foo.ts:3'), 'do it').text;
    expect(bug).toContain("something went wrong on the bot's side");
    expect(bug).not.toContain('foo.ts');
  });
});

import { describe, expect, it } from 'vitest';
import { parseRunArgs, parseRunsArgs } from '../../../../src/commands/mode/ref.ts';

const REF = { account: 'acme', report: 'r3p0rt', run: 'run1' };

describe('parseRunsArgs', () => {
  it('takes three tokens or a pasted link', () => {
    expect(parseRunsArgs('acme r3p0rt run1')).toEqual({ ok: true, ref: REF });
    expect(parseRunsArgs('  acme   r3p0rt run1 ')).toEqual({ ok: true, ref: REF });
    expect(
      parseRunsArgs('<https://app.mode.com/acme/reports/r3p0rt/runs/run1|Weekly KPIs>'),
    ).toEqual({
      ok: true,
      ref: REF,
    });
  });

  it.each([
    ['', /Which report run\?/],
    ['acme', /`acme` is not a report run/],
    ['acme r3p0rt', /exactly three things/],
    ['acme r3p0rt run1 extra', /exactly three things/],
    ['ac/me r3p0rt run1', /`ac\/me` is not a Mode workspace name/],
    ['acme r3.p0rt run1', /`r3\.p0rt` is not a Mode report token/],
    ['acme r3p0rt ru*n1', /`ru\*n1` is not a Mode run token/],
    ['https://app.mode.com/acme', /That link is not a Mode report run/],
  ])('explains %j', (args, message) => {
    const parsed = parseRunsArgs(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('parseRunArgs', () => {
  const QR = { ...REF, queryRun: 'qr9' };
  it('takes four tokens, a query-run link, or a run link and a token', () => {
    expect(parseRunArgs('acme r3p0rt run1 qr9')).toEqual({ ok: true, ref: QR });
    expect(
      parseRunArgs('https://app.mode.com/acme/reports/r3p0rt/runs/run1/query_runs/qr9'),
    ).toEqual({ ok: true, ref: QR });
    expect(parseRunArgs('https://app.mode.com/acme/reports/r3p0rt/runs/run1 qr9')).toEqual({
      ok: true,
      ref: QR,
    });
  });

  it.each([
    ['', /Which query run\?/],
    ['acme r3p0rt run1', /Which query run\?/],
    ['acme r3p0rt run1 q/r', /`q\/r` is not a Mode query-run token/],
    ['https://app.mode.com/acme/reports/r3p0rt/runs/run1', /which of its query runs\?/],
    ['https://app.mode.com/acme/reports/r3p0rt/runs/run1 a b', /not a Mode query-run token/],
    ['https://example.com/', /That link is not a Mode query run/],
  ])('explains %j', (args, message) => {
    const parsed = parseRunArgs(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

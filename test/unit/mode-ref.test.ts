import { describe, expect, it } from 'vitest';
import {
  decodeQueryRunRef,
  encodeQueryRunRef,
  parseModeUrl,
  unwrapLinks,
} from '../../src/client/mode/ref.ts';
import { parseRunArgs, parseRunsArgs } from '../../src/commands/mode/ref.ts';

const REF = { account: 'acme', report: 'r3p0rt', run: 'run1' };

describe('parseModeUrl', () => {
  it.each([
    ['https://app.mode.com/acme/reports/r3p0rt/runs/run1', REF],
    ['https://app.mode.com/acme/reports/r3p0rt/runs/run1/', REF],
    ['https://app.mode.com/acme/reports/r3p0rt/runs/run1?tab=x#y', REF],
    ['<https://app.mode.com/acme/reports/r3p0rt/runs/run1>', REF],
    ['<https://app.mode.com/acme/reports/r3p0rt/runs/run1|Weekly KPIs>', REF],
    ['https://app.mode.com/api/acme/reports/r3p0rt/runs/run1/query_runs', REF],
    [
      'https://app.mode.com/acme/reports/r3p0rt/runs/run1/query_runs/qr9/results',
      { ...REF, queryRun: 'qr9' },
    ],
    [
      'http://mode.internal:8080/my.team/reports/r-1/runs/x_2',
      {
        account: 'my.team',
        report: 'r-1',
        run: 'x_2',
      },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseModeUrl(url)).toEqual(expected);
  });

  it.each([
    'app.mode.com/acme/reports/r3p0rt/runs/run1',
    'ftp://app.mode.com/acme/reports/r3p0rt/runs/run1',
    'https://app.mode.com/acme/reports/r3p0rt',
    'https://app.mode.com/acme/spaces/r3p0rt/runs/run1',
    'https://app.mode.com/acme/reports/r3p0rt/runs/run%2F1',
    'https://app.mode.com/acme/reports/r%ZZ/runs/run1',
    'not a url',
  ])('refuses %s', (url) => {
    expect(parseModeUrl(url)).toBeUndefined();
  });
});

describe('unwrapLinks', () => {
  it('turns Slack link markup into bare URLs, labels with spaces included', () => {
    expect(unwrapLinks('<https://a.example/x|the run> qr1 <https://b.example/y>')).toBe(
      'https://a.example/x qr1 https://b.example/y',
    );
  });
});

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

describe('button values', () => {
  it('round-trip, stay short, and refuse anything else', () => {
    const ref = { ...REF, queryRun: 'qr9' };
    const value = encodeQueryRunRef(ref);
    expect(decodeQueryRunRef(value)).toEqual(ref);
    const long = {
      account: 'a'.repeat(100),
      report: 'b'.repeat(100),
      run: 'c'.repeat(100),
      queryRun: 'd'.repeat(100),
    };
    expect(encodeQueryRunRef(long).length).toBeLessThan(2000);
    expect(decodeQueryRunRef(encodeQueryRunRef(long))).toEqual(long);
    for (const bad of ['', 'nope', '{}', '{"a":"../x","r":"r","n":"n","q":"q"}', '[1]']) {
      expect(decodeQueryRunRef(bad)).toBeUndefined();
    }
  });
});

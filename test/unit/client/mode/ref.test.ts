import { describe, expect, it } from 'vitest';
import {
  decodeQueryRunRef,
  encodeQueryRunRef,
  parseModeUrl,
  unwrapLinks,
} from '../../../../src/client/mode/ref.ts';

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

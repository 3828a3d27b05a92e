import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { slackSignatureCheck } from '../../../src/slack/signature.ts';
import { computeSignature } from '../../driver.ts';

const secret = 'signing-secret';
const check = slackSignatureCheck(secret);
const now = Date.parse('2027-01-19T08:00:00Z');
const ts = Math.floor(now / 1000);
const body = 'command=%2Falation&text=help&user_id=U1';
const raw = Buffer.from(body);

describe('slackSignatureCheck', () => {
  it("accepts Slack's v0 signature of the exact bytes, as Bolt does", () => {
    const signature = computeSignature(secret, ts, body);
    expect(check(raw, signature, String(ts), now)).toBe(true);
    expect(
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: now,
      }),
    ).toBe(true);
  });

  it('refuses another secret, another body, another timestamp', () => {
    expect(check(raw, computeSignature('other', ts, body), String(ts), now)).toBe(false);
    expect(
      check(Buffer.from(`${body}x`), computeSignature(secret, ts, body), String(ts), now),
    ).toBe(false);
    expect(check(raw, computeSignature(secret, ts, body), String(ts - 1), now)).toBe(false);
  });

  it('refuses a timestamp older than five minutes, as Bolt does', () => {
    const old = ts - 301;
    expect(check(raw, computeSignature(secret, old, body), String(old), now)).toBe(false);
    const recent = ts - 299;
    expect(check(raw, computeSignature(secret, recent, body), String(recent), now)).toBe(true);
  });

  it('refuses missing, malformed and truncated headers', () => {
    const signature = computeSignature(secret, ts, body);
    expect(check(raw, undefined, String(ts), now)).toBe(false);
    expect(check(raw, signature, undefined, now)).toBe(false);
    expect(check(raw, [signature], String(ts), now)).toBe(false);
    expect(check(raw, signature, 'soon', now)).toBe(false);
    expect(check(raw, signature.replace('v0=', 'v1='), String(ts), now)).toBe(false);
    expect(check(raw, signature.slice(0, -1), String(ts), now)).toBe(false);
    expect(check(raw, 'v0=', String(ts), now)).toBe(false);
  });
});

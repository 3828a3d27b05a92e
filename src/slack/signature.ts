import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Slack refuses to honour requests older than this; so does Bolt, and so does this check. */
const MAX_AGE_SECONDS = 5 * 60;

/** Whether `raw` carries Slack's v0 signature for this secret and a timestamp not stale. */
export type SignatureCheck = (
  raw: Buffer,
  signature: unknown,
  timestamp: unknown,
  nowMs?: number,
) => boolean;

/**
 * Slack's request signature, checked as Bolt's `verifySlackRequest` checks it
 * (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`; a timestamp older than five minutes
 * is stale) but cheaper, because it runs on the ack path of every request: the secret is
 * imported once as a key, and the two hex strings are compared with `crypto.timingSafeEqual`.
 * Bolt compares with `tsscmp`, which draws 32 random bytes and computes two more HMACs per
 * request: ~40 µs of a help's ~300 µs (measured in isolation, 2.3 µs for the HMAC alone).
 */
export function slackSignatureCheck(signingSecret: string): SignatureCheck {
  const key: KeyObject = createSecretKey(Buffer.from(signingSecret, 'utf8'));
  return (raw, signature, timestamp, nowMs = Date.now()) => {
    if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds) || seconds < Math.floor(nowMs / 1000) - MAX_AGE_SECONDS) {
      return false;
    }
    if (!signature.startsWith('v0=')) return false;
    const theirs = Buffer.from(signature.slice(3), 'utf8');
    const ours = Buffer.from(
      createHmac('sha256', key).update(`v0:${timestamp}:`).update(raw).digest('hex'),
      'utf8',
    );
    return theirs.length === ours.length && timingSafeEqual(theirs, ours);
  };
}

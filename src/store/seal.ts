import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/** Format byte first, so the layout can change later without guessing. */
const FORMAT_V1 = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  keyId: string;
  /** format (1) | nonce (12) | ciphertext | GCM tag (16) */
  box: Buffer;
}

export type Opened =
  | { ok: true; plaintext: Buffer /** sealed under an older key: re-seal it */; stale: boolean }
  | { ok: false; reason: 'key_missing' | 'corrupt' };

/**
 * AES-256-GCM under the keyring's current key. `context` is bound as associated data (e.g. the
 * owner and provider), so a sealed value copied onto another user's row will not open.
 */
export function seal(keyring: Keyring, plaintext: Buffer, context: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    keyId: keyring.current.id,
    box: Buffer.concat([Buffer.from([FORMAT_V1]), nonce, ciphertext, cipher.getAuthTag()]),
  };
}

export function open(keyring: Keyring, sealed: Sealed, context: string): Opened {
  const entry = keyring.find(sealed.keyId);
  if (!entry) return { ok: false, reason: 'key_missing' };
  const { box } = sealed;
  if (box.length < 1 + NONCE_BYTES + TAG_BYTES || box[0] !== FORMAT_V1) {
    return { ok: false, reason: 'corrupt' };
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', entry.key, box.subarray(1, 1 + NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(box.subarray(box.length - TAG_BYTES));
    const plaintext = Buffer.concat([
      decipher.update(box.subarray(1 + NONCE_BYTES, box.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return { ok: true, plaintext, stale: entry.id !== keyring.current.id };
  } catch {
    // A failed tag check: tampered, swapped between rows, or a reused label for another key.
    return { ok: false, reason: 'corrupt' };
  }
}

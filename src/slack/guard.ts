import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isRawBodyError,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { Logger } from '../log.ts';
import { checkInbound } from './inbound.ts';
import { slackSignatureCheck } from './signature.ts';

/**
 * The largest request body accepted, in bytes. Slack documents no payload limit, so the figure is
 * derived from what Slack can send this app: the biggest payload is a `block_actions` that echoes
 * one of the bot's own messages (≤ 50 blocks of ≤ 3,000 characters, plus ≤ 40,000 of `text`:
 * ≈ 190,000 characters) or a `view_submission` of its largest modal (the query form: SQL,
 * description and title, each capped by the modal, plus the view itself). Form encoding at most
 * triples ASCII punctuation, so real payloads stay well under 600 kB; 1 MiB leaves room for
 * non-ASCII text and refuses anything a person could not have produced in Slack (Bolt's default
 * is 4 MB, which let a 1.5 MB `/alation sql xxx…` through to the parser and the reply).
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** How much of an oversized body is read and dropped before the connection is simply closed. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

function discard(req: IncomingMessage, limit: number, then: () => void): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.destroy();
  });
  req.on('end', then);
  req.on('error', () => {});
  req.resume();
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function reject(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(status === 413 ? 'request body too large' : 'malformed Slack request');
}

/**
 * Puts a check in front of Bolt's HTTP receiver, which is built with its own signature check off
 * (this one does it, once per request): an unsigned or stale request is answered 401, Slack's
 * SSL check 200, and a signed request whose body is not an object, or lacks what Bolt and the
 * listeners read (see `checkInbound`), 400 at once with one warning, instead of crashing the
 * process (`body.ssl_check` on `null`), a 500, or a 404 after 3 s. Unparsable bodies go on to
 * Bolt, which answers them 400; other paths (health, OAuth) are untouched.
 */
export function guardHttpReceiver(
  receiver: HTTPReceiver,
  options: { signingSecret: string; endpoint: string; log: Logger },
): void {
  const { signingSecret, endpoint, log } = options;
  const signedBySlack = slackSignatureCheck(signingSecret);
  const bolt: RequestListener = receiver.requestListener;
  const guarded: RequestListener = (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== endpoint) {
      bolt(req, res);
      return;
    }
    screen(req, res).then(
      (pass) => {
        if (pass) bolt(req, res);
      },
      (err: unknown) => {
        log.warn({ err, path }, 'could not read a Slack request');
        reject(res, 400);
      },
    );
  };
  async function screen(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, BODY_LIMIT_BYTES);
    } catch (err) {
      if (isRawBodyError(err) && (err.type === 'entity.too.large' || err.statusCode === 413)) {
        log.warn(
          { limit: BODY_LIMIT_BYTES, length: req.headers['content-length'] },
          'refused a Slack request: body too large',
        );
        // Read (and drop) the rest, up to a bound, so the client gets the 413 rather than a reset.
        discard(req, DISCARD_LIMIT_BYTES, () => reject(res, 413));
        return false;
      }
      throw err;
    }
    const raw = buffered.rawBody.toString();
    // Slack's SSL check carries no signature; it is answered here, and nothing else in its body
    // is read (Bolt no longer verifies, so it must never see such a body).
    if (isSslCheck(req, raw)) {
      res.writeHead(200);
      res.end();
      return false;
    }
    if (
      !signedBySlack(
        buffered.rawBody,
        req.headers['x-slack-signature'],
        req.headers['x-slack-request-timestamp'],
      )
    ) {
      log.warn('refused a Slack request: missing, wrong or stale signature');
      res.writeHead(401);
      res.end();
      return false;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return true; // Bolt logs it and answers 400.
    }
    const checked = checkInbound(body);
    if (checked.ok) return true;
    log.warn(
      { kind: checked.kind, problem: checked.problem, bytes: buffered.rawBody.length },
      'refused a malformed Slack request',
    );
    reject(res, 400);
    return false;
  }
  receiver.requestListener = guarded;
}

/** `ssl_check=1` in a form body, as Bolt recognises it (parsed only when it can be there). */
function isSslCheck(req: IncomingMessage, raw: string): boolean {
  return (
    req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
    raw.includes('ssl_check=') &&
    new URLSearchParams(raw).get('ssl_check') === '1'
  );
}

/**
 * The same check for a receiver that calls `app.processEvent` itself (Socket Mode): a malformed
 * envelope payload is acknowledged (so Slack does not resend it) and dropped, with one warning.
 * Bolt's receivers use only `processEvent` of the App they are given in `init`.
 */
export function guardProcessEvent(receiver: Receiver, log: Logger): void {
  const init = receiver.init.bind(receiver);
  receiver.init = (app: App) => {
    const guardedApp = {
      processEvent: async (event: ReceiverEvent) => {
        const checked = checkInbound(event.body);
        if (checked.ok) return app.processEvent(event);
        log.warn(
          { kind: checked.kind, problem: checked.problem },
          'dropped a malformed Slack request',
        );
        await event.ack();
      },
    };
    init(guardedApp as unknown as App);
  };
}

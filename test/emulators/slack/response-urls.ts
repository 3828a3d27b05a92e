// response_url: the URLs Slack hands out with commands and actions, and the posts they take.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateBlocks } from './blocks.ts';
import { notify, type SlackEnv } from './state.ts';
import { isObject, readBody, str, truthy } from './wire.ts';

/** A fresh response_url served by the emulator. */
export function mintResponseUrl(env: SlackEnv): string {
  const id = randomBytes(9).toString('base64url');
  env.state.responseUrls.set(id, 0);
  return `${env.baseUrl}/response/${id}`;
}

/** A POST to a response_url: accepted `responseUrlMaxPosts` times, validated like chat.postMessage. */
export async function handleResponseUrl(
  env: SlackEnv,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const raw = await readBody(req);
  const url = `${env.baseUrl}/response/${id}`;
  const used = env.state.responseUrls.get(id);
  const answer = (status: number, text: string, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
    env.state.responses.push({ id, url, body, at: Date.now(), status });
    notify(env);
  };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    body = raw.toString('utf8');
  }
  if (used === undefined) return answer(404, 'expired_url', body);
  if (used >= env.responseUrlMaxPosts) return answer(404, 'used_url', body);
  if (!isObject(body)) return answer(400, 'invalid_payload', body);
  const blocksError =
    body.blocks === undefined ? [] : validateBlocks(body.blocks, 'message', '/blocks');
  if (
    !str(body.text) &&
    body.blocks === undefined &&
    body.attachments === undefined &&
    !truthy(body.delete_original)
  )
    return answer(400, 'no_text', body);
  if (blocksError.length) return answer(400, 'invalid_blocks', body);
  env.state.responseUrls.set(id, used + 1);
  answer(200, 'ok', body);
}

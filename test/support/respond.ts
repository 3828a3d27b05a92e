import type { TestBot } from './bot.ts';

/** Waits for the app's next post to `url` (a response_url minted by the emulator). */
export async function nextResponse(
  t: TestBot,
  url: string,
  count = 1,
): Promise<Record<string, unknown>> {
  const posts = await t.slack.waitUntil(() => {
    const found = t.slack.responsesTo(url);
    return found.length >= count ? found : undefined;
  });
  return posts[count - 1]?.body as Record<string, unknown>;
}

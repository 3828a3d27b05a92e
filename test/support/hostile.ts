/**
 * Hostile text for property and fuzz tests: a seeded generator of strings a careless or hostile
 * person (or an Alation title, a Mode error) could produce, and a checker that finds Slack markup
 * in what the bot sends which the bot itself did not mean.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Special mentions and markup that would act if they reached Slack unescaped. The ids are ones
 * the bot never uses itself, so finding them raw in output always means an echo slipped through.
 */
export const HOSTILE_MARKUP = [
  '<!everyone>',
  '<!channel>',
  '<!here>',
  '<!here|here>',
  '<!subteam^SHOSTILE1>',
  '<!subteam^SHOSTILE1|@admins>',
  '<@UHOSTILE1>',
  '<@WHOSTILE1|mallory>',
  '<#CHOSTILE1|general>',
  '<#CHOSTILE1>',
  '<https://evil.example/phish|Click to reconnect>',
  '<mailto:x@evil.example|support>',
  '<!date^1392734382^{date}|Feb 18>',
] as const;

/** Fixed strings worth trying every time: quotes, code fences, SQL injection, control bytes. */
export const HOSTILE_FIXED = [
  ...HOSTILE_MARKUP,
  '',
  ' ',
  '&amp;lt;!here&amp;gt;',
  '&lt;!channel&gt;',
  '```',
  '`x` ``y``',
  '"\'"; DROP TABLE users; --',
  "1 OR 1=1'--",
  '*bold* _it_ ~s~ >quote',
  '\u0000\u0001\u0007',
  '\u202e\u200b\ufeff',
  '😀👩‍👩‍👧‍👦🇩🇪',
  'a\nb\r\nc\td',
  '-1',
  '1e309',
  '9007199254740993',
  '0x1F',
  '12.5',
  'https://alation.example.com/query/1/',
  '@here @channel @everyone',
  '<>&',
] as const;

const RANDOM_POOL = [
  ...'abcXYZ019 _-*~`\'"<>&!@#^|/\\{}[]()%$\n\t',
  'é',
  'ß',
  '中',
  '😀',
  '\u0000',
  '\u202e',
];

function randomPiece(rand: () => number): string {
  const pick = rand();
  if (pick < 0.35) return HOSTILE_MARKUP[Math.floor(rand() * HOSTILE_MARKUP.length)] ?? '';
  const n = 1 + Math.floor(rand() * 12);
  let out = '';
  for (let i = 0; i < n; i++) out += RANDOM_POOL[Math.floor(rand() * RANDOM_POOL.length)];
  return out;
}

/** A random hostile string: pieces of markup and random characters; sometimes very long. */
export function hostileString(rand: () => number, { long = true } = {}): string {
  const pieces = 1 + Math.floor(rand() * 5);
  let out = '';
  for (let i = 0; i < pieces; i++) out += randomPiece(rand);
  if (long && rand() < 0.05) out = out.repeat(Math.ceil(10_000 / Math.max(1, out.length)));
  return out;
}

/** `count` hostile strings: every fixed one first, then seeded random ones. */
export function hostileStrings(seed: number, count: number): string[] {
  const rand = seededRandom(seed);
  const out: string[] = [...HOSTILE_FIXED];
  while (out.length < count) out.push(hostileString(rand));
  return out.slice(0, Math.max(count, 0));
}

export interface MarkupFinding {
  /** JSON path of the string, e.g. `blocks[0].text.text`. */
  path: string;
  markup: string;
}

/** Keys whose strings Slack never renders as mrkdwn (data, ids, inputs' own values). */
const LITERAL_KEYS = new Set([
  'value',
  'initial_value',
  'private_metadata',
  'action_id',
  'block_id',
  'callback_id',
  'url',
  'image_url',
  'external_id',
  'hash',
  'filename',
  'title',
  'alt_text',
  'fallback',
  // A view submission's `response_action: errors` messages show as plain text under a field.
  'errors',
]);

/**
 * Every raw special mention, user/channel/group reference or link markup from HOSTILE_MARKUP
 * found in a string Slack would parse: any `text` outside a plain_text object, and any other
 * string that is not in LITERAL_KEYS. An escaped `&lt;!here&gt;` is fine; `<!here>` is not.
 */
export function findHostileMarkup(value: unknown, path = ''): MarkupFinding[] {
  if (typeof value === 'string') {
    return HOSTILE_MARKUP.filter((m) => value.includes(m)).map((markup) => ({ path, markup }));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findHostileMarkup(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const plain = record.type === 'plain_text';
  return Object.entries(record).flatMap(([key, v]) => {
    if (LITERAL_KEYS.has(key) && (typeof v === 'string' || key === 'errors')) return [];
    if (plain && key === 'text') return [];
    return findHostileMarkup(v, path ? `${path}.${key}` : key);
  });
}

/** Stack-trace lines ("    at fn (file.ts:1:2)") or error class dumps in something sent to people. */
export function looksLikeStackTrace(text: string): boolean {
  return (
    /\n\s+at\s+\S+.*\(?[\w./-]+:\d+:\d+\)?/.test(text) ||
    /\b(TypeError|ReferenceError|SyntaxError): /.test(text)
  );
}

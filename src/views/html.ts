import { escapeMrkdwn } from './blocks.ts';

// Alation stores rich-text fields (descriptions) as HTML. Slack shows mrkdwn, and treats
// `&`, `<` and `>` as its own markup, so HTML has to be translated, not pasted: a stray `<`
// from Alation must never become a Slack link, mention or `<!channel>`.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  euro: '€',
  pound: '£',
  cent: '¢',
  yen: '¥',
  sect: '§',
  para: '¶',
};

/** HTML character references → characters; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z][a-zA-Z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const code = Number.parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10);
      const valid =
        Number.isFinite(code) &&
        code > 0 &&
        code <= 0x10ffff &&
        !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : '\uFFFD';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Tags whose content is never text a person should read. */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg']);
const PARAGRAPHS = new Set([
  'p',
  'div',
  'blockquote',
  'table',
  'section',
  'article',
  'header',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);
const LINES = new Set(['tr', 'dt', 'dd', 'hr']);
const BOLD = new Set(['b', 'strong', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const ITALIC = new Set(['i', 'em']);

const TAG =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!?\/?([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s>"'=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g;

function attribute(attrs: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>"']+))`, 'i');
  const m = re.exec(attrs);
  const raw = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  return raw === undefined ? undefined : decodeEntities(raw).trim();
}

/**
 * A link target Slack may show: http(s) and mailto only (never `javascript:` and friends),
 * with relative catalog paths made absolute on `baseUrl`.
 */
function safeHref(href: string | undefined, baseUrl: string | undefined): string | undefined {
  if (!href) return undefined;
  // Browsers ignore control characters and whitespace in a URL, so `java\nscript:` is still
  // javascript:; remove them before looking at the scheme.
  let url = Array.from(href)
    .filter((c) => c.charCodeAt(0) > 0x20 && !/\s/.test(c))
    .join('');
  if (url.startsWith('/') && !url.startsWith('//')) {
    if (!baseUrl) return undefined;
    url = `${baseUrl.replace(/\/+$/, '')}${url}`;
  }
  if (!/^(?:https?:\/\/[^/]|mailto:)/i.test(url)) return undefined;
  // `|` and `>` would end Slack's <url|label> early.
  return escapeMrkdwn(url).replace(/\|/g, '%7C');
}

interface Open {
  tag: string;
  /** Where the element's content starts in the output. */
  at: number;
  href?: string | undefined;
}

export interface HtmlToMrkdwnOptions {
  /** Makes relative links (`/table/12/`) absolute; without it they become plain text. */
  baseUrl?: string;
}

/**
 * HTML (as Alation's rich-text editor writes it) → Slack mrkdwn: paragraphs, line breaks, bold,
 * italic, links, lists and code. Other tags are dropped and keep their text; scripts and styles
 * lose their content too. Pure, and never throws on malformed input.
 */
export function htmlToMrkdwn(html: string, options: HtmlToMrkdwnOptions = {}): string {
  let out = '';
  const open: Open[] = [];
  const lists: { ordered: boolean; count: number }[] = [];
  let literal = 0; // inside <code>/<pre>: no formatting markers
  let pre = 0; // inside <pre>: whitespace kept
  let link = 0; // inside <a>: Slack cannot format a link's label

  const breakLines = (n: number) => {
    if (out === '') return;
    const trailing = /\n*$/.exec(out.replace(/[ \t]+$/, ''))?.[0].length ?? 0;
    out = out.replace(/[ \t]+$/, '');
    if (trailing < n) out += '\n'.repeat(n - trailing);
  };

  const text = (raw: string) => {
    let t = decodeEntities(raw);
    if (pre === 0) {
      t = t.replace(/\s+/g, ' ');
      if (out === '' || /[\s]$/.test(out)) t = t.replace(/^ /, '');
    }
    if (link > 0) t = t.replace(/\n/g, ' ');
    out += escapeMrkdwn(t);
  };

  /** Wraps what an element produced in `mark`, per line, whitespace outside the marks. */
  const wrap = (at: number, mark: string) => {
    const content = out.slice(at);
    const wrapped = content
      .split('\n')
      .map((line) => {
        const m = /^(\s*)(.*?)(\s*)$/.exec(line);
        if (!m || m[2] === '') return line;
        return `${m[1]}${mark}${m[2]}${mark}${m[3]}`;
      })
      .join('\n');
    out = out.slice(0, at) + wrapped;
  };

  const formatting = () => literal === 0 && link === 0;

  const close = (tag: string) => {
    const index = open.map((o) => o.tag).lastIndexOf(tag);
    if (index === -1) return; // a stray end tag changes nothing
    // Elements left open inside it end here too, as browsers do.
    while (open.length > index) closeTop();
  };

  const closeTop = () => {
    const el = open.pop();
    if (!el) return;
    const { tag, at } = el;
    if (tag === 'a') {
      link -= 1;
      if (el.href) {
        const label = out.slice(at).trim();
        out = out.slice(0, at);
        out += !label || label === el.href ? `<${el.href}>` : `<${el.href}|${label}>`;
      }
      return;
    }
    if (tag === 'pre') {
      pre -= 1;
      literal -= 1;
      out = out.replace(/\n+$/, '');
      out += '```';
      breakLines(1);
      return;
    }
    if (tag === 'code') {
      literal -= 1;
      if (literal === 0 && pre === 0 && link === 0) wrap(at, '`');
      return;
    }
    if (BOLD.has(tag) && formatting() && !open.some((o) => BOLD.has(o.tag))) wrap(at, '*');
    if (ITALIC.has(tag) && formatting() && !open.some((o) => ITALIC.has(o.tag))) wrap(at, '_');
    if (tag === 'ul' || tag === 'ol') {
      lists.pop();
      breakLines(1);
    }
    if (tag === 'li' || LINES.has(tag)) breakLines(1);
    if (PARAGRAPHS.has(tag)) breakLines(2);
    if (tag === 'td' || tag === 'th') out += ' ';
  };

  const start = (tag: string, attrs: string, selfClosing: boolean) => {
    if (tag === 'br') {
      out = out.replace(/[ \t]+$/, '');
      out += '\n';
      return;
    }
    if (tag === 'hr') {
      breakLines(1);
      out += '———';
      breakLines(1);
      return;
    }
    if (selfClosing || tag === 'img' || tag === 'input' || tag === 'meta' || tag === 'link') {
      return;
    }
    if (PARAGRAPHS.has(tag)) breakLines(2);
    if (LINES.has(tag)) breakLines(1);
    if (tag === 'ul' || tag === 'ol') {
      breakLines(1);
      lists.push({ ordered: tag === 'ol', count: 0 });
    }
    if (tag === 'li') {
      breakLines(1);
      const list = lists.at(-1);
      const depth = Math.max(lists.length - 1, 0);
      let bullet = depth === 0 ? '•' : '◦';
      if (list?.ordered) {
        list.count += 1;
        bullet = `${list.count}.`;
      }
      out += `${'    '.repeat(depth)}${bullet} `;
    }
    if (tag === 'pre') {
      breakLines(1);
      out += '```';
      pre += 1;
      literal += 1;
    }
    if (tag === 'code') literal += 1;
    const el: Open = { tag, at: out.length };
    if (tag === 'a') {
      link += 1;
      el.href = link === 1 ? safeHref(attribute(attrs, 'href'), options.baseUrl) : undefined;
    }
    open.push(el);
  };

  let last = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    if (m.index > last) text(html.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1]?.toLowerCase();
    const whole = m[0];
    if (!name || whole.startsWith('<!')) continue; // comments, doctype, CDATA
    if (whole.startsWith('</')) {
      close(name);
      continue;
    }
    if (DROPPED.has(name)) {
      // Skip to its end tag (or the end of the input): its content is not text.
      const end = new RegExp(`</${name}\\s*>`, 'ig');
      end.lastIndex = last;
      const found = end.exec(html);
      last = found ? found.index + found[0].length : html.length;
      TAG.lastIndex = last;
      continue;
    }
    start(name, m[2] ?? '', /\/\s*>$/.test(whole));
  }
  if (last < html.length) text(html.slice(last));
  while (open.length > 0) closeTop();

  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

import { type DefaultTreeAdapterTypes, parseFragment } from 'parse5';
import { escapeMrkdwn } from './blocks.ts';

// Alation stores rich-text fields (descriptions) as HTML. Slack shows mrkdwn, and treats
// `&`, `<` and `>` as its own markup, so HTML has to be translated, not pasted: a stray `<`
// from Alation must never become a Slack link, mention or `<!channel>`.
//
// parse5 reads the HTML as a browser would (WHATWG tokenizer and tree construction: all 2,231
// named character references, implied end tags, misnested formatting, raw-text elements), so
// this file only walks the tree it builds and writes mrkdwn.

type Node = DefaultTreeAdapterTypes.ChildNode;
type Element = DefaultTreeAdapterTypes.Element;

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

/** HTML's whitespace (https://infra.spec.whatwg.org/#ascii-whitespace): `&nbsp;` is not. */
const SPACES = /[ \t\n\f\r]+/g;
const ENDS_IN_SPACE = /[ \t\n\f\r]$/;

function attribute(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value.trim();
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
  let bold = 0;
  let italic = 0;

  const breakLines = (n: number) => {
    if (out === '') return;
    const trailing = /\n*$/.exec(out.replace(/[ \t]+$/, ''))?.[0].length ?? 0;
    out = out.replace(/[ \t]+$/, '');
    if (trailing < n) out += '\n'.repeat(n - trailing);
  };

  // The parser has decoded every character reference already; this only collapses whitespace.
  const text = (decoded: string) => {
    let t = decoded;
    if (pre === 0) {
      t = t.replace(SPACES, ' ');
      if (out === '' || ENDS_IN_SPACE.test(out)) t = t.replace(/^ /, '');
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

  const close = () => {
    const el = open.pop();
    if (!el) return;
    const { tag, at } = el;
    if (tag === 'a') {
      link -= 1;
      if (el.href) {
        // A Slack link is one line: a <br> or <p> inside the label must not break it.
        const label = out
          .slice(at)
          .replace(/\s*\n\s*/g, ' ')
          .trim();
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
    if (BOLD.has(tag)) {
      bold -= 1;
      if (bold === 0 && formatting()) wrap(at, '*');
    }
    if (ITALIC.has(tag)) {
      italic -= 1;
      if (italic === 0 && formatting()) wrap(at, '_');
    }
    if (tag === 'ul' || tag === 'ol') {
      lists.pop();
      breakLines(1);
    }
    if (tag === 'li' || LINES.has(tag)) breakLines(1);
    if (PARAGRAPHS.has(tag)) breakLines(2);
    if (tag === 'td' || tag === 'th') out += ' ';
  };

  /** Writes what comes before an element's content; false when it has none (void elements). */
  const start = (el: Element): boolean => {
    const tag = el.tagName;
    if (tag === 'br') {
      out = out.replace(/[ \t]+$/, '');
      out += '\n';
      return false;
    }
    if (tag === 'hr') {
      breakLines(1);
      out += '———';
      breakLines(1);
      return false;
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
    if (BOLD.has(tag)) bold += 1;
    if (ITALIC.has(tag)) italic += 1;
    const entry: Open = { tag, at: out.length };
    if (tag === 'a') {
      link += 1;
      entry.href = link === 1 ? safeHref(attribute(el, 'href'), options.baseUrl) : undefined;
    }
    open.push(entry);
    return true;
  };

  // Depth-first, with a stack of its own rather than recursion: a description of 100,000
  // nested <div>s is still a tree parse5 builds, and must not overflow the call stack here.
  const todo: (Node | 'end')[] = parseFragment(html).childNodes.toReversed();
  for (let node = todo.pop(); node !== undefined; node = todo.pop()) {
    if (node === 'end') close();
    else if ('value' in node) text(node.value);
    else if ('tagName' in node && !DROPPED.has(node.tagName) && start(node)) {
      todo.push('end', ...node.childNodes.toReversed());
    }
  }

  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

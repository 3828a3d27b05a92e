import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/views/blocks.ts';
import { htmlToMrkdwn } from '../../../src/views/html.ts';

const BASE = 'https://alation.example.com';
const md = (html: string) => htmlToMrkdwn(html, { baseUrl: BASE });

describe('htmlToMrkdwn', () => {
  it('turns the documented description into plain text', () => {
    expect(md('<p>Contains one row for each Article ever created in Alation</p>\n')).toBe(
      'Contains one row for each Article ever created in Alation',
    );
  });

  it('keeps paragraphs apart and line breaks as new lines', () => {
    expect(md('<p>One</p><p>Two<br>three<br/>four</p>\n\n<p></p><p>Five</p>')).toBe(
      'One\n\nTwo\nthree\nfour\n\nFive',
    );
  });

  it('collapses HTML whitespace the way a browser shows it', () => {
    expect(md('<p>  lots   of\n\n   space\t</p>')).toBe('lots of space');
  });

  it('bolds and italicises, with whitespace outside the marks', () => {
    expect(md('<b>bold</b>, <strong> strong </strong>and <i>it</i> <em>em</em>')).toBe(
      '*bold*, *strong* and _it_ _em_',
    );
    expect(md('<b>outer <strong>inner</strong> rest</b>')).toBe('*outer inner rest*');
    expect(md('<b></b>empty<i> </i>')).toBe('empty');
    expect(md('<b>two<br>lines</b>')).toBe('*two*\n*lines*');
  });

  it('turns links into Slack links, relative ones on the Alation host', () => {
    expect(md('<a href="https://x.example/a?b=1&amp;c=2">the <b>docs</b></a>')).toBe(
      '<https://x.example/a?b=1&amp;c=2|the docs>',
    );
    expect(md("<a href='/table/12/'>orders</a>")).toBe(`<${BASE}/table/12/|orders>`);
    expect(md('<a href="mailto:data@example.com">data@example.com</a>')).toBe(
      '<mailto:data@example.com|data@example.com>',
    );
    expect(md('<a href="https://x.example/">https://x.example/</a>')).toBe('<https://x.example/>');
    expect(md('<a href="https://x.example/p|q>r">label</a>')).toBe(
      '<https://x.example/p%7Cq&gt;r|label>',
    );
  });

  it('drops unsafe or unusable link targets and keeps their text', () => {
    expect(md('<a href="javascript:alert(1)">click</a>')).toBe('click');
    expect(md('<a href=" java\nscript:alert(1)">click</a>')).toBe('click');
    expect(md('<a href="data:text/html,x">data</a>')).toBe('data');
    expect(md('<a>no href</a>')).toBe('no href');
    expect(htmlToMrkdwn('<a href="/table/1/">relative</a>')).toBe('relative');
  });

  it('lists items with bullets, numbers and indentation for nested lists', () => {
    expect(
      md(
        '<ul><li>One</li><li><b>Two</b><ul><li>nested</li></ul></li></ul><ol><li>a</li><li>b</li></ol>after',
      ),
    ).toBe('• One\n• *Two*\n    ◦ nested\n1. a\n2. b\nafter');
  });

  it('keeps code as code, without formatting inside', () => {
    expect(md('Use <code>SELECT *</code> or <code><b>x</b></code>')).toBe('Use `SELECT *` or `x`');
    expect(md('<pre>SELECT a,\n  b\nFROM t</pre>')).toBe('```SELECT a,\n  b\nFROM t```');
  });

  it('decodes entities, then escapes what Slack treats as markup', () => {
    // `&nbsp;` is U+00A0, which HTML does not collapse: a browser shows a space and a
    // non-breaking space here (the hand-written decoder made it an ordinary, collapsible space).
    expect(md('a &lt;b&gt; &amp; c &quot;d&quot; &#39;e&#39; &#x1F600; &mdash; &nbsp;f')).toBe(
      'a &lt;b&gt; &amp; c "d" \'e\' 😀 — \u00a0f',
    );
    expect(md('&unknown; &#0; &#xD800;')).toBe('&amp;unknown; \uFFFD \uFFFD');
  });

  it('never lets text become a mention, a channel ping or a link', () => {
    const out = md('&lt;!channel&gt; &lt;@U123&gt; <span>&lt;https://evil|x&gt;</span> a < b');
    expect(out).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|x&gt; a &lt; b');
    expect(out).not.toMatch(/<[!@h]/);
  });

  it('strips other tags safely, and the content of scripts and styles', () => {
    expect(
      md(
        '<div class="x"><span style="color:red">red</span> <font>old</font></div><script>alert(1)</script><style>p{}</style><!-- note -->done<img src="x.png" alt="pic">',
      ),
    ).toBe('red old\n\ndone');
    expect(md('<script>never closed')).toBe('');
    expect(md('<h2>Title</h2><p>body</p>')).toBe('*Title*\n\nbody');
  });

  it('survives malformed HTML', () => {
    expect(md('<p>open <b>bold <i>both')).toBe('open *bold _both_*');
    expect(md('</b>stray</p> end')).toBe('stray end');
    expect(md('<<>>')).toBe('&lt;&lt;&gt;&gt;');
    expect(md('')).toBe('');
  });
});

describe('HTML as a browser reads it', () => {
  it.each([
    ['&hellip;', '…'],
    ['&nbsp;', '\u00a0'],
    ['&eacute;&Eacute;', 'éÉ'],
    ['&rarr;', '→'],
    ['&NotEqualTilde;', '\u2242\u0338'],
    ['&CounterClockwiseContourIntegral;', '∳'],
    ['&fjlig;', 'fj'],
    ['&copy 2024', '© 2024'],
    ['&notit;', '¬it;'],
    ['&ampx', '&amp;x'],
  ])('decodes %s as HTML does', (entity, shown) => {
    expect(md(`x${entity}y`)).toBe(`x${shown}y`);
  });

  it('decodes references inside attributes, so an encoded javascript: is still refused', () => {
    expect(md('<a href="&#106;avascript:alert(1)">a</a>')).toBe('a');
    expect(md('<a href="JaVaScRiPt&colon;alert(1)">b</a>')).toBe('b');
    expect(md('<a href="https://x.example/?q=1&amp;r=&#50;">c</a>')).toBe(
      '<https://x.example/?q=1&amp;r=2|c>',
    );
  });

  it('builds malformed HTML into the tree a browser would', () => {
    expect(md('<p>one<p>two<ul><li>a<li>b</ul>')).toBe('one\n\ntwo\n\n• a\n• b');
    expect(md('<b><i>mis</b> nest</i>')).toBe('*_mis_* _nest_');
    expect(md('<table><tr><td>a<td>b</table>')).toBe('a b');
    expect(md('<b>x</br>y</b>')).toBe('*x*\n*y*');
    // An attribute quote never closed swallows the rest, as in a browser: nothing half-parsed.
    expect(md('before <a href="x>text')).toBe('before');
  });

  it('drops scripts, styles and other non-text content, wherever they are', () => {
    expect(
      md(
        '<div>a<script>b</script><style>c</style><noscript>d</noscript><template>e</template><svg><text>f</text></svg>g</div>',
      ),
    ).toBe('ag');
    expect(md('<p>x<script>document.write("<p>y</p>")')).toBe('x');
  });

  it('shows raw-text elements as text, escaped', () => {
    expect(md('<textarea><b>&lt;!here&gt;</b></textarea>')).toBe(
      '&lt;b&gt;&lt;!here&gt;&lt;/b&gt;',
    );
  });

  it('indents and numbers nested lists by depth', () => {
    expect(md('<ol><li>a<ol><li>b<ul><li>c</li></ul></li></ol></li><li>d</li></ol>')).toBe(
      '1. a\n    1. b\n        ◦ c\n2. d',
    );
  });

  it('builds links whose URL and label cannot end early or notify', () => {
    expect(md('<a href="https://x.example/a|b>c<d">l&gt;m</a>')).toBe(
      '<https://x.example/a%7Cb&gt;c&lt;d|l&gt;m>',
    );
    expect(md('<a href="https://x.example/&lt;!here&gt;">&lt;@U1&gt;</a>')).toBe(
      '<https://x.example/&lt;!here&gt;|&lt;@U1&gt;>',
    );
    expect(md('<a href="https://x.example/">two<br>lines</a>')).toBe(
      '<https://x.example/|two lines>',
    );
    expect(md('<a href="javascript:alert(1)">x</a> <a href="vbscript:y">z</a>')).toBe('x z');
  });

  it('walks trees too deep for recursion without overflowing the stack', () => {
    expect(md(`${'<div>'.repeat(50_000)}deep`)).toBe('deep');
  });
});

describe('entities and escaping', () => {
  it('decodes named and numeric references', () => {
    expect(md('&AMP; &#65;&#x42; &hellip;')).toBe('&amp; AB …');
  });

  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('<a & b>*_`')).toBe('&lt;a &amp; b&gt;*_`');
  });
});

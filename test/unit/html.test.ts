import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../src/views/blocks.ts';
import { decodeEntities, htmlToMrkdwn } from '../../src/views/html.ts';

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
    expect(md('a &lt;b&gt; &amp; c &quot;d&quot; &#39;e&#39; &#x1F600; &mdash; &nbsp;f')).toBe(
      'a &lt;b&gt; &amp; c "d" \'e\' 😀 — f',
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

describe('entities and escaping', () => {
  it('decodes named and numeric references', () => {
    expect(decodeEntities('&AMP; &#65;&#x42; &hellip;')).toBe('& AB …');
  });

  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('<a & b>*_`')).toBe('&lt;a &amp; b&gt;*_`');
  });
});

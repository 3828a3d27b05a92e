import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Chart } from '../../../src/charts/chart.ts';
import { createChartMemo } from '../../../src/charts/memo.ts';
import type { ChartTap } from '../../../src/charts/service.ts';
import type { ExtraFile } from '../../../src/slack/upload.ts';

const CHART: Chart = {
  kind: 'line',
  png: Buffer.from('png'),
  width: 1200,
  height: 600,
  altText: 'x',
};
const FILE: ExtraFile = { filename: 'q.png', title: 'Q (chart)', bytes: CHART.png, altText: 'x' };

/** A drawing tap whose chart arrives when `finish` is called. */
function drawing(files: ExtraFile[] = [FILE]) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const tap: ChartTap = {
    transform: new PassThrough(),
    files: async () => {
      await done;
      return files;
    },
    chart: async () => {
      await done;
      return files.length ? CHART : undefined;
    },
  };
  return { tap, finish };
}

function counting(make: () => ChartTap | undefined) {
  const draw = () => {
    draw.calls++;
    return make();
  };
  draw.calls = 0;
  return draw;
}

describe('createChartMemo', () => {
  it('draws a key once: a tap that comes while it draws shares the same file', async () => {
    const memo = createChartMemo();
    const first = drawing();
    const draw = counting(() => first.tap);
    const a = memo.tap('k', draw);
    const b = memo.tap('k', draw);
    expect(draw.calls).toBe(1);
    const bFiles = b?.files();
    first.finish();
    expect(await a?.files()).toEqual([FILE]);
    expect(await bFiles).toEqual([FILE]);
    expect(await b?.chart()).toBe(CHART);
  });

  it('a reusing tap passes the bytes through unchanged', async () => {
    const memo = createChartMemo();
    const first = drawing();
    memo.tap('k', () => first.tap);
    const reused = memo.tap('k', () => undefined);
    const out: Buffer[] = [];
    reused?.transform.on('data', (c: Buffer) => out.push(c));
    reused?.transform.end(Buffer.from('a,b\n1,2\n'));
    await new Promise((r) => reused?.transform.on('end', r));
    expect(Buffer.concat(out).toString()).toBe('a,b\n1,2\n');
  });

  it('draws again after the time to live, and for another key at once', async () => {
    let now = 0;
    const memo = createChartMemo({ ttlMs: 1_000, now: () => now });
    const draw = counting(() => {
      const d = drawing();
      d.finish();
      return d.tap;
    });
    await memo.tap('k', draw)?.files();
    await memo.tap('k', draw)?.files();
    expect(draw.calls).toBe(1);
    await memo.tap('other', draw)?.files();
    expect(draw.calls).toBe(2);
    now = 1_001;
    await memo.tap('k', draw)?.files();
    expect(draw.calls).toBe(3);
  });

  it('remembers no chart: when nothing was drawn, the next tap tries again', async () => {
    const memo = createChartMemo();
    const draw = counting(() => {
      const d = drawing([]);
      d.finish();
      return d.tap;
    });
    expect(await memo.tap('k', draw)?.files()).toEqual([]);
    await memo.tap('k', draw)?.files();
    expect(draw.calls).toBe(2);
  });

  it('when the drawing share fails (chart asked, never its file), the others go without', async () => {
    const memo = createChartMemo();
    const first = drawing();
    const a = memo.tap('k', () => first.tap);
    const b = memo.tap('k', () => undefined);
    first.finish();
    await a?.chart();
    expect(await b?.files()).toEqual([]);
    const draw = counting(() => drawing().tap);
    memo.tap('k', draw);
    expect(draw.calls).toBe(1);
  });

  it('a drawing share that never asks for its file holds the others at most waitMs', async () => {
    let now = 0;
    const memo = createChartMemo({ waitMs: 20, now: () => now });
    memo.tap('k', () => drawing().tap);
    const waiting = memo.tap('k', () => undefined);
    expect(await waiting?.files()).toEqual([]);
    now = 21;
    const draw = counting(() => drawing().tap);
    memo.tap('k', draw);
    expect(draw.calls).toBe(1);
  });

  it('keeps at most `max` charts, forgetting the oldest', async () => {
    const memo = createChartMemo({ max: 2 });
    const draw = counting(() => {
      const d = drawing();
      d.finish();
      return d.tap;
    });
    for (const key of ['a', 'b', 'c']) await memo.tap(key, draw)?.files();
    await memo.tap('c', draw)?.files();
    expect(draw.calls).toBe(3);
    await memo.tap('a', draw)?.files();
    expect(draw.calls).toBe(4);
  });

  it('no tap when the pool cannot draw, and nothing remembered', () => {
    const memo = createChartMemo();
    expect(memo.tap('k', () => undefined)).toBeUndefined();
    const draw = counting(() => drawing().tap);
    memo.tap('k', draw);
    expect(draw.calls).toBe(1);
  });
});

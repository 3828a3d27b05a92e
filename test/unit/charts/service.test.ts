import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { Chart } from '../../../src/charts/chart.ts';
import { type ChartStream, chartFileName, chartTap } from '../../../src/charts/service.ts';
import { createLogger } from '../../../src/log.ts';

const log = createLogger({ level: 'silent' });
const CHART: Chart = {
  kind: 'bar',
  png: Buffer.from('png'),
  width: 1200,
  height: 600,
  altText: 'Bar chart of <!here> by region',
};

/** A chart stream that records what it was given. */
function fakeStream(result: Promise<Chart | undefined> = Promise.resolve(CHART)) {
  const got: Buffer[] = [];
  const calls = { aborted: 0, ended: 0 };
  const stream: ChartStream = {
    async write(chunk) {
      got.push(Buffer.from(chunk));
    },
    end() {
      calls.ended++;
      return result;
    },
    abort() {
      calls.aborted++;
    },
  };
  return { stream, got, calls };
}

describe('chartTap', () => {
  it('passes every byte on unchanged, copies them to the chart, and offers its PNG as a file', async () => {
    const { stream, got, calls } = fakeStream();
    const tap = chartTap(stream, 'q.png', 'Q (chart)', log);
    const out: Buffer[] = [];
    await pipeline(
      Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]),
      tap.transform,
      async (source) => {
        for await (const c of source) out.push(c as Buffer);
      },
    );
    expect(Buffer.concat(out).toString()).toBe('a,b\n1,2\n');
    expect(Buffer.concat(got).toString()).toBe('a,b\n1,2\n');
    expect(await tap.files()).toEqual([
      {
        filename: 'q.png',
        title: 'Q (chart)',
        bytes: CHART.png,
        // Escaped as all text to Slack is.
        altText: 'Bar chart of &lt;!here&gt; by region',
      },
    ]);
    expect(calls).toEqual({ aborted: 0, ended: 1 });
  });

  it('offers no file when rendering fails, and the share goes on', async () => {
    const { stream } = fakeStream(Promise.reject(new Error('resvg broke')));
    const tap = chartTap(stream, 'q.png', 'Q', log);
    await pipeline(Readable.from([Buffer.from('x\n')]), tap.transform, async (s) => {
      for await (const _ of s);
    });
    expect(await tap.files()).toEqual([]);
  });

  it('frees the chart when the result never reached its end', async () => {
    const { stream, calls } = fakeStream();
    const tap = chartTap(stream, 'q.png', 'Q', log);
    tap.transform.write(Buffer.from('a,b\n'));
    expect(await tap.files()).toEqual([]);
    expect(calls.aborted).toBe(1);
    expect(calls.ended).toBe(0);
  });
});

describe('chartTap when the chart falls behind', () => {
  it('drops the chart and lets the bytes through once it has held them back too long', async () => {
    const { stream, calls } = fakeStream();
    stream.write = () => new Promise(() => {}); // a thread that never catches up
    const tap = chartTap(stream, 'q.png', 'Q', log, 50);
    const out: Buffer[] = [];
    const started = performance.now();
    await pipeline(
      Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n'), Buffer.from('3,4\n')]),
      tap.transform,
      async (source) => {
        for await (const c of source) out.push(c as Buffer);
      },
    );
    expect(Buffer.concat(out).toString()).toBe('a,b\n1,2\n3,4\n');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(calls.aborted).toBe(1);
    expect(await tap.files()).toEqual([]);
    expect(calls.ended).toBe(0);
  });
});

describe('chartTap when the chart is late', () => {
  it('shares without it once the CSV has waited finishMs for it', async () => {
    const { stream, calls } = fakeStream(new Promise(() => {}));
    const tap = chartTap(stream, 'q.png', 'Q', log, 2_000, 50);
    await pipeline(Readable.from([Buffer.from('a,b\n')]), tap.transform, async (s) => {
      for await (const _ of s);
    });
    expect(await tap.files()).toEqual([]);
    expect(calls.aborted).toBe(1);
  });
});

describe('chartFileName', () => {
  it('names the PNG after the CSV', () => {
    expect(chartFileName('Sales-12.csv')).toBe('Sales-12.png');
  });
});

describe('createCharts().warm', () => {
  it('loads the renderer on a pool thread, and only logs when the pool refuses', async () => {
    const { createCharts } = await import('../../../src/charts/service.ts');
    const { createCpuPool } = await import('../../../src/cpu/pool.ts');
    const pool = createCpuPool({ size: 1, niceness: undefined });
    const log = createLogger({ level: 'silent' });
    try {
      await createCharts(pool, log).warm();
      expect(pool.stats().threads).toBe(1);
    } finally {
      await pool.close();
    }
    // A closed pool refuses the task: warm() still resolves.
    await expect(createCharts(pool, log).warm()).resolves.toBeUndefined();
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { mayChart, PREFIX_BYTES, prefiltered } from '../../../src/charts/prefilter.ts';
import type { ChartStream } from '../../../src/charts/service.ts';

const b = (text: string) => Buffer.from(text);

describe('mayChart', () => {
  it('says yes to what the automatic choice charts', () => {
    expect(mayChart(b('day,revenue\n2024-11-01,10\n2024-11-02,12\n'), true, undefined)).toBe(true);
    expect(mayChart(b('region,amount\nEMEA,1\n'), true, undefined)).toBe(true);
    expect(mayChart(b('total\n12400\n'), true, undefined)).toBe(true);
  });

  it('says no to text-only results, and to a lone number that is not a single cell', () => {
    expect(mayChart(b('name,comment\nAda,hi\n'), true, undefined)).toBe(false);
    expect(mayChart(b('a,b,c\nx,y,1\n'), true, undefined)).toBe(false);
    expect(mayChart(b('n\n1\n2\n'), true, undefined)).toBe(false);
  });

  it('leaves a half record of a cut prefix out, and keeps a saved choice in mind', () => {
    expect(mayChart(b('total\n12400\n12'), false, undefined)).toBe(false);
    const choice = { kind: 'bar', x: 'name', y: ['n'], aggregation: 'count' } as const;
    expect(mayChart(b('name,n\nAda,x\n'), true, { ...choice, y: ['n'] })).toBe(true);
  });

  it('waits for more when the prefix has no full header yet', () => {
    expect(mayChart(b('day,reven'), false, undefined)).toBe(true);
    expect(mayChart(b(''), true, undefined)).toBe(false);
  });
});

/** A chart stream that records what reached it. */
function recorder() {
  const written: Buffer[] = [];
  let opened = 0;
  const start = (): ChartStream => {
    opened++;
    return {
      write: async (chunk) => {
        written.push(Buffer.from(chunk));
      },
      end: async () => undefined,
      abort: () => {},
    };
  };
  return { start, written, opened: () => opened };
}

describe('prefiltered', () => {
  it('decides on the first PREFIX_BYTES of a big chunk, and passes the whole chunk on', async () => {
    // Numbers for the first 64 KB, then text: typed whole, the chunk would be no chart.
    const numeric = `day,revenue\n${'2024-11-01,10\n'.repeat(Math.ceil(PREFIX_BYTES / 14))}`;
    const chunk = b(numeric + '2024-11-02,pending\n'.repeat(30_000));
    expect(chunk.length).toBeGreaterThan(8 * PREFIX_BYTES);
    expect(mayChart(chunk, false, undefined)).toBe(false);
    const r = recorder();
    const stream = prefiltered(undefined, r.start);
    await stream.write(chunk);
    expect(r.opened()).toBe(1);
    expect(Buffer.concat(r.written).equals(chunk)).toBe(true);
  });

  it('holds small chunks until PREFIX_BYTES, then hands them on in order', async () => {
    const rows = Array.from({ length: 6_000 }, (_, i) => `2024-11-01,${i}\n`).join('');
    const csv = b(`day,revenue\n${rows}`);
    const r = recorder();
    const stream = prefiltered(undefined, r.start);
    for (let at = 0; at < csv.length; at += 1_000) {
      await stream.write(csv.subarray(at, at + 1_000));
      if (at + 1_000 < PREFIX_BYTES) expect(r.opened()).toBe(0);
    }
    await stream.end();
    expect(r.opened()).toBe(1);
    expect(Buffer.concat(r.written).equals(csv)).toBe(true);
  });

  it('opens no chart stream for a result no chart suits', async () => {
    const r = recorder();
    const stream = prefiltered(undefined, r.start);
    await stream.write(b('name,comment\nAda,hi\n'));
    expect(await stream.end()).toBeUndefined();
    expect(r.opened()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { mayChart } from '../../../src/charts/prefilter.ts';

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

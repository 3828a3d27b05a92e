// The palette's two promises, computed: WCAG AA contrast for graphics (3:1 on the background)
// and colours that stay apart for colour-blind readers (Machado 2009 simulation, CIE76 ΔE).
import { describe, expect, it } from 'vitest';
import { BACKGROUND, MUTED_TEXT, PALETTE, TEXT } from '../../../src/charts/palette.ts';

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (hex: string) => {
  const [r = 0, g = 0, b = 0] = rgb(hex).map(linear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};
const SIMULATIONS: Record<string, number[][]> = {
  none: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
function lab(hex: string, m: number[][]) {
  const v = rgb(hex).map(linear);
  const [r = 0, g = 0, b = 0] = m.map((row) =>
    Math.min(
      1,
      Math.max(
        0,
        row.reduce((s, k, i) => s + k * (v[i] ?? 0), 0),
      ),
    ),
  );
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const X = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const Y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const Z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * Y - 16, 500 * (X - Y), 200 * (Y - Z)];
}

describe('palette', () => {
  it('every series colour has 3:1 contrast on the background; text has 4.5:1', () => {
    for (const c of PALETTE) expect(contrast(c, BACKGROUND), c).toBeGreaterThanOrEqual(3);
    expect(contrast(TEXT, BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(MUTED_TEXT, BACKGROUND)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(Object.keys(SIMULATIONS))('every pair stays distinguishable with %s', (name) => {
    const m = SIMULATIONS[name] as number[][];
    const labs = PALETTE.map((c) => lab(c, m));
    for (let i = 0; i < labs.length; i++) {
      for (let j = i + 1; j < labs.length; j++) {
        const d = Math.hypot(
          ...(labs[i] as number[]).map((x, k) => x - ((labs[j] as number[])[k] ?? 0)),
        );
        expect(d, `${PALETTE[i]} vs ${PALETTE[j]}`).toBeGreaterThanOrEqual(20);
      }
    }
  });
});

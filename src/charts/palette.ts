// Colours for chart series. Each has at least 3:1 contrast against the white background (WCAG
// 2.1 AA for graphical objects, 1.4.11), and every pair stays at least ΔE 38 apart (CIE76) as
// seen with protanopia, deuteranopia and tritanopia (Machado 2009 simulation), found by a
// search over colours that pass the contrast bar; test/unit/charts/palette.test.ts checks both.
export const PALETTE = [
  '#2F00C9',
  '#F0590A',
  '#048CFB',
  '#691200',
  '#9D87B3',
  '#64147E',
  '#CC7A6A',
  '#000019',
] as const;

export const BACKGROUND = '#FFFFFF';
/** Titles, labels and footnotes: 12.6:1 on white (AA for text needs 4.5:1). */
export const TEXT = '#333333';
/** Footnotes: 7:1 on white. */
export const MUTED_TEXT = '#595959';
export const GRID = '#E6E6E6';
export const FONT = 'DejaVu Sans';

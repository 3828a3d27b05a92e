import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/views/preview-table.ts';

describe('renderTable', () => {
  it('aligns columns under a rule', () => {
    const table = renderTable(
      ['a', 'bb'],
      [
        ['1', '2'],
        ['333', '4'],
      ],
    );
    expect(table.text).toBe('a   | bb\n----+---\n1   | 2\n333 | 4');
    expect(table).toMatchObject({ shownRows: 2, shownColumns: 2, totalColumns: 2 });
  });

  it('cuts long cells with a visible ellipsis and flattens line breaks', () => {
    const table = renderTable(['note'], [['first line\nsecond line that goes on and on']]);
    const last = table.text.split('\n').at(-1) ?? '';
    expect(last).toBe('first line second line …');
    expect(last).toHaveLength(24);
  });

  it('leaves out columns that do not fit and marks them', () => {
    const header = Array.from({ length: 20 }, (_, i) => `column_${i}`);
    const table = renderTable(header, [header.map((_, i) => `value ${i}`)]);
    expect(table.shownColumns).toBeLessThan(20);
    expect(table.totalColumns).toBe(20);
    for (const line of table.text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(table.text.split('\n')[0]?.endsWith('| …')).toBe(true);
  });

  it('keeps to the row and character limits', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [
      String(i),
      'x'.repeat(24),
      'y'.repeat(24),
      'z'.repeat(24),
    ]);
    const table = renderTable(['n', 'x', 'y', 'z'], rows, {
      maxRows: 40,
      maxLineWidth: 100,
      maxCellWidth: 24,
      maxChars: 1_000,
    });
    expect(table.text.length).toBeLessThanOrEqual(1_000);
    expect(table.shownRows).toBeLessThan(40);
    expect(table.text.split('\n')).toHaveLength(table.shownRows + 2);
  });

  it('copes with ragged rows', () => {
    const table = renderTable(['a', 'b'], [['1'], ['1', '2', '3']]);
    expect(table.totalColumns).toBe(3);
    expect(table.text).toContain('1 |');
  });
});

import { describe, expect, it } from 'vitest';
import { csvFileName } from '../../../src/views/files.ts';

describe('csvFileName', () => {
  it.each([
    ['Sales by region', 'Sales-by-region-9.csv'],
    ['Q3 revenue / EMEA (final!)', 'Q3-revenue-EMEA-final-9.csv'],
    ['Café ümlaut', 'Cafe-umlaut-9.csv'],
    ['///', 'query-4-9.csv'],
    ['x'.repeat(200), `${'x'.repeat(80)}-9.csv`],
  ])('%j → %s', (title, name) => {
    expect(csvFileName(title, 4, 9)).toBe(name);
  });
});

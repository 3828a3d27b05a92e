import { describe, expect, it } from 'vitest';
import { csvText } from '../../../src/alerts/new-rows-file.ts';

describe('csvText', () => {
  it('quotes what needs quoting and nothing else', () => {
    expect(
      csvText(
        ['id', 'note'],
        [
          ['1', 'plain'],
          ['2', 'a, b'],
          ['3', 'say "hi"'],
          ['4', 'two\nlines'],
        ],
      ),
    ).toBe('id,note\r\n1,plain\r\n2,"a, b"\r\n3,"say ""hi"""\r\n4,"two\nlines"\r\n');
  });
});

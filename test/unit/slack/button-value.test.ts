import { describe, expect, it } from 'vitest';
import { buttonValue } from '../../../src/slack/button-value.ts';

describe('buttonValue', () => {
  it('gives a button’s value', () => {
    expect(buttonValue({ type: 'button', action_id: 'a', value: 'query:7' })).toBe('query:7');
  });

  it.each([
    ['no value', { type: 'static_select', action_id: 'a' }],
    ['a non-string value', { type: 'button', value: 7 }],
    ['a null value', { type: 'button', value: null }],
    ['not an object', 'value'],
    ['null', null],
  ])('gives an empty string for %s', (_what, action) => {
    expect(buttonValue(action)).toBe('');
  });
});

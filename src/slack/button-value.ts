/**
 * A pressed element's string value, whatever shape Bolt's action union gives it (buttons carry
 * one; other elements, or a forged payload, may not): '' when there is none.
 */
export function buttonValue(action: unknown): string {
  if (typeof action !== 'object' || action === null || !('value' in action)) return '';
  return typeof action.value === 'string' ? action.value : '';
}

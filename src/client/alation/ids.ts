// Ids are interpolated into URL paths; anything but a plain non-negative integer (NaN, 1.5,
// a crafted string slipped past the types) must never reach the URL.
export function idSegment(id: number): string {
  if (!Number.isSafeInteger(id) || id < 0) throw new TypeError(`not a valid Alation id: ${id}`);
  return String(id);
}

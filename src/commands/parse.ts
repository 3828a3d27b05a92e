export interface ParsedCommandText {
  /** The subcommand, lower-cased; `help` when the text is empty. */
  name: string;
  /** Everything after the subcommand, trimmed. */
  args: string;
}

/** Splits `/alation <name> <args…>` text. Slack sends the text with the command removed. */
export function parseCommandText(text: string): ParsedCommandText {
  const trimmed = text.trim();
  if (trimmed === '') return { name: 'help', args: '' };
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  return { name: (match?.[1] ?? '').toLowerCase(), args: (match?.[2] ?? '').trim() };
}

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to what was typed. A typed prefix of a name (`que` → `query`) wins
 * over edit distance, because that is how people abbreviate.
 */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const prefixed = names.filter((n) => n.startsWith(word) || word.startsWith(n));
  const pool = prefixed.length > 0 ? prefixed : names;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of pool) {
    const d = editDistance(word, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

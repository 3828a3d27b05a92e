import { escapeMrkdwn } from './blocks.ts';

/** Limits chosen so a table stays readable in a Slack code block and under 3000 characters. */
export interface TableLimits {
  maxRows: number;
  /** Widest a line may get; columns that would push past it are left out, with a marker. */
  maxLineWidth: number;
  maxCellWidth: number;
  /** Total characters of the rendered table once escaped for Slack (see codeBlock). */
  maxChars: number;
}

export const DEFAULT_LIMITS: TableLimits = {
  maxRows: 10,
  maxLineWidth: 100,
  maxCellWidth: 24,
  maxChars: 2_400,
};

export interface RenderedTable {
  text: string;
  shownRows: number;
  shownColumns: number;
  totalColumns: number;
}

const ELLIPSIS = '…';

/** One line, never wider than `width`: newlines flattened, the cut marked with an ellipsis. */
function cell(value: string, width: number): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}${ELLIPSIS}` : flat;
}

/**
 * A fixed-width table of the first rows and columns. Whatever does not fit is cut where people
 * can see it: `…` ends a shortened cell, and a last column `…` stands for columns left out.
 */
export function renderTable(
  header: string[],
  rows: string[][],
  limits = DEFAULT_LIMITS,
): RenderedTable {
  const totalColumns = Math.max(header.length, ...rows.map((r) => r.length));
  const candidates = rows.slice(0, limits.maxRows);
  const columnWidth = (i: number) =>
    Math.max(
      1,
      ...[header, ...candidates].map((r) =>
        Math.min(cell(r[i] ?? '', limits.maxCellWidth).length, limits.maxCellWidth),
      ),
    );
  const widths: number[] = [];
  let lineWidth = 0;
  for (let i = 0; i < totalColumns; i++) {
    const w = columnWidth(i);
    const more = i < totalColumns - 1 ? ELLIPSIS.length + 3 : 0;
    if (widths.length > 0 && lineWidth + 3 + w + more > limits.maxLineWidth) break;
    widths.push(w);
    lineWidth += (widths.length > 1 ? 3 : 0) + w;
  }
  const clipped = widths.length < totalColumns;
  const line = (r: string[]) => {
    const cells = widths.map((w, i) => cell(r[i] ?? '', w).padEnd(w));
    if (clipped) cells.push(ELLIPSIS);
    return cells.join(' | ').trimEnd();
  };
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-') + (clipped ? '-+-' : '');
  const lines = [line(header), rule];
  let shownRows = 0;
  for (const r of candidates) {
    const next = line(r);
    if (escapeMrkdwn([...lines, next].join('\n')).length > limits.maxChars) break;
    lines.push(next);
    shownRows++;
  }
  return { text: lines.join('\n'), shownRows, shownColumns: widths.length, totalColumns };
}

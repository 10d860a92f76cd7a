/**
 * Aligned plain-text tables. On a terminal they fit its width: columns shrink
 * from the widest (never below their floor), cells are cut with an ellipsis.
 * Piped (maxWidth Infinity) nothing is ever cut.
 * @internal
 * @module
 */
import type { Painter, Style } from './terminal.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Never shrink below this width. */
  minWidth?: number;
  /** Colour for a cell (applied after padding, so alignment stays right). */
  style?: (value: string, row: Row) => Style | null;
}

/**
 * A cell on one line: a writer name or message from third-party software may hold a newline (it
 * broke the table, cold8 F21) or an escape sequence; control characters are shown escaped.
 */
export function oneLine(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatTable<Row>(rows: Row[], columns: Column<Row>[], maxWidth = 80, paint?: Painter): string {
  const cells = rows.map((row) => columns.map((c) => oneLine(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const gap = 2;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const floor = columns[i]!.minWidth ?? Math.min(columns[i]!.header.length, 8);
      if (widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
  }
  const fit = (text: string, width: number) =>
    text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
  const line = (values: string[], row?: Row) =>
    values
      .map((v, i) => {
        const cell = fit(v, widths[i]!);
        const style = row !== undefined && paint ? columns[i]!.style?.(v, row) : null;
        // Trailing padding stays outside the colour so trimEnd still works on the last column.
        return style ? `${paint!(style, cell.trimEnd())}${cell.slice(cell.trimEnd().length)}` : cell;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map((c, i) => line(c, rows[i]))].join('\n');
}

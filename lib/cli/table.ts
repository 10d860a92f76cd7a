/**
 * Aligned plain-text tables that fit a terminal (80 columns unless told otherwise):
 * columns shrink from the widest, cells are cut with an ellipsis.
 * @internal
 * @module
 */

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Never shrink below this width. */
  minWidth?: number;
}

export function formatTable<Row>(rows: Row[], columns: Column<Row>[], maxWidth = 80): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
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
  const line = (values: string[]) =>
    values
      .map((v, i) => fit(v, widths[i]!))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

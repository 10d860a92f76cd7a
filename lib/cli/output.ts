/**
 * What a command prints, and where: data on stdout (a table, or JSON with
 * --json), notes and progress on stderr (notes silenced by --quiet, progress
 * only on a terminal), colour only where the stream takes it.
 * @internal
 * @module
 */
import { Progress } from './progress.js';
import { formatTable, type Column } from './table.js';
import { colourEnabled, painterFor, tableWidth, type CliIo, type Painter } from './terminal.js';

/** The options every command takes that shape its output. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  wide?: boolean;
}

export class Output {
  readonly io: CliIo;
  readonly options: OutputOptions;
  /** Colour for stdout (never under --json) and for stderr. */
  readonly paint: Painter;
  readonly paintErr: Painter;
  readonly progress: Progress;

  constructor(io: CliIo, options: OutputOptions) {
    this.io = io;
    this.options = options;
    const env = io.env ?? process.env;
    this.paint = painterFor(!options.json && colourEnabled(io.stdout, env));
    this.paintErr = painterFor(colourEnabled(io.stderr, env));
    this.progress = new Progress(io.stderr, io.stderr.isTTY === true && !options.json && !options.quiet, this.paintErr);
  }

  print(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** JSON on stdout; 64-bit sizes (bigint) as decimal strings. */
  json(value: unknown): void {
    this.print(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  }

  /** A remark for the person, not data: on stderr, so a table piped on stays clean; none with --quiet. */
  note(text: string): void {
    if (!this.options.quiet) this.io.stderr.write(`${text}\n`);
  }

  /** An aligned table, or `empty` when there are no rows (a bare header row says nothing). */
  table<Row>(rows: Row[], columns: Column<Row>[], empty: string): void {
    if (rows.length === 0) return this.print(empty);
    this.print(formatTable(rows, columns, tableWidth(this.io.stdout, this.options.wide ?? false), this.paint));
  }
}

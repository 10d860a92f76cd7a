/**
 * The streams the `vss` command writes to, and what it may do on them: colour
 * (only on a terminal, `NO_COLOR` and `FORCE_COLOR` honoured) and the width
 * tables may take (a terminal's columns; unlimited when piped).
 * @internal
 * @module
 */

/** One output stream: the process's, or a test's. */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** A terminal's width in columns. */
  columns?: number;
}

/** Where the command writes (and, for `vss delete`, how it asks). */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** The environment colour is decided from (the process's by default). */
  env?: Record<string, string | undefined>;
  /**
   * Asks a yes/no question on the terminal; absent when stdin is not a terminal
   * (then nothing is asked). The process's io answers from its TTY.
   */
  confirm?: (question: string) => Promise<boolean>;
}

/**
 * Whether to colour what goes to `stream`. `FORCE_COLOR` wins (any value but `0`
 * or `false` turns colour on, as in Node), then `NO_COLOR` (any non-empty value
 * turns it off, https://no-color.org), then: a terminal that is not `dumb`.
 */
export function colourEnabled(stream: CliStream, env: Record<string, string | undefined> = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const STYLES = { red: 31, yellow: 33, green: 32, bold: 1, dim: 2 } as const;
export type Style = keyof typeof STYLES;

/** Paints text in one style, or leaves it alone when colour is off. */
export type Painter = (style: Style, text: string) => string;

export function painterFor(enabled: boolean): Painter {
  return enabled ? (style, text) => `\x1b[${STYLES[style]}m${text}\x1b[0m` : (_style, text) => text;
}

/** The style of a writer state: failed red, waiting (mid-backup) yellow, the rest plain. */
export function stateStyle(state: string): Style | null {
  if (state.startsWith('failed') || state === 'unknown') return 'red';
  if (state.startsWith('waiting')) return 'yellow';
  return null;
}

/** The widest a table may be on `stream`: the terminal's width, or unlimited when piped or with --wide. */
export function tableWidth(stream: CliStream, wide: boolean): number {
  if (wide || !stream.isTTY) return Number.POSITIVE_INFINITY;
  return stream.columns && stream.columns > 20 ? stream.columns : 80;
}

/** Erase from the cursor to the end of the line, after a carriage return. */
export const CLEAR_LINE = '\r\x1b[K';

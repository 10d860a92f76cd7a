/**
 * The progress line of long commands: the phase VSS is in and the time since the
 * command began (one running total, not restarted by each internal wait),
 * redrawn in place on stderr, only on a terminal, with a final line giving the total.
 * @internal
 * @module
 */
import type { ProgressEvent } from '../types.js';
import { CLEAR_LINE, type CliStream, type Painter } from './terminal.js';

/** What each VSS call is doing, in words; the call's own name follows in brackets. */
const PHASES: Record<string, string> = {
  GatherWriterMetadata: 'asking writers for their metadata',
  GatherWriterStatus: 'asking writers for their status',
  PrepareForBackup: 'preparing the writers',
  DoSnapshotSet: 'creating the shadow copies (writers frozen)',
  BackupComplete: 'completing the backup',
  PreRestore: 'preparing the restore',
  PostRestore: 'completing the restore',
};

/** The phase's description, e.g. `creating the shadow copies (writers frozen) [DoSnapshotSet]`. */
export function phaseLabel(operation: string): string {
  const name = operation[0]!.toUpperCase() + operation.slice(1);
  const words = PHASES[name];
  return words ? `${words} [${name}]` : name;
}

/** A progress event's line: the call's phase, and the writer phase and writer when the backend names them. */
export function progressLabel(event: ProgressEvent): string {
  const where = [event.phase, event.writer ? `waiting for ${event.writer}` : undefined].filter(Boolean).join(', ');
  return where ? `${phaseLabel(event.operation)}: ${where}` : phaseLabel(event.operation);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export class Progress {
  readonly #stream: CliStream;
  readonly #enabled: boolean;
  readonly #paint: Painter;
  readonly #started = performance.now();
  #phase: string | null = null;
  /** Set once a first Ctrl-C or SIGTERM arrived: the clean-up is running. */
  #stopping = false;
  #shown = false;
  #timer: ReturnType<typeof setInterval> | null = null;

  /** `enabled`: stderr is a terminal and neither --json nor --quiet was given. */
  constructor(stream: CliStream, enabled: boolean, paint: Painter) {
    this.#stream = stream;
    this.#enabled = enabled;
    this.#paint = paint;
  }

  /** For the library's `onProgress`: undefined when progress is off, so nothing is even computed. */
  get onProgress(): ((event: ProgressEvent) => void) | undefined {
    return this.#enabled ? (event) => this.phase(progressLabel(event)) : undefined;
  }

  /** Names the phase the command is in now and redraws. */
  phase(label: string): void {
    if (!this.#enabled || label === this.#phase) return;
    this.#phase = label;
    this.#draw();
    // The clock keeps running between (and regardless of) VSS's own progress callbacks.
    this.#timer ??= setInterval(() => this.#draw(), 100);
    this.#timer.unref?.();
  }

  /**
   * A first signal arrived: the line says the clean-up is running and that a
   * second signal leaves at once, so a user does not press again blind.
   */
  stopping(): void {
    if (!this.#enabled || this.#stopping) return;
    this.#stopping = true;
    this.#phase ??= 'cleaning up';
    this.#draw();
  }

  #draw(): void {
    if (this.#phase === null) return;
    const label = this.#stopping ? `stopping (Ctrl-C again leaves at once): ${this.#phase}` : this.#phase;
    // Never wider than the terminal: a wrapped line cannot be redrawn in place. A terminal that
    // reports no size (0 columns: script(1), some CI and container ttys) is taken as 80 wide, as
    // tables do; and the label is what gets cut, never the colour's reset (cold8 F12).
    const columns = this.#stream.columns && this.#stream.columns > 20 ? this.#stream.columns : 80;
    const room = Math.max(0, columns - 1 - 8);
    const shown = label.length > room ? label.slice(0, room) : label;
    this.#stream.write(`${CLEAR_LINE}${this.#paint('yellow', seconds(performance.now() - this.#started).padStart(6))}  ${shown}`);
    this.#shown = true;
  }

  /**
   * Ends the line: erases it and, when it was shown and a summary is given (the
   * command succeeded), writes a final line with the total time.
   */
  done(summary?: string): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (!this.#shown) return;
    this.#shown = false;
    this.#phase = null;
    this.#stream.write(summary === undefined ? CLEAR_LINE : `${CLEAR_LINE}${summary} in ${seconds(performance.now() - this.#started)}\n`);
  }
}

/**
 * Ctrl-C and SIGTERM: the first one aborts the command's AbortSignal, so the
 * running VSS call is cancelled and the library aborts the backup, deletes what
 * a failed create made and releases the session; the command then ends with
 * one line and exit 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.
 * @internal
 * @module
 */

/** The reason a signal aborts with: which signal arrived. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  readonly signalName: 'SIGINT' | 'SIGTERM';
  /** 128 + the signal number, as a shell reports a process killed by it. */
  readonly exitCode: number;
  constructor(signalName: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signalName}`);
    this.signalName = signalName;
    this.exitCode = signalName === 'SIGINT' ? 130 : 143;
  }
}

/** The process side the handler needs (the real process, or a test's stand-in). */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): never;
}

export interface InterruptHandler {
  readonly signal: AbortSignal;
  /** Removes the listeners (the default handling comes back). */
  dispose(): void;
}

/** The Interrupted behind an aborted signal, or null when it was not a signal. */
export function interruptOf(signal: AbortSignal | undefined): Interrupted | null {
  return signal?.aborted && signal.reason instanceof Interrupted ? signal.reason : null;
}

/** `onSecond` runs just before the immediate exit (to say what may be left). */
export function handleSignals(source: SignalSource, onSecond?: (reason: Interrupted) => void): InterruptHandler {
  const controller = new AbortController();
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const listener = () => {
      const reason = new Interrupted(name);
      // The second signal: the user does not want to wait for the clean-up.
      if (controller.signal.aborted) {
        onSecond?.(reason);
        source.exit(reason.exitCode);
      }
      controller.abort(reason);
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, listener] of listeners) source.off(name, listener);
    },
  };
}

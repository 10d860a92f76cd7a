/**
 * Exit codes and how an error reaches the user: one line on stderr (no stack
 * trace for anything the user or VSS caused), or under `--json` one JSON object
 * `{ "error": { "code", "message", … } }` on stderr, with the same exit code.
 * @internal
 * @module
 */
import type { VssEvent } from '../events.js';
import type { VirtualMachineVerdict } from '../vm-verdicts.js';
import { formatCorrelatedEvents } from './event-format.js';
import { formatTable } from './table.js';
import { AbortError, VssAddonLoadError, VssError, VssJournalError, VssMissingWritersError, VssMountPointsError, VssRevertBlockedError, VssSessionError, VssUnsupportedPlatformError, VssWriterError, WritersBusyError } from '../errors.js';
import { VssXmlError } from '../metadata/errors.js';
import { VssSelectionError } from '../selection.js';
import { tableWidth, type CliStream, type Painter } from './terminal.js';
import { inCliWords, type CliWords } from './words.js';

/**
 * Exit codes: 0 success; 1 a VSS error; 2 bad usage; 3 a writer failed; 4 the command of
 * `create --exec` failed; 130/143 interrupted by SIGINT/SIGTERM.
 */
export const ExitCode = { Ok: 0, VssFailure: 1, Usage: 2, WriterFailure: 3, CommandFailed: 4, Interrupted: 130, Terminated: 143 } as const;

/** A mistake in how the command was called. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code: string;
  constructor(message: string, code = 'ERR_USAGE') {
    super(message);
    this.code = code;
  }
}

/** What a failed `--exec` leaves behind, for the JSON error (`create`, `import`: the set it ran against). */
export interface CommandFailedDetails {
  /** The command's own exit code (absent when a signal ended it). */
  commandExitCode?: number;
  /** The signal that killed the command (`'SIGKILL'`), when one did: it has no exit code (cold12 F17). */
  commandSignal?: string;
  setId?: string;
  /** Whether the set's shadow copies outlive vss (a persistent set is kept, marked failed). */
  persistent?: boolean;
  /** `create`: each Hyper-V virtual machine's verdict (failed: the backup was marked failed). */
  virtualMachines?: VirtualMachineVerdict[];
}

/** The command a CLI command ran for the user (`create`/`import`/`restore --exec`) failed: exit code 4. */
export class CommandFailedError extends Error {
  override name = 'CommandFailedError';
  readonly code = 'ERR_VSS_COMMAND_FAILED';
  readonly details: CommandFailedDetails;
  constructor(message: string, details: CommandFailedDetails = {}) {
    super(message);
    this.details = details;
  }
}

/** The exit code an error stands for. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) return ExitCode.Usage;
  if (error instanceof CommandFailedError) return ExitCode.CommandFailed;
  if (error instanceof VssWriterError) return ExitCode.WriterFailure;
  return ExitCode.VssFailure;
}

/** Errors the user or VSS caused: shown by message alone. Anything else is a bug in vss-napi and keeps its stack. */
function expected(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof CommandFailedError ||
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof VssError ||
    error instanceof VssUnsupportedPlatformError ||
    error instanceof VssAddonLoadError ||
    error instanceof VssSessionError ||
    error instanceof VssRevertBlockedError ||
    error instanceof VssMountPointsError ||
    error instanceof VssMissingWritersError ||
    error instanceof VssJournalError ||
    error instanceof VssXmlError ||
    error instanceof VssSelectionError ||
    error instanceof WritersBusyError ||
    error instanceof AbortError
  );
}

/** The Hyper-V virtual machines' verdicts of the backup an error ended (`error.report.virtualMachines`), or none. */
function verdictsOf(error: unknown): VirtualMachineVerdict[] {
  const vms = error instanceof CommandFailedError ? error.details.virtualMachines : (error as { report?: { virtualMachines?: unknown } } | null)?.report?.virtualMachines;
  return Array.isArray(vms) ? (vms as VirtualMachineVerdict[]) : [];
}

/**
 * The verdict of each Hyper-V virtual machine of a backup, as `vss create` prints it and as a failed
 * backup's error shows it: application-consistent (online), crash-consistent (offline), or failed,
 * then with the Hyper-V writer's state and error and the events logged while the backup ran.
 */
export function formatVmVerdicts(vms: VirtualMachineVerdict[], width: number, paint?: Painter): string {
  const failed = vms.some((v) => v.verdict === 'failed');
  return formatTable(
    vms,
    [
      { header: 'Virtual machine', value: (v) => v.name, minWidth: 15 },
      { header: 'Verdict', value: (v) => v.verdict, minWidth: 22, style: (value) => (value === 'failed' ? 'red' : null) },
      { header: 'Backup', value: (v) => v.backupMethod },
      ...(failed
        ? [
            {
              header: 'Writer error',
              value: (v: VirtualMachineVerdict) =>
                v.writerError ? `[${v.writerError.state}]${v.writerError.lastError ? ` ${v.writerError.lastError.name}` : ''}` : v.verdict === 'failed' ? 'backup aborted or not marked backed up' : '',
              minWidth: 12,
            },
            { header: 'Events', value: (v: VirtualMachineVerdict) => [...new Set(v.events.map((e) => `${e.provider} ${e.eventId}`))].join(', ') || '-' },
          ]
        : []),
    ],
    width,
    paint,
  );
}

/** The error as the JSON object `--json` prints: code and message first, then what VSS said. */
export function errorJson(error: unknown, words?: CliWords): Record<string, unknown> {
  if (!(error instanceof Error)) return { code: 'ERR_UNKNOWN', message: String(error) };
  const e = error as Error & { code?: unknown; hresult?: unknown; operation?: unknown; remedy?: unknown; writers?: unknown };
  const out: Record<string, unknown> = {
    code: typeof e.code === 'string' ? e.code : 'ERR_UNEXPECTED',
    message: inCliWords(e.message, words),
    name: e.name,
  };
  if (typeof e.hresult === 'number') out.hresult = `0x${e.hresult.toString(16).padStart(8, '0')}`;
  if (typeof e.operation === 'string' && e.operation) out.operation = e.operation;
  if (typeof e.remedy === 'string') out.remedy = inCliWords(e.remedy, words);
  if (error instanceof VssWriterError || error instanceof WritersBusyError || error instanceof VssMissingWritersError) out.writers = e.writers;
  if (error instanceof VssWriterError && error.failedComponents.length > 0) out.failedComponents = error.failedComponents;
  if (error instanceof CommandFailedError) Object.assign(out, error.details);
  // What the person's output prints under the error: the events logged while the call ran (a
  // VssError always has the list, empty when none or correlation was off) and, for a backup with
  // the Hyper-V writer, each virtual machine's verdict.
  if (error instanceof VssError) out.events = error.events;
  const vms = verdictsOf(error);
  if (vms.length > 0) out.virtualMachines = vms;
  if (!expected(error)) out.stack = error.stack;
  return out;
}

/** Prints an error (text or JSON) and returns its exit code. */
export function reportError(error: unknown, stderr: CliStream, options: { json?: boolean; words?: CliWords; paint?: Painter } = {}): number {
  const code = exitCodeOf(error);
  if (options.json) {
    // 64-bit figures (an event's data, a report's sizes) as decimal strings, as Output.json writes them.
    stderr.write(`${JSON.stringify({ error: { ...errorJson(error, options.words), exitCode: code } }, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
    return code;
  }
  const text = error instanceof Error ? (expected(error) ? inCliWords(error.message, options.words) : (error.stack ?? error.message)) : String(error);
  const prefix = options.paint ? options.paint('red', 'vss:') : 'vss:';
  stderr.write(`${prefix} ${text}\n`);
  // The VSS-related events the machine logged while the failed call ran (VssError.events).
  const vms = verdictsOf(error);
  if (vms.length > 0) stderr.write(`Virtual machines of the backup (${vms.length}):\n${formatVmVerdicts(vms, tableWidth(stderr, false), options.paint)}\n`);
  const events = (error as { events?: VssEvent[] } | null)?.events;
  if (Array.isArray(events) && events.length > 0) stderr.write(formatCorrelatedEvents(events));
  else {
    // A failed VM's events (the backup's whole window) when the error itself has none.
    const vmEvents = [...new Map(vms.flatMap((v) => v.events).map((e) => [`${e.channel} ${e.recordId}`, e])).values()];
    if (vmEvents.length > 0) stderr.write(formatCorrelatedEvents(vmEvents));
  }
  return code;
}

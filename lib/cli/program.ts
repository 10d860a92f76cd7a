/**
 * The `vss` command's definition: commands, options and output.
 * @internal
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

import { Command, CommanderError, Option } from 'commander';

import type { BackendOption } from '../backend.js';
import { AbortError, VssError } from '../errors.js';
import { hresultValue } from '../hresults.js';
import { createSimulator, builtInScenarios } from '../simulator.js';
import { BackupTypes, type BackupType } from '../enums.js';
import {
  createSnapshotSet,
  deleteShadowCopies,
  exposeShadowCopy,
  getShadowCopy,
  listProviders,
  listShadowCopies,
  listShadowStorage,
  revertToShadowCopy,
  unexposeShadowCopy,
  volumePathNames,
  type BackupReport,
  type DeleteTarget,
  type SnapshotSet,
} from '../snapshots.js';
import { normalizeVolume } from '../volumes.js';
import type { ShadowCopy, WriterStatus } from '../types.js';
import { getWriterMetadata, listWriters } from '../writers.js';
import { formatNagiosUnknown, HealthExitCodes, IN_BOX_WRITERS } from '../health.js';
import { backupDetailLines } from './component-details.js';
import { addEventsCommand } from './events.js';
import { stamp } from './event-format.js';
import { restartFailedCommand, type RestartOptions } from './restart.js';
import { addHealthCommand } from './health.js';
import { addHypervCommand } from './hyperv.js';
import { addBreakCommand } from './break.js';
import { addImportCommand } from './import.js';
import { addRestoreCommand } from './restore.js';
import { addStorageCommand, bytes } from './storage.js';
import { addCleanupCommand } from './cleanup.js';
import { addPlanCommand, selectionFrom, withSelectionFlags, type SelectionFlags } from './plan.js';
import { addCheckWriterCommand } from './check-writer.js';
import { interruptOf } from './interrupt.js';
import { packageVersion } from './version.js';
import { Output, type OutputOptions } from './output.js';
import { phaseLabel } from './progress.js';
import { checkOutputFile } from './output-file.js';
import { CommandFailedError, ExitCode, UsageError, formatVmVerdicts, reportError } from './report.js';
import { BackupSession } from '../session.js';
import { checkGuid, displayGuid } from '../validate.js';
import { formatTable } from './table.js';
import { colourEnabled, painterFor, stateStyle, tableWidth, type CliIo, type Painter } from './terminal.js';
import { COMMON_WORDS, type CliWords } from './words.js';

export { ExitCode, UsageError } from './report.js';
export type { CliIo } from './terminal.js';

/** The Nagios plugin exit codes `vss health --nagios` uses. */
export const NagiosCode = { Ok: 0, Warning: 1, Critical: 2, Unknown: 3 } as const;

/** The exit code the running command asked for (actions set it; runCli returns it). */
let exitCode: number = ExitCode.Ok;

/** Sets the exit code runCli returns (for commands defined in other files). */
export function setExitCode(code: number): void {
  exitCode = code;
}

/** A writer state with its VSS_WRITER_STATE number in front, as vssadmin prints it: `[7] failed-at-prepare-backup`. */
export function stateWithNumber(w: WriterStatus): string {
  return `[${w.stateCode}] ${w.state}`;
}

/** The writers `vss writers` and `vss health` count as failing: a failed (or unknown) state, or a last error. */
function failingWriters(writers: WriterStatus[]): WriterStatus[] {
  return writers.filter((w) => w.state.startsWith('failed-') || w.state === 'unknown' || w.lastError !== null);
}

export interface CommonOptions extends OutputOptions {
  simulate?: boolean;
  scenario?: string;
  state?: string;
}

/** A simulator of `scenario`, kept in `stateFile` when one is given; a state file it cannot use is a usage error. */
function simulatorFor(scenario: Record<string, unknown> | string, stateFile: string | undefined): BackendOption {
  if (stateFile === undefined) return createSimulator(scenario);
  try {
    return createSimulator(scenario, { stateFile });
  } catch (error) {
    if (error instanceof VssError && error.operation === 'LoadState') throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The backend the options ask for: `--simulate` alone, the default simulated
 * machine; `--simulate=NAME` / `--scenario NAME`, a built-in scenario;
 * `--simulate=FILE.json`, a scenario file. Without them, real VSS.
 * `--state FILE` (or `VSS_SIM_STATE`) keeps the simulated machine in FILE, so that the next command finds it as this one left it.
 */
export function backendFrom(options: CommonOptions): BackendOption {
  const simulate = options.scenario ?? (options.simulate ? true : undefined);
  if (simulate === undefined) {
    if (options.state !== undefined) throw new UsageError('--state keeps a simulated machine: use it with --simulate');
    // The variable is --state by another name: set without --simulate it was silently ignored,
    // and the command went to the real machine (cold12 F21).
    if (process.env.VSS_SIM_STATE) throw new UsageError('VSS_SIM_STATE keeps a simulated machine: use it with --simulate, or unset it');
    return 'native';
  }
  const stateFile = options.state ?? (process.env.VSS_SIM_STATE || undefined);
  if (simulate === true) return stateFile === undefined ? 'simulated' : simulatorFor({}, stateFile);
  if (simulate.endsWith('.json')) {
    let text: string;
    try {
      text = readFileSync(simulate, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read scenario file ${simulate}: ${(error as Error).message}`);
    }
    let scenario: unknown;
    try {
      scenario = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`scenario file ${simulate} is not valid JSON: ${(error as Error).message}`);
    }
    return simulatorFor(scenario as Record<string, unknown>, stateFile);
  }
  const names = builtInScenarios();
  if (!names.includes(simulate))
    throw new UsageError(`unknown scenario '${simulate}': use a .json file or one of ${names.join(', ')}`);
  return simulatorFor(simulate, stateFile);
}

/**
 * `--simulate=NAME` becomes `--simulate --scenario NAME`: `--simulate` itself is a
 * flag, so `vss create --simulate C:\` never takes the volume for a scenario.
 */
export function splitSimulate(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...out, ...args.slice(i)];
    if (arg.startsWith('--simulate=')) out.push('--simulate', '--scenario', arg.slice('--simulate='.length));
    else out.push(arg);
  }
  return out;
}

let io: CliIo = process;
/** The command's AbortSignal: Ctrl-C / SIGTERM (see interrupt.ts), or none. */
let signal: AbortSignal | undefined;

/** Writes the report's document; a backup without one must not pass as saved. */
async function saveDocument(file: string, report: BackupReport): Promise<void> {
  if (report.document === null) throw new Error(`No Backup Components Document to write to ${file}: ${report.documentError ?? 'the session could not save it'}`);
  writeFileSync(file, report.document);
}
/** The running command's AbortSignal (Ctrl-C, SIGTERM), for commands defined in other files. */
export function commandSignal(): AbortSignal | undefined {
  return signal;
}
/** What the running command says, after an interrupt, it left behind (one line). */
let afterInterrupt = 'the VSS call was cancelled and the session released';
/** What a second Ctrl-C says before exiting at once, when the command has its own words for it. */
let secondInterrupt: string | null = null;
/** The words a second Ctrl-C says for the running command (null: the general one). */
export function secondInterruptNote(): string | null {
  return secondInterrupt;
}
/** Set when the command finished what it was doing although interrupted (a revert cannot be stopped): its own outcome stands. */
let interruptOutlived = false;

/** Waits in a session of its own for the revert running on `volume` (QueryRevertStatus; not found: it has ended). */
async function waitForRevert(volume: string, backend: ReturnType<typeof backendFrom>): Promise<void> {
  await using session = await BackupSession.create({ backend });
  await session.initializeForBackup();
  await session.setContext(0xffffffff);
  try {
    await session.queryRevertStatus(volume);
  } catch (error) {
    if (!(error instanceof VssError && error.code === 'VSS_E_OBJECT_NOT_FOUND')) throw error;
  }
}
/** Whether an interrupt is how the running command ends (vss events --follow): its exit code, and no message. */
let interruptEnds = false;

/**
 * For a command that runs until Ctrl-C (vss events --follow): an interrupt ends it with
 * the interrupt's exit code (130, 143) and no message, since nothing was cut short.
 */
export function quietInterrupt(): void {
  interruptEnds = true;
}
/** The running command's table from API argument names to its own options (words.ts). */
let words: CliWords = COMMON_WORDS;

/** For commands defined in other files: their own API-argument-to-option words, over the common ones. */
export function useWords(extra: CliWords): void {
  words = { ...COMMON_WORDS, ...extra };
}

/** Throws the interrupt when one arrived, so a command stops between its steps too. */
function checkInterrupt(): void {
  if (interruptOutlived) return;
  const interrupt = interruptOf(signal);
  if (interrupt) throw interrupt;
}

function hresultText(info: { hresult: number; name: string }): string {
  return `${info.name} (0x${info.hresult.toString(16).padStart(8, '0')})`;
}

/** A writers table; failing writers get a line below with their failure message and application error. */
export function writerRows(writers: WriterStatus[], out: Output): void {
  if (writers.length === 0) return out.print('no writers');
  const table = formatTable(
    writers,
    [
      { header: 'Writer', value: (w) => w.name, minWidth: 20 },
      // With vssadmin's number in front, as administrators know it: [7] failed-at-prepare-backup.
      { header: 'State', value: stateWithNumber, minWidth: 31, style: (state) => stateStyle(state.replace(/^\[\d+\] /, '')) },
      { header: 'Last error', value: (w) => w.lastError?.name ?? 'none', minWidth: 29, style: (v) => (v === 'none' ? null : 'red') },
    ],
    tableWidth(out.io.stdout, out.options.wide ?? false),
    out.paint,
  ).split('\n');
  const lines = table.slice(0, 2);
  writers.forEach((w, i) => {
    lines.push(table[i + 2]!);
    const details = [
      w.failureMessage ? `message: ${w.failureMessage}` : null,
      w.applicationError ? `application error: ${hresultText(w.applicationError)}` : null,
    ].filter(Boolean);
    if (details.length > 0) lines.push(`  ${details.join('; ')}`);
  });
  out.print(lines.join('\n'));
}

/** The scenarios `--simulate=NAME` knows (the addon lists them; help still shows if it cannot load). */
function scenarioNames(): string {
  try {
    return builtInScenarios().join(', ');
  } catch {
    return 'see the README';
  }
}

export function withCommon(command: Command, examples: string[]): Command {
  return command
    .option('--json', 'print JSON instead of a table (errors too, on stderr)')
    .option('--simulate', 'use the simulator instead of real VSS (--simulate=NAME: a built-in scenario or a .json file)')
    .addOption(
      new Option('--scenario <name-or-file>', 'the simulated machine: a built-in scenario or a .json file (implies --simulate)').argParser((value: string, previous: string | undefined) => {
        // Two machines named (--simulate=X --scenario Y): the last used to win without a word (cold8 F11).
        if (previous !== undefined && previous !== value)
          throw new UsageError(`two simulated machines named: '${previous}' and '${value}' (--simulate=NAME and --scenario NAME are the same option): give one`);
        return value;
      }),
    )
    .addOption(new Option('--state <file>', 'with --simulate: keep the simulated machine in this file, shared by the commands that name it (or VSS_SIM_STATE)'))
    .option('-q, --quiet', 'no progress and no notes on stderr')
    .option('--wide', 'on a terminal, do not shorten table cells to fit its width')
    .addHelpText('after', () => `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\nBuilt-in scenarios for --simulate=NAME (or a .json scenario file):\n  ${scenarioNames()}`);
}

/** A command's action with its Output made from its options. */
export function act<A extends unknown[], O extends CommonOptions>(body: (out: Output, options: O, ...args: A) => Promise<void>) {
  return async (...all: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command.
    const options = all[all.length - 2] as O;
    const out = new Output(io, options);
    const stopping = () => out.progress.stopping();
    signal?.addEventListener('abort', stopping, { once: true });
    try {
      await body(out, options, ...(all.slice(0, -2) as A));
      checkInterrupt();
    } finally {
      signal?.removeEventListener('abort', stopping);
      out.progress.done();
    }
  };
}


export function buildProgram(): Command {
  const program = new Command('vss')
    .description('Volume Shadow Copy Service: writers, metadata, providers and shadow copies')
    .version(packageVersion(), '-V, --version', 'print the version of vss-napi')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are printed by runCli (one line and a hint; JSON under --json).
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      '\nExamples:\n  $ vss writers --simulate\n  $ vss create --simulate --persistent C:\n  $ vss health --nagios\n' +
        '\nEvery command takes --json, --quiet, --wide and --simulate[=scenario]\n' +
        '(a built-in scenario name or a .json file).\n' +
        'With --simulate, --state FILE (or VSS_SIM_STATE) keeps the simulated machine in FILE\n' +
        'across commands.\n' +
        'Exit codes: 0 success, 1 a VSS error, 2 bad usage, 3 a writer failed (writers:\n' +
        'also no writers, or an in-box writer missing; health: not stable), 4 the command\n' +
        'of create --exec or restore --exec failed (the backup was marked failed; the\n' +
        'writers were told the restore failed),\n' +
        '130 interrupted (Ctrl-C), 143 terminated (SIGTERM); a revert cannot be stopped:\n' +
        'Ctrl-C during vss revert waits for it (exit 0), a second Ctrl-C leaves it running (130).\n' +
        'vss health --nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n' +
        'vss check-writer: 0 every rule passed, 1 a rule failed, 2 bad usage, 3 the writer could not be driven.\n' +
        'Colour: on a terminal only; NO_COLOR turns it off, FORCE_COLOR on.',
    );

  withCommon(
    program
      .command('writers')
      .description('list the VSS writers with their state and last error')
      .option('--restart-failed', "restart the service hosting each failed writer (refused during a backup), then show the writers' states")
      .option('-y, --yes', 'with --restart-failed: do not ask for confirmation')
      .addHelpText(
        'after',
        '\nStates are shown as vssadmin numbers them: [7] failed-at-prepare-backup.\n' +
          'Exit codes: 0 no writer failed, 1 a VSS error, 2 bad usage, 3 a writer failed or has a\n' +
          'last error, no writer answered, or an in-box writer (System, Registry, COM+ REGDB) is missing.',
      ),
    ['vss writers --simulate', 'vss writers --json', 'vss writers --restart-failed --yes'],
  ).action(
    act(async (out, options: RestartOptions) => {
      if (options.restartFailed) return restartFailedCommand(out, options);
      if (options.yes) throw new UsageError('--yes confirms --restart-failed; alone it does nothing');
      const writers = await listWriters({ backend: backendFrom(options), signal, onProgress: out.progress.onProgress });
      out.progress.done(`${writers.length} writers`);
      if (options.json) out.json(writers);
      else writerRows(writers, out);
      // Exit code 3 when a writer failed, as the help says, and when one that every Windows has did not
      // answer at all: an empty or partial list is VSS failing, not a healthy machine (as vss health says).
      const missing = IN_BOX_WRITERS.filter((e) => !writers.some((w) => w.writerId === e.writerId)).map((e) => e.name);
      if (writers.length === 0) out.note('no VSS writers answered (every Windows has the in-box System, Registry and COM+ REGDB writers)');
      else if (missing.length > 0) out.note(`in-box writer${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`);
      if (failingWriters(writers).length > 0 || missing.length > 0) exitCode = ExitCode.WriterFailure;
    }),
  );

  addHealthCommand(program);
  addEventsCommand(program);
  addHypervCommand(program);
  addRestoreCommand(program);
  addBreakCommand(program);
  addImportCommand(program);
  addPlanCommand(program);
  addCleanupCommand(program);

  addCheckWriterCommand(program);

  withCommon(
    program
      .command('metadata')
      .description('gather writer metadata: components and files')
      .option('--xml', 'print each writer\'s metadata document as VSS writes it')
      .option('--writer <name-or-id...>', 'only these writers'),
    ['vss metadata --simulate', "vss metadata --simulate --writer 'Registry Writer' --xml", 'vss metadata --json'],
  ).action(
    act(async (out, options: CommonOptions & { xml?: boolean; writer?: string[] }) => {
      if (options.xml && options.json) throw new UsageError('--xml and --json cannot be used together: --json already holds each document in its "xml" field');
      const metadata = await getWriterMetadata({ backend: backendFrom(options), writers: options.writer, signal, onProgress: out.progress.onProgress });
      out.progress.done(`${metadata.length} writers`);
      if (options.xml) {
        for (const m of metadata) out.print(m.xml);
        return;
      }
      if (options.json) return out.json(metadata);
      out.table(
        metadata.flatMap((m) => (m.components.length ? m.components : [null]).map((c) => ({ m, c }))),
        [
          { header: 'Writer', value: ({ m }) => m.name, minWidth: 14 },
          { header: 'Component', value: ({ c }) => (c ? (c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name) : '-'), minWidth: 14 },
          { header: 'Type', value: ({ c }) => c?.type ?? '-' },
          { header: 'Files', value: ({ c }) => String(c ? c.files.length + c.databaseFiles.length + c.logFiles.length : 0) },
        ],
        'no writers',
      );
    }),
  );

  withCommon(program.command('providers').description('list the shadow copy providers'), ['vss providers --simulate']).action(
    act(async (out, options: CommonOptions) => {
      const providers = await listProviders({ backend: backendFrom(options), signal });
      if (options.json) return out.json(providers);
      out.table(
        providers,
        [
          { header: 'Provider', value: (p) => p.name, minWidth: 44 },
          { header: 'Type', value: (p) => p.type },
          { header: 'Version', value: (p) => p.version },
          { header: 'Provider id', value: (p) => p.providerId, minWidth: 8 },
        ],
        'no providers',
      );
    }),
  );

  withCommon(
    program
      .command('list')
      .description('list existing shadow copies')
      .option('--volume <volume>', 'only shadow copies of this volume (or remote file share, \\\\server\\share\\)')
      .option('--set <id>', 'only shadow copies of this snapshot set')
      .option('--id <id>', 'only this shadow copy (an error when there is none)'),
    ['vss list', 'vss list --volume C:', 'vss list --set 5d3a2c1e-0000-4000-8000-000000000001 --json'],
  ).action(
    act(async (out, options: CommonOptions & { volume?: string; set?: string; id?: string }) => {
      if (options.id !== undefined && (options.volume !== undefined || options.set !== undefined))
        throw new UsageError('list --id takes no --volume or --set');
      words = { ...COMMON_WORDS, snapshotId: '--id' };
      const backend = backendFrom(options);
      const listed =
        options.id !== undefined ? [await getShadowCopy(options.id, { backend, signal })] : await listShadowCopies({ backend, volume: options.volume, setId: options.set, signal });
      const copies = withPathNames(listed, backend);
      if (options.json) return out.json(copies);
      shadowRows(copies, out);
    }),
  );

  withCommon(
    withSelectionFlags(program
      .command('create')
      .description('create a snapshot set of one or more volumes, with the writers taking part')
      .argument('<volumes...>', "volumes such as C:\\ or \\\\?\\Volume{guid}\\")
      .option('--persistent', 'keep the shadow copies after this command ends')
      .option('--transportable', "make a transportable set (hardware providers): not surfaced here, imported with 'vss import' from the document --save-document writes")
      .addOption(new Option('--backup-type <type>', 'the backup type writers see').choices(BackupTypes.names.filter((n) => n !== 'unknown')).default('full'))
      .option('--exclude-writer <name-or-id...>', 'writers that do not take part (names, class ids or instance ids)')
      .option('--no-writers', 'no writers take part (a crash-consistent shadow copy)')
      .option('--retry [attempts]', 'retry while another requester is creating a snapshot set (VSS_E_SNAPSHOT_SET_IN_PROGRESS), up to this many attempts in all (default 5)')
      .option('--exec <command>', 'run this shell command while the shadow copies exist (VSS_SHADOW_SET, and per volume VSS_SHADOW_VOLUME_1, VSS_SHADOW_1, VSS_SHADOW_DEVICE_1, VSS_SHADOW_PATH_1, ... in its environment); a failure marks the backup failed')
      .option('--script <file>', 'write the same variables to this file: a .cmd (SET lines) or a shell script (export lines)')
      .option('--save-document <file>', 'write the final Backup Components Document (restores need it) to this file')),
    ["vss create --simulate 'C:\\'", "vss create --persistent --save-document backup.xml 'C:\\' 'D:\\'", "vss create --simulate=sql-server --exclude-writer 'WMI Writer' C:"],
  ).action(
    act(
      async (
        out,
        options: CommonOptions & SelectionFlags & {
          persistent?: boolean;
          transportable?: boolean;
          backupType: string;
          excludeWriter?: string[];
          writers: boolean;
          retry?: boolean | string;
          exec?: string;
          script?: string;
          saveDocument?: string;
        },
        volumes: string[],
      ) => {
        if (options.exec !== undefined && options.exec.trim() === '') throw new UsageError('--exec needs a command');
        if (!options.writers && options.excludeWriter)
          throw new UsageError('--no-writers and --exclude-writer contradict each other: with no writers there is none to exclude');
        if (options.transportable) {
          // The set is reachable only through its document ("Importing Transportable Shadow Copied Volumes").
          if (options.saveDocument === undefined) throw new UsageError('--transportable needs --save-document FILE: the set can be imported only from that document');
          if (options.exec !== undefined || options.script !== undefined)
            throw new UsageError('--exec and --script need shadow copies on this computer; a transportable set has none until imported (vss import FILE --exec ...)');
        }
        // Checked before the backup: a document that cannot be written after it would be lost.
        checkOutputFile('--save-document', options.saveDocument);
        // Before any snapshot: a script that cannot be written must not leave a set made for nothing.
        checkOutputFile('--script', options.script);
        let attempts: number | undefined;
        if (options.retry !== undefined) {
          attempts = options.retry === true ? 5 : Number(options.retry);
          if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100)
            throw new UsageError(`--retry takes a number of attempts from 1 to 100, not '${String(options.retry)}'`);
        }
        const selection = selectionFrom(options);
        const backend = backendFrom(options);
        afterInterrupt = 'backup aborted, writers released, no shadow copy kept';
        const set = await createSnapshotSet(volumes, {
          ...(selection !== undefined ? { selection } : {}),
          ...(options.addRequiredVolumes ? { addRequiredVolumes: true } : {}),
          ...(options.includeMounted ? { mountedVolumes: true } : {}),
          ...(attempts !== undefined ? { retry: { attempts } } : {}),
          backend,
          persistent: options.persistent ?? false,
          ...(options.transportable ? { transportable: true } : {}),
          // The set is meant to outlive the command: once complete, vss cleanup leaves it.
          keep: options.persistent ?? false,
          backupType: options.backupType as BackupType,
          writers: !options.writers ? 'none' : options.excludeWriter ? { exclude: options.excludeWriter } : 'all',
          signal,
          onProgress: out.progress.onProgress,
        });
        const interrupt = interruptOf(signal);
        if (interrupt) {
          // The set came into being as the signal arrived: undo it like a failed create.
          await set.abort();
          throw interrupt;
        }
        let failure: CommandEnd | undefined; // how the --exec command ended when it failed
        try {
          // A transportable set has no shadow copy here (--exec and --script were refused above).
          const variables = options.transportable ? {} : shadowVariables(set);
          if (options.script !== undefined) writeScript(options.script, set.setId, variables);
          if (options.exec !== undefined) {
            // The command owns the terminal while it runs: no progress line over its output.
            out.progress.done();
            const end = await runCommand(options.exec, variables, Boolean(options.json));
            if (end.exitCode !== 0) failure = end;
          }
        } catch (error) {
          await set.complete({ succeeded: false }).catch(() => undefined);
          throw error;
        }
        const during = interruptOf(signal);
        if (during) {
          // Interrupted while the command ran: abort, as for an interrupted create.
          await set.abort();
          throw during;
        }
        out.progress.phase(phaseLabel('BackupComplete'));
        // A writer failure still rejects (exit code of a writer failure), after the document is saved.
        const report = await set.complete({ succeeded: failure === undefined }).catch(async (error: unknown) => {
          const failed = (error as { report?: BackupReport }).report;
          if (failed && options.saveDocument) await saveDocument(options.saveDocument, failed);
          throw error;
        });
        if (options.saveDocument) await saveDocument(options.saveDocument, report);
        if (failure !== undefined && !interruptOf(signal)) {
          // An error like any other (one JSON object under --json), naming the set the command ran against.
          const kept = set.persistent ? `; the shadow copies of set ${set.setId} are kept` : '';
          const ending = commandEnding(failure);
          throw new CommandFailedError(`the command ${ending.text}; the backup was marked failed${kept}`, {
            ...ending.details,
            setId: set.setId,
            persistent: set.persistent,
            // The VMs the marked-failed backup contained: 'failed', as --json's report would say.
            ...(report.virtualMachines.length > 0 ? { virtualMachines: report.virtualMachines } : {}),
          });
        }
        if (interruptOf(signal) && set.persistent) {
          // BackupComplete ran to its end (it cannot be cancelled); the copies the user gave up on go.
          await deleteShadowCopies({ setId: set.setId }, { backend });
          checkInterrupt();
        }
        out.progress.done('snapshot set created');
        if (options.transportable) {
          if (options.json) return out.json({ setId: set.setId, transportable: true, persistent: set.persistent, snapshots: [], report });
          out.print(`Transportable snapshot set ${set.setId}: ${volumes.length} shadow ${volumes.length === 1 ? 'copy' : 'copies'} on the provider's storage, not surfaced here`);
          vmVerdictRows(report, out);
          out.note(`import it here or on another computer with: vss import ${shellWord(options.saveDocument!)}${simulatorFlags(options)}`);
          return;
        }
        const copies = withPathNames(set.snapshots, backend);
        if (options.json) return out.json({ setId: set.setId, persistent: set.persistent, snapshots: copies, report });
        out.print(`Snapshot set ${set.setId}`);
        shadowRows(copies, out);
        vmVerdictRows(report, out);
        const recorded = backupDetailLines(report.components);
        if (recorded.length > 0) {
          out.print('What the writers recorded on their components:');
          for (const line of recorded) out.print(line);
        }
        if (options.saveDocument)
          out.note(
            `Backup Components Document written to ${options.saveDocument}${report.components.length === 0 && options.writers ? ' (it holds no component: a restore from it has nothing to select)' : ''}`,
          );
        if (set.plan) {
          const left = set.plan.components.filter((c) => !c.included).length;
          out.note(`${set.plan.add.length} components added${left > 0 ? `, ${left} left out (vss plan with the same options says why)` : ''}`);
        }
        if (!set.persistent) out.note('(not persistent: released when the command ended; --persistent keeps them)');
      },
    ),
  );

  withCommon(
    program
      .command('delete')
      .description('delete shadow copies: by id, a whole set, every one or the oldest of a volume, the one exposed somewhere, or all')
      .argument('[ids...]', 'shadow copy ids')
      .option('--set <id>', 'delete every shadow copy of this set')
      .option('--oldest <volume>', 'delete the oldest shadow copy of this volume (or remote file share)')
      .option('--volume <volume>', 'delete every shadow copy of this volume (or remote file share, \\\\server\\share\\)')
      .option('--exposed <name>', 'delete the shadow copy exposed as this drive letter, folder or share')
      .option('--all', 'delete every shadow copy on the machine')
      .option('-y, --yes', 'do not ask for confirmation on a terminal'),
    ['vss delete 11111111-2222-3333-4444-555555555555', 'vss delete --set 5d3a2c1e-0000-4000-8000-000000000001 --yes', 'vss delete --oldest C:'],
  ).action(
    act(async (out, options: CommonOptions & { set?: string; oldest?: string; volume?: string; exposed?: string; all?: boolean; yes?: boolean }, ids: string[]) => {
      const targets: DeleteTarget[] = [];
      if (ids.length > 0) targets.push(ids);
      if (options.set !== undefined) targets.push({ setId: options.set });
      if (options.oldest !== undefined) targets.push({ volume: options.oldest, oldest: true });
      if (options.volume !== undefined) targets.push({ volume: options.volume });
      if (options.exposed !== undefined) targets.push({ exposed: options.exposed });
      if (options.all) targets.push({ all: true });
      if (targets.length !== 1)
        throw new UsageError('delete takes shadow copy ids, or --set <id>, --oldest <volume>, --volume <volume>, --exposed <name> or --all (exactly one of them)');
      const target = targets[0]!;
      words = { ...COMMON_WORDS, 'target.volume': options.oldest !== undefined ? '--oldest' : '--volume', 'target.exposed': '--exposed' };
      const backend = backendFrom(options);
      afterInterrupt = "deleting stopped; 'vss list' shows what is left";
      // What the target means now, so the question and the answer can name the ids.
      const targeted = await deletionCandidates(target, backend);
      if (Array.isArray(target)) {
        // Every id is looked up before any is deleted (cold8 F24): `delete ID1 BADID ID2` used to delete ID1, then fail.
        const found = new Set(targeted.map((c) => c.snapshotId));
        const unknown = [...new Set(target.map((id, i) => checkGuid(id, `target[${i}]`)))].filter((id) => !found.has(id));
        if (unknown.length > 0)
          throw new VssError(hresultValue('VSS_E_OBJECT_NOT_FOUND')!, undefined, {
            operation: 'DeleteSnapshots',
            detail: `no shadow copy ${unknown.join(', ')} on this machine; nothing was deleted`,
          });
      }
      if (targeted.length > 0 && !options.yes && io.confirm) {
        const question = `delete ${count(targeted.length)}?\n${targeted.map((c) => `  ${c.snapshotId}  ${c.createdAt.toISOString()}`).join('\n')}\n[y/N] `;
        if (!(await io.confirm(question))) {
          afterInterrupt = 'nothing deleted';
          checkInterrupt();
          out.note('vss: nothing deleted');
          exitCode = ExitCode.VssFailure;
          return;
        }
      }
      let result: Awaited<ReturnType<typeof deleteShadowCopies>> | undefined;
      let failure: unknown;
      try {
        result = await deleteShadowCopies(target, { backend, signal });
      } catch (error) {
        failure = error;
      }
      // Which were deleted, whether or not the call failed part way: a partial deletion is said as such.
      const after = new Set((await listShadowCopies({ backend })).map((c) => c.snapshotId));
      const deletedIds = targeted.map((c) => c.snapshotId).filter((id) => !after.has(id));
      const notDeletedIds = targeted.map((c) => c.snapshotId).filter((id) => after.has(id));
      if (failure !== undefined && deletedIds.length === 0) throw failure;
      if (options.json) out.json({ deletedCount: result?.deletedCount ?? deletedIds.length, nonDeletedId: result?.nonDeletedId ?? notDeletedIds[0] ?? null, deletedIds, notDeletedIds });
      else {
        out.print(`deleted ${count(deletedIds.length)}${deletedIds.length > 0 ? ':' : ''}`);
        for (const id of deletedIds) out.print(`  ${id}`);
        if (result?.nonDeletedId) out.io.stderr.write(`vss: could not delete ${result.nonDeletedId}\n`);
        if (notDeletedIds.length > 0) out.io.stderr.write(`vss: not deleted: ${notDeletedIds.join(', ')}\n`);
      }
      if (failure !== undefined) throw failure;
      if (result?.nonDeletedId) exitCode = ExitCode.VssFailure;
    }),
  );

  withCommon(
    program
      .command('expose')
      .description('expose a persistent shadow copy as a drive letter, a folder, or a share')
      .argument('<id>', 'shadow copy id')
      .argument('<target>', 'a drive letter (X:), an empty folder (C:\\mnt\\x), or a share name with --share')
      .option('--share', 'expose as a network share (must be asked for explicitly)'),
    ['vss expose 11111111-2222-3333-4444-555555555555 X:', "vss expose 11111111-2222-3333-4444-555555555555 'C:\\mnt\\shadow'"],
  ).action(
    act(async (out, options: CommonOptions & { share?: boolean }, typedId: string, target: string) => {
      const id = displayGuid(typedId); // printed back canonical, as everywhere else
      const where = options.share
        ? { share: target, allowShare: true as const }
        : /^[A-Za-z]:?$/.test(target)
          ? { driveLetter: target }
          : { mountPath: target };
      const exposed = await exposeShadowCopy(id, where, { backend: backendFrom(options), signal });
      if (options.json) return out.json({ snapshotId: id, exposedName: exposed });
      out.print(`exposed ${id} as ${exposed}`);
    }),
  );

  withCommon(
    program
      .command('revert')
      .description('revert a volume to a persistent shadow copy: everything written since is lost')
      .argument('<id>', 'shadow copy id')
      .option('--no-force-dismount', 'fail with VSS_E_VOLUME_IN_USE rather than dismount a volume in use')
      .option('--ignore-blocking-writers', 'revert even when ShouldBlockRevert says a writer blocks reverting the volume'),
    ['vss revert 11111111-2222-3333-4444-555555555555', 'vss revert 11111111-2222-3333-4444-555555555555 --no-force-dismount'],
  ).action(
    act(async (out, options: CommonOptions & { forceDismount: boolean; ignoreBlockingWriters?: boolean }, typedId: string) => {
      const id = displayGuid(typedId); // printed back canonical, as everywhere else
      const backend = backendFrom(options);
      afterInterrupt = 'no revert was started';
      let volume: string;
      try {
        volume = await revertToShadowCopy(id, { backend, forceDismount: options.forceDismount, ignoreBlockingWriters: options.ignoreBlockingWriters === true, signal, onProgress: out.progress.onProgress });
      } catch (error) {
        const interrupt = interruptOf(signal);
        // The signal stopped only the waiting (QueryRevertStatus): the revert was started, and
        // RevertToSnapshot "cannot be canceled" (its page). Say so, and wait for it here (cold12 F3).
        if (!interrupt || !(error instanceof AbortError) || error.operation !== 'QueryRevertStatus') throw error;
        volume = (await getShadowCopy(id, { backend })).originalVolume;
        const shown = volumePathNames(volume, backend)[0] ?? volume;
        const what = interrupt.signalName === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated (SIGTERM)';
        secondInterrupt = `stopped waiting: the revert of ${shown} to ${id} is still running (a revert cannot be stopped)`;
        out.progress.done('');
        if (!options.json) io.stderr.write(`vss: ${what}: a revert cannot be stopped once started; waiting for the revert of ${shown} to finish (again: stop waiting, the revert goes on)\n`);
        await waitForRevert(volume, backend);
        interruptOutlived = true;
      }
      out.progress.done('reverted');
      if (options.json) return out.json({ snapshotId: id, volume });
      // By drive letter or mount folder where it has one, as vss list shows it (cold8 F21).
      out.print(`reverted ${volumePathNames(volume, backendFrom(options))[0] ?? volume} to ${id}`);
    }),
  );

  withCommon(
    program
      .command('unexpose')
      .description('stop exposing a shadow copy (its drive letter, folder or share goes away)')
      .argument('<id>', 'shadow copy id'),
    ['vss unexpose 11111111-2222-3333-4444-555555555555'],
  ).action(
    act(async (out, options: CommonOptions, typedId: string) => {
      const id = displayGuid(typedId); // printed back canonical, as everywhere else
      await unexposeShadowCopy(id, { backend: backendFrom(options), signal });
      if (options.json) return out.json({ snapshotId: id, exposedName: null });
      out.print(`unexposed ${id}`);
    }),
  );

  addStorageCommand(program);

  return program;
}

/**
 * The variables `create --exec` and `--script` give: the set id, and per volume of the set (1-based;
 * those named, then those added) its name, its shadow copy's id, device and a path to its root.
 */
function shadowVariables(set: SnapshotSet): Record<string, string> {
  const variables: Record<string, string> = { VSS_SHADOW_SET: set.setId };
  set.volumes.forEach((volume, i) => {
    variables[`VSS_SHADOW_VOLUME_${i + 1}`] = volume;
    const shadow = set.snapshotFor(volume);
    variables[`VSS_SHADOW_${i + 1}`] = shadow.snapshotId;
    variables[`VSS_SHADOW_DEVICE_${i + 1}`] = shadow.deviceObject;
    // A path under it opens the shadow copy's files (on the simulator, its copy of a backed volume).
    variables[`VSS_SHADOW_PATH_${i + 1}`] = set.pathFor(normalizeVolume(volume, 'volume', true));
  });
  return variables;
}

/** Writes the variables as a .cmd/.bat (SET lines, as VShadow's -script does) or as a POSIX shell script. */
function writeScript(file: string, setId: string, variables: Record<string, string>): void {
  const cmd = /\.(cmd|bat)$/i.test(file);
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  // cmd.exe: the quoted form SET "NAME=value" keeps & | < > ^ in a value literal (Microsoft's `set` page:
  // special characters in quotation marks), and a batch file needs % doubled (KB 75634, "Percent Signs
  // Stripped from Batch File Text"). A mount folder may hold any of them (D:\R&D\); none holds a quote.
  const batch = (v: string) => v.replace(/%/g, '%%');
  const lines = cmd
    ? ['@echo off', `rem Shadow copy set ${setId}, written by vss create`, ...Object.entries(variables).map(([k, v]) => `SET "${k}=${batch(v)}"`)]
    : ['# Shadow copy set ' + setId + ', written by vss create', ...Object.entries(variables).map(([k, v]) => `export ${k}=${quote(v)}`)];
  try {
    writeFileSync(file, lines.join(cmd ? '\r\n' : '\n') + (cmd ? '\r\n' : '\n'));
  } catch (error) {
    throw new UsageError(`cannot write the script ${file}: ${(error as Error).message}`);
  }
}

/** Runs the --exec command through the shell with the variables; its output goes to ours (to stderr under --json). Resolves to its exit code. */
/** How an --exec command ended: its exit code, or the signal that killed it (which leaves it none). */
export type CommandEnd = { exitCode: number; signal?: undefined } | { exitCode?: undefined; signal: string };

/** "exited with 3" / "was killed by SIGKILL", and the matching JSON details. */
export function commandEnding(end: CommandEnd): { text: string; details: { commandExitCode: number } | { commandSignal: string } } {
  return end.signal !== undefined
    ? { text: `was killed by ${end.signal}`, details: { commandSignal: end.signal } }
    : { text: `exited with ${end.exitCode}`, details: { commandExitCode: end.exitCode } };
}

export function runCommand(command: string, variables: Record<string, string>, json: boolean): Promise<CommandEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...variables } });
    child.stdout.on('data', (chunk: Buffer) => (json ? io.stderr : io.stdout).write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.on('error', (error) => reject(new UsageError(`cannot run ${command}: ${error.message}`)));
    // Killed by a signal, the command has no exit code: report the signal, invent no number (cold12 F17).
    child.on('close', (code, sig) => resolve(code === null ? { signal: sig ?? 'an unknown signal' } : { exitCode: code }));
  });
}

/** The Hyper-V virtual machines' verdicts under the set, as --json's report.virtualMachines has them. */
function vmVerdictRows(report: BackupReport, out: Output): void {
  if (report.virtualMachines.length === 0) return;
  out.print('');
  out.print(formatVmVerdicts(report.virtualMachines, tableWidth(out.io.stdout, out.options.wide ?? false), out.paint));
}

function count(n: number): string {
  return `${n} shadow ${n === 1 ? 'copy' : 'copies'}`;
}

/** The shadow copies a delete target stands for, listed before deleting (so the question and the answer name them). */
async function deletionCandidates(target: DeleteTarget, backend: BackendOption): Promise<ShadowCopy[]> {
  if (Array.isArray(target)) {
    const wanted = new Set(target.map((id) => id.replace(/[{}]/g, '').toLowerCase()));
    return (await listShadowCopies({ backend, signal })).filter((c) => wanted.has(c.snapshotId));
  }
  if ('setId' in target) return listShadowCopies({ backend, setId: target.setId, signal });
  if ('volume' in target) {
    const ofVolume = await listShadowCopies({ backend, volume: target.volume, signal });
    if (!target.oldest) return ofVolume;
    ofVolume.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return ofVolume.slice(0, 1);
  }
  const all = await listShadowCopies({ backend, signal });
  if ('all' in target) return all;
  // As VSS names an exposure: "X:" for a drive letter, a folder or share without its trailing backslash.
  const key = (name: string) => name.replace(/^([A-Za-z]):?\\?$/, '$1:').replace(/\\$/, '').toLowerCase();
  return all.filter((c) => c.exposedName !== null && key(c.exposedName) === key(target.exposed));
}


/** A word as a POSIX shell or cmd.exe reads it: quoted when it holds more than safe characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(word) ? word : `"${word.replace(/"/g, '\\"')}"`;
}

/**
 * The flags that name this command's simulated machine, for a hint that gives a next command:
 * without them the hint's command would ask real VSS, or another machine (cold8 F21).
 */
function simulatorFlags(options: CommonOptions): string {
  if (options.scenario === undefined && !options.simulate) return '';
  const machine = options.scenario === undefined ? ' --simulate' : ` --simulate=${shellWord(options.scenario)}`;
  return options.state === undefined ? machine : `${machine} --state ${shellWord(options.state)}`;
}

export type NamedShadowCopy = ShadowCopy & { originalVolumePaths: string[] };

/** Each copy with the drive letters and mount folders of its volume (VSS names it only by GUID path). */
export function withPathNames(copies: ShadowCopy[], backend: BackendOption): NamedShadowCopy[] {
  const cache = new Map<string, string[]>();
  return copies.map((c) => {
    const key = c.originalVolume.toLowerCase();
    if (!cache.has(key)) cache.set(key, volumePathNames(c.originalVolume, backend));
    return { ...c, originalVolumePaths: cache.get(key)! };
  });
}

export function shadowRows(copies: NamedShadowCopy[], out: Output): void {
  // The id stays whole (it is what delete and expose take); the rest is shortened on a terminal.
  out.table(
    copies,
    [
      { header: 'Shadow copy id', value: (c) => c.snapshotId, minWidth: 36 },
      {
        header: 'Volume',
        value: (c) => (c.originalVolumePaths.length > 0 ? c.originalVolumePaths.join(' ') : c.originalVolume.replace(/^\\\\\?\\/, '')),
        minWidth: 8,
      },
      { header: 'Created', value: (c) => stamp(c.createdAt, 'minute'), minWidth: 17 },
      // Only when something is exposed, so the usual listing fits 80 columns with the id whole.
      ...(copies.some((c) => c.exposedName) ? [{ header: 'Exposed', value: (c: NamedShadowCopy) => c.exposedName ?? '-', minWidth: 7 }] : []),
      { header: 'Device', value: (c) => c.deviceObject.replace(/^.*\\HarddiskVolume/, ''), minWidth: 6 },
    ],
    'no shadow copies',
  );
}

/** The first argument that names a command, for the "see --help" hint. */
/** The last volume-like word that an option taking several values, or an optional one, swallowed. */
function volumeTakenByOption(args: string[], command: Command): { option: string; value: string } | null {
  const greedy = new Set(command.options.filter((o) => o.variadic || o.optional).map((o) => o.long).filter((l): l is string => l !== undefined));
  let current: string | null = null;
  let found: { option: string; value: string } | null = null;
  for (const arg of args) {
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      current = greedy.has(arg.split('=')[0]!) && !arg.includes('=') ? arg : null;
      continue;
    }
    if (current && /^([A-Za-z]:(\\.*)?|\\\\.+)$/.test(arg)) found = { option: current, value: arg };
  }
  return found;
}

function commandIn(args: string[], program: Command): string | null {
  const names = new Set(program.commands.map((c) => c.name()));
  return args.find((a) => names.has(a)) ?? null;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Aborted by Ctrl-C / SIGTERM (interrupt.ts): the command cancels, cleans up and exits 130 / 143. */
  signal?: AbortSignal;
}

/**
 * Runs the `vss` command with these arguments (without `node` and the script) and
 * resolves to its exit code. Output goes to `streams` (the process's by default),
 * so tests can run several commands in one process against one simulated machine.
 */
export async function runCli(rawArgs: string[], streams: CliIo = process, options: RunOptions = {}): Promise<number> {
  const previous = { io, signal, afterInterrupt, words, interruptEnds, secondInterrupt, interruptOutlived };
  io = streams;
  interruptEnds = false;
  secondInterrupt = null;
  interruptOutlived = false;
  signal = options.signal;
  afterInterrupt = 'the VSS call was cancelled and the session released';
  words = COMMON_WORDS;
  exitCode = ExitCode.Ok;
  const args = splitSimulate(rawArgs);
  const dashes = args.indexOf('--');
  const json = (dashes < 0 ? args : args.slice(0, dashes)).includes('--json');
  const paint: Painter = painterFor(colourEnabled(io.stderr, io.env ?? process.env));
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: 'user' });
    checkInterrupt();
    return exitCode;
  } catch (error) {
    const interrupt = interruptOf(signal);
    if (interrupt) {
      if (interruptEnds) return interrupt.exitCode;
      const what = interrupt.signalName === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated (SIGTERM)';
      if (json) io.stderr.write(`${JSON.stringify({ error: { code: 'ERR_INTERRUPTED', message: `${what}: ${afterInterrupt}`, signal: interrupt.signalName, exitCode: interrupt.exitCode } })}\n`);
      else io.stderr.write(`${paint('red', 'vss:')} ${what}: ${afterInterrupt}\n`);
      return interrupt.exitCode;
    }
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      if (error.exitCode === 0) return ExitCode.Ok;
      // `vss` alone: commander has printed the help (to stderr); that says it all.
      if (error.code === 'commander.help') return ExitCode.Usage;
      let message = error.message.replace(/^error: /, '');
      const command = commandIn(args, program);
      // `vss storage bogus`: the default subcommand (list) got the word; "too many arguments for 'list'"
      // named a command the user never typed (cold8 F21).
      const group = command === null ? undefined : program.commands.find((c) => c.name() === command);
      // `vss create --exclude-writer 'WMI Writer' C:`: the variadic (or optional-valued) option took the
      // volume, and "missing required argument" alone did not say why (cold8 F9).
      if (error.code === 'commander.missingArgument' && group) {
        const taken = volumeTakenByOption(args, group);
        if (taken) message += `: '${taken.value}' was read as a value of ${taken.option}; put the volumes before ${taken.option}, or end its values with -- (${taken.option} ... -- ${taken.value})`;
      }
      if (error.code === 'commander.excessArguments' && group && group.commands.length > 0) {
        const typed = args[args.indexOf(command!) + 1];
        if (typed !== undefined && !typed.startsWith('-') && !group.commands.some((c) => c.name() === typed))
          message = `unknown ${command} subcommand '${typed}': use ${group.commands.map((c) => c.name()).join(', ')}`;
      }
      // A Nagios plugin answers UNKNOWN (3) for invalid arguments (Monitoring Plugins development
      // guidelines, "Plugin Return Codes"): commander's own parse errors included, not exit 2 (CRITICAL).
      if (command === 'health' && (dashes < 0 ? args : args.slice(0, dashes)).includes('--nagios')) {
        io.stdout.write(`${formatNagiosUnknown(message)}\n`);
        return HealthExitCodes.UNKNOWN;
      }
      // The subcommand's own help where one was typed (vss storage add --help), not its group's (cold12 F12).
      const typedSub = group && group.commands.length > 0 ? args.slice(args.indexOf(command!) + 1).find((a) => group.commands.some((c) => c.name() === a)) : undefined;
      const hint = `see 'vss ${command ? `${command} ` : ''}${typedSub ? `${typedSub} ` : ''}--help'`;
      if (json) io.stderr.write(`${JSON.stringify({ error: { code: 'ERR_USAGE', message, reason: error.code, exitCode: ExitCode.Usage } })}\n`);
      else io.stderr.write(`${paint('red', 'vss:')} ${message}\n${hint}\n`);
      return ExitCode.Usage;
    }
    return reportError(error, io.stderr, { json, paint, words });
  } finally {
    ({ io, signal, afterInterrupt, words, interruptEnds, secondInterrupt, interruptOutlived } = previous);
  }
}

/**
 * The `vss` command's definition: commands, options and output.
 * @internal
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

import { Command, CommanderError, Option } from 'commander';

import type { BackendOption } from '../backend.js';
import { AbortError, VssError, VssUnsupportedPlatformError, VssWriterError } from '../errors.js';
import { createSimulator, builtInScenarios } from '../simulator.js';
import { BackupTypes, type BackupType } from '../enums.js';
import {
  createSnapshotSet,
  deleteShadowCopies,
  exposeShadowCopy,
  getShadowCopy,
  listProviders,
  revertToShadowCopy,
  listShadowCopies,
  listShadowStorage,
  unexposeShadowCopy,
  type DeleteTarget,
  type SnapshotSet,
} from '../snapshots.js';
import { normalizeVolume } from '../volumes.js';
import type { ProgressEvent, ShadowCopy, WriterStatus } from '../types.js';
import { getWriterMetadata, listWriters } from '../writers.js';
import { BackupSession } from '../session.js';
import { formatTable } from './table.js';

export const ExitCode = { Ok: 0, VssFailure: 1, Usage: 2, WriterFailure: 3, CommandFailed: 4 } as const;
/** The Nagios plugin exit codes `vss health --nagios` uses. */
export const NagiosCode = { Ok: 0, Warning: 1, Critical: 2, Unknown: 3 } as const;

/** The exit code the running command asked for (actions set it; runCli returns it). */
let exitCode: number = ExitCode.Ok;

/**
 * Writers every Windows since XP and Server 2003 has; one missing means a broken VSS
 * (the System Writer is hosted by Cryptographic Services, for instance).
 */
export const IN_BOX_WRITERS: readonly { name: string; writerId: string }[] = [
  { name: 'System Writer', writerId: 'e8132975-6f93-4464-a53e-1050253ae220' },
  { name: 'Registry Writer', writerId: 'afbab4a2-367d-4d15-a586-71dbb18f8485' },
  { name: 'COM+ REGDB Writer', writerId: '542da469-d3e1-473c-9f4f-7847f01fc64f' },
];

/** A writer state with its VSS_WRITER_STATE number in front, as vssadmin prints it: `[7] failed-at-prepare-backup`. */
export function stateWithNumber(w: WriterStatus): string {
  return `[${w.stateCode}] ${w.state}`;
}

/** The writers `vss writers` and `vss health` count as failing: a failed (or unknown) state, or a last error. */
function failingWriters(writers: WriterStatus[]): WriterStatus[] {
  return writers.filter((w) => w.state.startsWith('failed-') || w.state === 'unknown' || w.lastError !== null);
}

/**
 * How healthy VSS is: CRITICAL with a failing writer, no writers at all or an in-box writer
 * missing; WARNING with writers mid-backup or a snapshot set being created by another
 * requester (a backup started now would fail with VSS_E_SNAPSHOT_SET_IN_PROGRESS); else OK.
 */
export function healthOf(
  writers: WriterStatus[],
  facts: { setInProgress?: boolean } = {},
): {
  status: 'OK' | 'WARNING' | 'CRITICAL';
  failing: WriterStatus[];
  busy: WriterStatus[];
  missing: string[];
  setInProgress: boolean;
  summary: string;
} {
  const describe = (w: WriterStatus) => `${w.name} (${stateWithNumber(w)}${w.lastError ? `, ${w.lastError.name}` : ''})`;
  const failing = failingWriters(writers);
  const busy = writers.filter((w) => !failing.includes(w) && w.state !== 'stable');
  const missing = IN_BOX_WRITERS.filter((e) => !writers.some((w) => w.writerId === e.writerId)).map((e) => e.name);
  const setInProgress = facts.setInProgress ?? false;
  const verdict = { failing, busy, missing, setInProgress };
  const critical: string[] = [];
  if (writers.length === 0) critical.push('no VSS writers answered');
  if (failing.length > 0) critical.push(`${failing.length} of ${writers.length} writers failing: ${failing.map(describe).join('; ')}`);
  if (writers.length > 0 && missing.length > 0) critical.push(`in-box writer${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`);
  if (critical.length > 0) return { status: 'CRITICAL', ...verdict, summary: `VSS CRITICAL - ${critical.join('; ')}` };
  const warning: string[] = [];
  if (setInProgress) warning.push('another requester is creating a snapshot set (a backup started now fails with VSS_E_SNAPSHOT_SET_IN_PROGRESS)');
  if (busy.length > 0) warning.push(`${busy.length} of ${writers.length} writers not stable (a backup in progress?): ${busy.map(describe).join('; ')}`);
  if (warning.length > 0) return { status: 'WARNING', ...verdict, summary: `VSS WARNING - ${warning.join('; ')}` };
  return { status: 'OK', ...verdict, summary: `VSS OK - ${writers.length} writers stable` };
}

/**
 * Whether another requester is creating a snapshot set: StartSnapshotSet in a context
 * without writers answers VSS_E_SNAPSHOT_SET_IN_PROGRESS then (its page). No writer hears
 * anything, and the session is released before PrepareForBackup, which needs no AbortBackup
 * ("Aborting VSS Operations").
 */
async function snapshotSetInProgress(backend: BackendOption): Promise<boolean> {
  const probe = await BackupSession.create({ backend });
  try {
    await probe.initializeForBackup();
    await probe.setContext('file-share-backup');
    await probe.startSnapshotSet();
    return false;
  } catch (error) {
    if (error instanceof VssError && error.code === 'VSS_E_SNAPSHOT_SET_IN_PROGRESS') return true;
    throw error;
  } finally {
    await probe.release();
  }
}

interface CommonOptions {
  json?: boolean;
  simulate?: boolean | string;
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
 * `--simulate` alone: the default simulated machine; `--simulate=NAME`: a built-in scenario; `--simulate=FILE.json`: a scenario file.
 * `--state FILE` (or `VSS_SIM_STATE`) keeps the simulated machine in FILE, so that the next command finds it as this one left it.
 */
export function backendFrom(options: CommonOptions): BackendOption {
  const simulate = options.simulate;
  if (simulate === undefined || simulate === false) {
    if (options.state !== undefined) throw new UsageError('--state keeps a simulated machine: use it with --simulate');
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

/** A mistake in how the command was called. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the command writes: the process's streams, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

let io: CliIo = process;

function print(text: string): void {
  io.stdout.write(`${text}\n`);
}

function printJson(value: unknown): void {
  print(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
}

/** Prints an error for a person and returns the exit code it stands for. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    io.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof TypeError || error instanceof RangeError) {
    io.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof VssWriterError) {
    io.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.WriterFailure;
  }
  if (error instanceof VssError || error instanceof VssUnsupportedPlatformError || error instanceof AbortError) {
    io.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.VssFailure;
  }
  io.stderr.write(`vss: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.VssFailure;
}

/** Progress of long calls on stderr, only when it is a terminal and the output is not JSON. */
function progressFor(options: CommonOptions): { onProgress?: (event: ProgressEvent) => void; done(): void } {
  if (!io.stderr.isTTY || options.json) return { done() {} };
  let shown = false;
  return {
    onProgress: (e) => {
      shown = true;
      io.stderr.write(`\r${e.operation} ${(e.elapsedMs / 1000).toFixed(1)}s `);
    },
    done: () => {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

function writerRows(writers: WriterStatus[]): string {
  return formatTable(writers, [
    // Ids are in --json; the table keeps states (with vssadmin's number) and error names whole within 80 columns.
    { header: 'Writer', value: (w) => w.name, minWidth: 16 },
    { header: 'State', value: stateWithNumber, minWidth: 31 },
    { header: 'Last error', value: (w) => w.lastError?.name ?? 'none', minWidth: 29 },
  ]);
}

function simulateOption(): Option {
  return new Option('--simulate [scenario]', 'use the simulation backend (optionally a built-in scenario name or a .json file)');
}

function withCommon(command: Command): Command {
  return command
    .option('--json', 'print JSON instead of a table')
    .addOption(simulateOption())
    .addOption(new Option('--state <file>', 'with --simulate: keep the simulated machine in this file, shared by the commands that name it (or VSS_SIM_STATE)'));
}

export function buildProgram(): Command {
  const program = new Command('vss')
    .description('Volume Shadow Copy Service: writers, metadata, providers and shadow copies')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .addHelpText(
      'after',
      '\nEvery command takes --json and --simulate[=scenario] (a built-in scenario name or a .json file),\n' +
        'and with it --state FILE (or VSS_SIM_STATE): the simulated machine lives in FILE across commands.\n' +
        'Exit codes: 0 success, 1 a VSS error, 2 bad usage, 3 a writer failed (health: VSS not healthy),\n' +
        '4 the command of create --exec failed (the backup was marked failed).\n' +
        'vss health --nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
    );

  withCommon(program.command('writers').description('list the VSS writers with their state and last error')).action(
    async (options: CommonOptions) => {
      const progress = progressFor(options);
      const writers = await listWriters({ backend: backendFrom(options), onProgress: progress.onProgress }).finally(progress.done);
      if (options.json) printJson(writers);
      else print(writerRows(writers));
      // Exit code 3 when a writer failed, as the help says.
      if (failingWriters(writers).length > 0) exitCode = ExitCode.WriterFailure;
    },
  );

  withCommon(
    program
      .command('health')
      .description('monitoring check: exit 0 only when the in-box writers are there, every writer is stable with no last error, and no snapshot set is being created')
      .option('--nagios', 'Nagios plugin output and exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)'),
  ).action(async (options: CommonOptions & { nagios?: boolean }) => {
    let writers: WriterStatus[];
    let setInProgress: boolean;
    const progress = progressFor(options);
    try {
      const backend = backendFrom(options);
      writers = await listWriters({ backend, onProgress: progress.onProgress }).finally(progress.done);
      setInProgress = await snapshotSetInProgress(backend);
    } catch (error) {
      if (!options.nagios || error instanceof UsageError) throw error;
      print(`VSS UNKNOWN - ${(error as Error).message.split('\n')[0]}`);
      exitCode = NagiosCode.Unknown;
      return;
    }
    const verdict = healthOf(writers, { setInProgress });
    if (options.json)
      printJson({
        status: verdict.status,
        healthy: verdict.status === 'OK',
        writers: writers.length,
        failing: verdict.failing,
        busy: verdict.busy,
        missingInBoxWriters: verdict.missing,
        snapshotSetInProgress: verdict.setInProgress,
      });
    else {
      if (!options.nagios && verdict.failing.length + verdict.busy.length > 0) print(writerRows([...verdict.failing, ...verdict.busy]));
      print(verdict.summary);
    }
    if (options.nagios) exitCode = NagiosCode[verdict.status === 'OK' ? 'Ok' : verdict.status === 'WARNING' ? 'Warning' : 'Critical'];
    else if (verdict.status !== 'OK') exitCode = ExitCode.WriterFailure;
  });

  withCommon(
    program
      .command('metadata')
      .description('gather writer metadata: components and files')
      .option('--xml', 'print each writer\'s metadata document as VSS writes it')
      .option('--writer <name-or-id...>', 'only these writers'),
  ).action(async (options: CommonOptions & { xml?: boolean; writer?: string[] }) => {
    const progress = progressFor(options);
    const metadata = await getWriterMetadata({ backend: backendFrom(options), writers: options.writer, onProgress: progress.onProgress }).finally(
      progress.done,
    );
    if (options.xml) {
      for (const m of metadata) print(m.xml);
      return;
    }
    if (options.json) return printJson(metadata);
    print(
      formatTable(
        metadata.flatMap((m) => (m.components.length ? m.components : [null]).map((c) => ({ m, c }))),
        [
          { header: 'Writer', value: ({ m }) => m.name, minWidth: 14 },
          { header: 'Component', value: ({ c }) => (c ? (c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name) : '-'), minWidth: 14 },
          { header: 'Type', value: ({ c }) => c?.type ?? '-' },
          { header: 'Files', value: ({ c }) => String(c ? c.files.length + c.databaseFiles.length + c.logFiles.length : 0) },
        ],
      ),
    );
  });

  withCommon(program.command('providers').description('list the shadow copy providers')).action(async (options: CommonOptions) => {
    const providers = await listProviders({ backend: backendFrom(options) });
    if (options.json) return printJson(providers);
    print(
      formatTable(providers, [
        { header: 'Provider', value: (p) => p.name, minWidth: 44 },
        { header: 'Type', value: (p) => p.type },
        { header: 'Version', value: (p) => p.version },
        { header: 'Provider id', value: (p) => p.providerId, minWidth: 8 },
      ]),
    );
  });

  withCommon(
    program
      .command('list')
      .description('list existing shadow copies')
      .option('--volume <volume>', 'only shadow copies of this volume')
      .option('--set <id>', 'only shadow copies of this snapshot set')
      .option('--id <id>', 'only this shadow copy (an error when there is none)'),
  ).action(async (options: CommonOptions & { volume?: string; set?: string; id?: string }) => {
    if (options.id !== undefined && (options.volume !== undefined || options.set !== undefined))
      throw new UsageError('list --id takes no --volume or --set');
    const backend = backendFrom(options);
    const copies = options.id !== undefined ? [await getShadowCopy(options.id, { backend })] : await listShadowCopies({ backend, volume: options.volume, setId: options.set });
    if (options.json) return printJson(copies);
    print(shadowRows(copies));
  });

  withCommon(
    program
      .command('create')
      .description('create a snapshot set of one or more volumes, with the writers taking part')
      .argument('<volumes...>', "volumes such as C:\\ or \\\\?\\Volume{guid}\\")
      .option('--persistent', 'keep the shadow copies after this command ends')
      .addOption(new Option('--backup-type <type>', 'the backup type writers see').choices(BackupTypes.names.filter((n) => n !== 'unknown')).default('full'))
      .option('--exclude-writer <name-or-id...>', 'writers that do not take part (names, class ids or instance ids)')
      .option('--no-writers', 'no writers take part (a crash-consistent shadow copy)')
      .option('--retry [attempts]', 'retry while another requester is creating a snapshot set (VSS_E_SNAPSHOT_SET_IN_PROGRESS), up to this many attempts in all (default 5)')
      .option('--exec <command>', 'run this shell command while the shadow copies exist (VSS_SHADOW_SET, VSS_SHADOW_1, VSS_SHADOW_DEVICE_1, VSS_SHADOW_PATH_1, ... in its environment); a failure marks the backup failed')
      .option('--script <file>', 'write the same variables to this file: a .cmd (SET lines) or a shell script (export lines)'),
  ).action(
    async (
      volumes: string[],
      options: CommonOptions & {
        persistent?: boolean;
        backupType: string;
        excludeWriter?: string[];
        writers: boolean;
        retry?: boolean | string;
        exec?: string;
        script?: string;
      },
    ) => {
      if (options.exec !== undefined && options.exec.trim() === '') throw new UsageError('--exec needs a command');
      if (!options.writers && options.excludeWriter) throw new UsageError('--exclude-writer and --no-writers contradict each other: without writers none can be excluded');
      let attempts: number | undefined;
      if (options.retry !== undefined) {
        attempts = options.retry === true ? 5 : Number(options.retry);
        if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) throw new UsageError(`--retry takes a number of attempts from 1 to 100, not '${String(options.retry)}'`);
      }
      const progress = progressFor(options);
      const set = await createSnapshotSet(volumes, {
        ...(attempts !== undefined ? { retry: { attempts } } : {}),
        backend: backendFrom(options),
        persistent: options.persistent ?? false,
        backupType: options.backupType as BackupType,
        writers: !options.writers ? 'none' : options.excludeWriter ? { exclude: options.excludeWriter } : 'all',
        onProgress: progress.onProgress,
      }).finally(progress.done);
      const copies = set.snapshots;
      let failure: string | undefined;
      try {
        const variables = shadowVariables(set, volumes);
        if (options.script !== undefined) writeScript(options.script, set.setId, variables);
        if (options.exec !== undefined) {
          const code = await runCommand(options.exec, variables, Boolean(options.json));
          if (code !== 0) failure = `the command exited with ${code}; the backup was marked failed`;
        }
      } catch (error) {
        await set.complete({ succeeded: false }).catch(() => undefined);
        throw error;
      }
      await set.complete({ succeeded: failure === undefined });
      if (failure !== undefined) {
        io.stderr.write(`vss: ${failure}\n`);
        exitCode = ExitCode.CommandFailed;
        return;
      }
      if (options.json) return printJson({ setId: set.setId, persistent: set.persistent, snapshots: copies });
      print(shadowRows(copies));
      if (!set.persistent) print('(not persistent: the shadow copies were released when the command ended; use --persistent to keep them)');
    },
  );

  withCommon(
    program
      .command('delete')
      .description('delete shadow copies: by id, a whole set, every one or the oldest of a volume, the one exposed somewhere, or all')
      .argument('[ids...]', 'shadow copy ids')
      .option('--set <id>', 'delete every shadow copy of this set')
      .option('--oldest <volume>', 'delete the oldest shadow copy of this volume')
      .option('--volume <volume>', 'delete every shadow copy of this volume')
      .option('--exposed <name>', 'delete the shadow copy exposed as this drive letter, folder or share')
      .option('--all', 'delete every shadow copy on the machine'),
  ).action(async (ids: string[], options: CommonOptions & { set?: string; oldest?: string; volume?: string; exposed?: string; all?: boolean }) => {
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
    const result = await deleteShadowCopies(target, { backend: backendFrom(options) });
    if (options.json) return printJson(result);
    print(`deleted ${result.deletedCount} shadow ${result.deletedCount === 1 ? 'copy' : 'copies'}`);
    if (result.nonDeletedId) print(`could not delete ${result.nonDeletedId}`);
  });

  withCommon(
    program
      .command('expose')
      .description('expose a persistent shadow copy as a drive letter, a folder, or a share')
      .argument('<id>', 'shadow copy id')
      .argument('<target>', 'a drive letter (X:), an empty folder (C:\\mnt\\x), or a share name with --share')
      .option('--share', 'expose as a network share (must be asked for explicitly)'),
  ).action(async (id: string, target: string, options: CommonOptions & { share?: boolean }) => {
    const where = options.share
      ? { share: target, allowShare: true as const }
      : /^[A-Za-z]:?$/.test(target)
        ? { driveLetter: target }
        : { mountPath: target };
    const exposed = await exposeShadowCopy(id, where, { backend: backendFrom(options) });
    if (options.json) return printJson({ snapshotId: id, exposedName: exposed });
    print(`exposed ${id} as ${exposed}`);
  });

  withCommon(
    program
      .command('revert')
      .description('revert a volume to a persistent shadow copy: everything written since is lost')
      .argument('<id>', 'shadow copy id')
      .option('--no-force-dismount', 'fail with VSS_E_VOLUME_IN_USE rather than dismount a volume in use'),
  ).action(async (id: string, options: CommonOptions & { forceDismount: boolean }) => {
    const progress = progressFor(options);
    const volume = await revertToShadowCopy(id, { backend: backendFrom(options), forceDismount: options.forceDismount, onProgress: progress.onProgress }).finally(
      progress.done,
    );
    if (options.json) return printJson({ snapshotId: id, volume });
    print(`reverted ${volume} to ${id}`);
  });

  withCommon(
    program
      .command('unexpose')
      .description('stop exposing a shadow copy (its drive letter, folder or share goes away)')
      .argument('<id>', 'shadow copy id'),
  ).action(async (id: string, options: CommonOptions) => {
    await unexposeShadowCopy(id, { backend: backendFrom(options) });
    if (options.json) return printJson({ snapshotId: id, exposedName: null });
    print(`unexposed ${id}`);
  });

  withCommon(program.command('storage').description('list shadow storage (diff area) associations and sizes')).action(
    async (options: CommonOptions) => {
      const storage = await listShadowStorage({ backend: backendFrom(options) });
      if (options.json) return printJson(storage);
      print(
        formatTable(storage, [
          { header: 'Volume', value: (s) => s.volume, minWidth: 10 },
          { header: 'Storage on', value: (s) => s.diffAreaVolume, minWidth: 10 },
          { header: 'Used', value: (s) => bytes(s.usedSize) },
          { header: 'Allocated', value: (s) => bytes(s.allocatedSize) },
          { header: 'Maximum', value: (s) => (s.maximumSize < 0n ? 'unbounded' : bytes(s.maximumSize)) },
        ]),
      );
    },
  );

  return program;
}

/** The variables `create --exec` and `--script` give: the set id, and per volume (1-based) its shadow copy's id, device and a path to its root. */
function shadowVariables(set: SnapshotSet, volumes: string[]): Record<string, string> {
  const variables: Record<string, string> = { VSS_SHADOW_SET: set.setId };
  volumes.forEach((volume, i) => {
    const shadow = set.snapshotFor(volume);
    variables[`VSS_SHADOW_${i + 1}`] = shadow.snapshotId;
    variables[`VSS_SHADOW_DEVICE_${i + 1}`] = shadow.deviceObject;
    // A path under it opens the shadow copy's files (on the simulator, its copy of a backed volume).
    variables[`VSS_SHADOW_PATH_${i + 1}`] = set.pathFor(normalizeVolume(volume));
  });
  return variables;
}

/** Writes the variables as a .cmd/.bat (SET lines, as VShadow's -script does) or as a POSIX shell script. */
function writeScript(file: string, setId: string, variables: Record<string, string>): void {
  const cmd = /\.(cmd|bat)$/i.test(file);
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const lines = cmd
    ? ['@echo off', `rem Shadow copy set ${setId}, written by vss create`, ...Object.entries(variables).map(([k, v]) => `SET ${k}=${v}`)]
    : ['# Shadow copy set ' + setId + ', written by vss create', ...Object.entries(variables).map(([k, v]) => `export ${k}=${quote(v)}`)];
  try {
    writeFileSync(file, lines.join(cmd ? '\r\n' : '\n') + (cmd ? '\r\n' : '\n'));
  } catch (error) {
    throw new UsageError(`cannot write the script ${file}: ${(error as Error).message}`);
  }
}

/** Runs the --exec command through the shell with the variables; its output goes to ours (to stderr under --json). Resolves to its exit code. */
function runCommand(command: string, variables: Record<string, string>, json: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...variables } });
    child.stdout.on('data', (chunk: Buffer) => (json ? io.stderr : io.stdout).write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.on('error', (error) => reject(new UsageError(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function bytes(value: bigint): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : n.toFixed(1)} ${units[unit]}`;
}

function shadowRows(copies: ShadowCopy[]): string {
  if (copies.length === 0) return 'no shadow copies';
  // The id stays whole (it is what delete and expose take); the rest is shortened.
  return formatTable(copies, [
    { header: 'Shadow copy id', value: (c) => c.snapshotId, minWidth: 36 },
    { header: 'Volume', value: (c) => c.originalVolume.replace(/^\\\\\?\\/, ''), minWidth: 8 },
    { header: 'Created', value: (c) => c.createdAt.toISOString().replace('T', ' ').slice(0, 16), minWidth: 16 },
    { header: 'Device', value: (c) => c.deviceObject.replace(/^.*\\HarddiskVolume/, ''), minWidth: 12 },
  ]);
}

/**
 * Runs the `vss` command with these arguments (without `node` and the script) and
 * resolves to its exit code. Output goes to `streams` (the process's by default),
 * so tests can run several commands in one process against one simulated machine.
 */
export async function runCli(args: string[], streams: CliIo = process): Promise<number> {
  const previous = io;
  io = streams;
  exitCode = ExitCode.Ok;
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    // --help and --version end here with exit code 0; commander already printed usage errors.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return reportError(error);
  } finally {
    io = previous;
  }
}

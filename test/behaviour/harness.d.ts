// The contract between the runner-neutral behaviour cases (cases/*.mjs) and the
// runners that execute them: vitest on Linux (behaviour.test.ts, simulated backend)
// and the Wine runner inside Windows node.exe (test/wine/, COM backend over the
// emulated vssapi.dll). A case uses only `h`, never a runner's own API.
import type * as Vss from '../../lib/index.js';

export type Where = 'linux' | 'wine' | 'windows';

export interface CaseMachine {
  /** What to pass as `backend` to the library. */
  backend: Vss.BackendOption;
  /**
   * Changes the machine (faults, timings, writer states) with a scenario fragment; the
   * change reaches sessions already running (the Wine runner makes the emulated DLL
   * re-read its control file by opening and releasing a throw-away session).
   */
  configure(patch: Record<string, unknown>): Promise<void>;
  /**
   * The `\\?\Volume{guid}\` name the system gives a drive letter, the name shadow copies of
   * it report as their original volume: on Linux the simulated machine's (its scenario's);
   * under Wine and on Windows what GetVolumeNameForVolumeMountPointW answers (under Wine
   * the emulated machine takes the host's name for the drives the host has). Null: none.
   */
  systemVolumeName(drive: string): Promise<string | null>;
  /** The simulator's own view of the machine (Linux only). */
  describe(): Promise<Vss.SimulatorState>;
  /**
   * Only on a machine made with `{ stateFile: true }`: runs `body` (the body of an async
   * ES module function, with `vss` the library and `backend` this machine in scope) in a
   * new process of the same kind (Linux node, or Windows node.exe under Wine) and
   * resolves to what it returns (as JSON).
   */
  inNewProcess(body: string): Promise<unknown>;
  /**
   * Runs the `vss` command (runCli, in this process) on this machine and resolves to its
   * exit code and output. Linux: `--simulate=<the scenario as a file>` is added, so the
   * command gets a fresh machine built from the same scenario (what this machine did since
   * is not in it), unless the machine was made with `{ stateFile: true }`: then `--state`
   * opens this same machine. Wine: the COM backend, i.e. this same emulated machine.
   */
  cli(args: string[]): Promise<CliResult>;
  /**
   * Wine only (absent elsewhere): what the fixture services (test/fixtures/vss-service)
   * recorded as Wine's Service Control Manager started and stopped them, in order, as
   * "started <service>" and "stopped <service>". Under Wine a scenario's `services` are
   * real fixture services of the prefix, which the runner brings to the state the
   * scenario gives them before the machine is built.
   */
  serviceNotices?(): Promise<string[]>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface MachineOptions {
  /** Keep the machine in a fresh state file, so that other processes share it (createSimulator's `stateFile`). */
  stateFile?: boolean;
}

export interface Harness {
  /** The library under test. */
  vss: typeof Vss;
  /** Where the case runs. */
  where: Where;
  /** A fresh simulated machine for this case, built from a scenario (default: the default machine). */
  machine(scenario?: Record<string, unknown>, options?: MachineOptions): Promise<CaseMachine>;
  /**
   * A BackupSession that the runner disposes when the case ends, pass or fail
   * (the cases are plain .mjs run by Node 20, which has no `await using`).
   */
  session(options?: Vss.SessionOptions): Promise<Vss.BackupSession>;
  /**
   * A folder of the case's own, removed afterwards: a host path on Linux, a folder of the
   * Windows process under Wine (where the emulated machine's volumes can be backed by it).
   */
  tempDir(): Promise<string>;
}

export interface BehaviourCase {
  name: string;
  /** Where the case can run; a case that needs `describe()` is Linux-only. */
  where: Where[];
  run(h: Harness): Promise<void>;
}

/**
 * The simulation backend: a simulated Windows machine with VSS writers, volumes,
 * providers and shadow copies, on any OS. Use it for development off Windows and
 * in tests; it is used only when asked for by name, never in place of real VSS.
 * @module
 */
import { resolve } from 'node:path';

import { VssError, fromNativeError } from './errors.js';
import { loadAddon, type SimulatedMachineHandle } from './native.js';
import { checkOptionsObject, invalidArgType, invalidArgValue, optionKeys, outOfRange } from './validate.js';

/** The engine reads scenarios of at most 16 MiB of JSON (native/sim/json.cpp). */
const MAX_SCENARIO_JSON = 16 * 1024 * 1024;

function scenarioJson(object: object, name: string): string {
  const json = JSON.stringify(object);
  if (json.length > MAX_SCENARIO_JSON) {
    const big = json.includes('"metadataXml":"') ? ' (a metadataXml document in it is too large)' : '';
    throw outOfRange(`${name}`, `${(json.length / 1048576).toFixed(1)} MiB of JSON`, `at most 16 MiB of JSON${big}`);
  }
  return json;
}

/**
 * A scenario the engine refuses (E_INVALIDARG from LoadScenario) is a bad argument:
 * a TypeError naming the key and what it accepts, as the README promises, with the
 * engine's VssError as its cause.
 */
function scenarioError(error: unknown, name: string): Error {
  const mapped = fromNativeError(error);
  // A bad state file (LoadState) is not a bad scenario argument: it stays the engine's VssError.
  if (mapped instanceof VssError && mapped.code === 'E_INVALIDARG' && mapped.operation !== 'LoadState') {
    const detail = (error as { detail?: string }).detail ?? mapped.message;
    const typeError = new TypeError(`The "${name}" argument is not a valid scenario: ${detail}`, { cause: mapped }) as TypeError & { code: string };
    typeError.code = 'ERR_INVALID_ARG_VALUE';
    return typeError;
  }
  return mapped;
}

/** A scenario: the simulated machine's writers, volumes, providers, timings and faults. See README "Scenario format". */
export type Scenario = Record<string, unknown>;

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /**
   * Keep the machine in this file, so that it outlives the process: shadow copies (a
   * persistent one stays until deleted, an auto-release one until its requester's
   * process ends), exposures, shadow storage limits, writer states, fault counters, the
   * services (configuration and whether each runs) and the event log.
   * Every process that opens the file with the same scenario shares the one machine;
   * changes are locked across processes and written crash-safely (temporary file,
   * flush, rename). A file made from another scenario is refused (`E_INVALIDARG`).
   */
  stateFile?: string;
}

/** What a simulated machine looks like right now. */
export interface SimulatorState {
  writers: { writerId: string; instanceId: string; name: string; state: number | string; lastError: number }[];
  shadows: {
    snapshotId: string;
    snapshotSetId: string;
    originalVolume: string;
    deviceObject: string;
    persistent: boolean;
    contentPath?: string;
  }[];
  /** Volumes by the name users give (`C:\\`) and the GUID path shadow copies report; `path` is the host folder backing it, if any. */
  volumes: { name: string; guidName: string; label: string; path: string; unsupported: boolean }[];
  snapshotSetInProgress: boolean;
  /**
   * The scenario's `services` and whether each runs now: `dependsOn` lists service names and
   * `+Group` for a load-ordering group; `group` is the service's own load-ordering group ('' for none).
   */
  services: { name: string; dependsOn: string[]; running: boolean; group: string }[];
  /** Milliseconds of (scaled) time the machine has modelled VSS and its writers taking, in all sessions so far. */
  modelledMs: number;
  [key: string]: unknown;
}

/**
 * A simulated machine. Every session created with `{ backend: simulator }` runs
 * against it, so state (shadow copies, a set in progress, faults) carries from
 * one call to the next as it would on a real machine.
 *
 * @example
 * const sim = createSimulator({ base: 'sql-server' });
 * const writers = await listWriters({ backend: sim });
 */
export class Simulator {
  /** @internal */
  readonly handle: SimulatedMachineHandle;

  /** The state file the machine lives in, if any (an absolute path). */
  readonly stateFile: string | undefined;

  /**
   * @param scenario a scenario object, or a built-in scenario's name.
   * @param options `stateFile`: keep the machine in a file shared across processes.
   */
  constructor(scenario: Scenario | string = {}, options: SimulatorOptions = {}) {
    const object = typeof scenario === 'string' ? { base: scenario } : scenario;
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      const error = new TypeError('The "scenario" argument must be an object or a built-in scenario name');
      (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
      throw error;
    }
    checkOptionsObject(options, 'options', optionKeys<SimulatorOptions>()({ stateFile: true }));
    const stateFile: unknown = options?.stateFile;
    if (stateFile !== undefined && (typeof stateFile !== 'string' || stateFile.length === 0 || stateFile.includes('\0')))
      throw invalidArgValue('options.stateFile', stateFile, 'a file path');
    this.stateFile = stateFile === undefined ? undefined : resolve(stateFile as string);
    try {
      this.handle = new (loadAddon().SimulatedMachine)(scenarioJson(object, 'scenario'), this.stateFile);
    } catch (error) {
      throw scenarioError(error, 'scenario');
    }
  }

  /**
   * Changes the running machine: faults, timings, writer states. Applies to sessions already running.
   * @example
   * sim.configure({ faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_TIMEOUT' }] });
   */
  configure(patch: Scenario): void {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw invalidArgType('patch', patch, 'a scenario fragment object');
    try {
      this.handle.configure(scenarioJson(patch, 'patch'));
    } catch (error) {
      throw scenarioError(error, 'patch');
    }
  }

  /**
   * Restarts the simulated machine, as a reboot would: persistent shadow copies stay, the others
   * end with their requesters, and a shadow storage maximum changed with `volatile`
   * (`ChangeDiffAreaMaximumSizeEx`) gives way to the last one set without it. Refused
   * (`VSS_E_BAD_STATE`) while a session of this process is open on the machine.
   * @example
   * const machine = createSimulator();
   * machine.restart();
   */
  restart(): void {
    try {
      this.handle.restart();
    } catch (error) {
      throw fromNativeError(error);
    }
  }

  /**
   * The machine's current state.
   * @example
   * const { shadows, snapshotSetInProgress } = sim.describe();
   */
  describe(): SimulatorState {
    return JSON.parse(this.handle.describe()) as SimulatorState;
  }
}

/**
 * Creates a simulated machine from a scenario, optionally kept in a state file shared across processes.
 * @example const sim = createSimulator('hyper-v');
 * @example const sim = createSimulator('windows-server-2022', { stateFile: 'machine.json' }); // persistent shadow copies outlive the process
 */
export function createSimulator(scenario: Scenario | string = {}, options: SimulatorOptions = {}): Simulator {
  return new Simulator(scenario, options);
}

/**
 * The names of the built-in scenarios, e.g. `'windows-server-2022'`.
 * @example
 * builtInScenarios(); // ['windows-server-2022', 'sql-server', 'hyper-v', 'empty']
 */
export function builtInScenarios(): string[] {
  return loadAddon().builtInScenarios();
}

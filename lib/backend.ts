/**
 * Which VSS answers: the real one through COM (`'native'`, Windows only), or the
 * simulation (`'simulated'`, or a `Simulator` of your own). Chosen per call, with
 * a module-wide default; the simulation is never picked unless asked for.
 * @module
 */
import { VssUnsupportedPlatformError } from './errors.js';
import { loadAddon, type NativeSessionHandle } from './native.js';
import { Simulator } from './simulator.js';
import { invalidArgValue } from './validate.js';

/** `'native'`: real VSS through COM (Windows). `'simulated'`: the shared default simulated machine. Or a `Simulator`. */
export type BackendOption = 'native' | 'simulated' | Simulator;

let moduleDefault: BackendOption = 'native';
let defaultSimulator: Simulator | undefined;

/**
 * Sets the backend used when a call does not name one.
 * @example setDefaultBackend('simulated'); // tests and development off Windows
 */
export function setDefaultBackend(backend: BackendOption): void {
  checkBackend(backend, 'backend');
  moduleDefault = backend;
}

/**
 * The backend used when a call does not name one (`'native'` unless changed).
 * @example
 * if (getDefaultBackend() === 'native') setDefaultBackend('simulated');
 */
export function getDefaultBackend(): BackendOption {
  return moduleDefault;
}

/**
 * The simulated machine `'simulated'` stands for (created on first use, default scenario).
 * @example
 * getDefaultSimulator().configure({ snapshotSetInProgress: true });
 */
export function getDefaultSimulator(): Simulator {
  defaultSimulator ??= new Simulator();
  return defaultSimulator;
}

/** The simulated machine a backend option reaches (the default backend when none is given), or null for real VSS. */
export function simulatorOf(backend: BackendOption | undefined): Simulator | null {
  const chosen = backend ?? getDefaultBackend();
  if (chosen instanceof Simulator) return chosen;
  return chosen === 'simulated' ? getDefaultSimulator() : null;
}

/** Validates a backend option; throws TypeError naming the argument and the accepted values. */
export function checkBackend(backend: unknown, name: string): asserts backend is BackendOption {
  if (backend === 'native' || backend === 'simulated' || backend instanceof Simulator) return;
  throw invalidArgValue(name, backend, "'native', 'simulated' or a Simulator");
}

/** Creates the addon's session object for a backend. */
export function createNativeSession(backend: BackendOption | undefined): NativeSessionHandle {
  const chosen = backend ?? moduleDefault;
  checkBackend(chosen, 'options.backend');
  const addon = loadAddon();
  if (chosen === 'native') {
    if (!addon.hasComBackend) throw new VssUnsupportedPlatformError();
    return new addon.NativeSession('com');
  }
  const simulator = chosen === 'simulated' ? getDefaultSimulator() : chosen;
  return new addon.NativeSession('simulated', simulator.handle);
}

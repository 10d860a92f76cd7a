/**
 * Loads the compiled addon (build/Release on a developer machine, prebuilds/
 * otherwise) through node-gyp-build, once, on first use.
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { RawDiffArea } from './convert.js';

/** What readEvents asks the backend for (times in ms since 1970). */
export interface RawEventQuery {
  sinceMs?: number;
  untilMs?: number;
  channels?: string[];
  ids?: number[];
  levels?: number[];
  max?: number;
}

/** One event log record as the addon returns it. */
export interface RawEventRecord {
  timeCreated: bigint; // FILETIME
  channel: string;
  provider: string;
  eventId: number;
  level: number;
  recordId: bigint;
  message: string;
  data: Record<string, string>;
}

export interface NativeSessionHandle {
  open(): Promise<string>;
  call(operation: string, args?: object, onProgress?: (event: { operation: string; elapsedMs: number }) => void): Promise<unknown>;
  queryDiffAreas(): Promise<RawDiffArea[]>;
  changeDiffAreaMaximumSize(volume: string, diffAreaVolume: string, maximumSize: number): Promise<void>;
  readEvents(query: RawEventQuery): Promise<RawEventRecord[]>;
  cancel(): boolean;
  release(): Promise<void>;
  readonly busy: boolean;
  readonly released: boolean;
}

export interface SimulatedMachineHandle {
  configure(patchJson: string): void;
  describe(): string;
}

export interface NativeAddon {
  NativeSession: new (kind: 'com' | 'simulated', machine?: SimulatedMachineHandle) => NativeSessionHandle;
  SimulatedMachine: new (scenarioJson: string) => SimulatedMachineHandle;
  builtInScenarios(): string[];
  hresultName(value: number): string;
  /** A volume's \\?\Volume{guid}\ path (Windows), or null. */
  volumeGuidPath(name: string): string | null;
  hasComBackend: boolean;
}

let addon: NativeAddon | undefined;

/** The package root: dist/ (compiled) and lib/ (sources under vitest) both sit one level below it. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export function loadAddon(): NativeAddon {
  if (!addon) {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => NativeAddon;
    addon = load(packageRoot);
  }
  return addon;
}

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

export interface NativeSessionHandle {
  open(): Promise<string>;
  call(operation: string, args?: object, onProgress?: (event: { operation: string; elapsedMs: number }) => void): Promise<unknown>;
  queryDiffAreas(): Promise<RawDiffArea[]>;
  changeDiffAreaMaximumSize(volume: string, diffAreaVolume: string, maximumSize: number): Promise<void>;
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
  /** A volume's drive letters and mount folders, from its \\?\Volume{guid}\ path (Windows), or null. */
  volumePathNames(guidPath: string): string[] | null;
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

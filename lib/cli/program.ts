/**
 * The `vss` command's definition: commands, options and output.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

import { Command, Option } from 'commander';

import type { BackendOption } from '../backend.js';
import { AbortError, VssError, VssUnsupportedPlatformError, VssWriterError } from '../errors.js';
import { createSimulator, builtInScenarios } from '../simulator.js';
import type { WriterStatus } from '../types.js';
import { listWriters } from '../writers.js';
import { formatTable } from './table.js';

export const ExitCode = { Ok: 0, VssFailure: 1, Usage: 2, WriterFailure: 3 } as const;

interface CommonOptions {
  json?: boolean;
  simulate?: boolean | string;
}

/** `--simulate` alone: the default simulated machine; `--simulate=NAME`: a built-in scenario; `--simulate=FILE.json`: a scenario file. */
export function backendFrom(options: CommonOptions): BackendOption {
  const simulate = options.simulate;
  if (simulate === undefined || simulate === false) return 'native';
  if (simulate === true) return 'simulated';
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
    return createSimulator(scenario as Record<string, unknown>);
  }
  const names = builtInScenarios();
  if (!names.includes(simulate))
    throw new UsageError(`unknown scenario '${simulate}': use a .json file or one of ${names.join(', ')}`);
  return createSimulator(simulate);
}

/** A mistake in how the command was called. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function printJson(value: unknown): void {
  print(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
}

/** Prints an error for a person and returns the exit code it stands for. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof TypeError || error instanceof RangeError) {
    process.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof VssWriterError) {
    process.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.WriterFailure;
  }
  if (error instanceof VssError || error instanceof VssUnsupportedPlatformError || error instanceof AbortError) {
    process.stderr.write(`vss: ${error.message}\n`);
    return ExitCode.VssFailure;
  }
  process.stderr.write(`vss: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.VssFailure;
}

function writerRows(writers: WriterStatus[]): string {
  return formatTable(writers, [
    { header: 'Writer', value: (w) => w.name, minWidth: 16 },
    { header: 'State', value: (w) => w.state, minWidth: 12 },
    { header: 'Last error', value: (w) => w.lastError?.name ?? 'none', minWidth: 10 },
    { header: 'Writer id', value: (w) => w.writerId, minWidth: 8 },
  ]);
}

function simulateOption(): Option {
  return new Option('--simulate [scenario]', 'use the simulation backend (optionally a built-in scenario name or a .json file)');
}

function withCommon(command: Command): Command {
  return command.option('--json', 'print JSON instead of a table').addOption(simulateOption());
}

export function buildProgram(): Command {
  const program = new Command('vss')
    .description('Volume Shadow Copy Service: writers, metadata, providers and shadow copies')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  withCommon(program.command('writers').description('list the VSS writers with their state and last error')).action(
    async (options: CommonOptions) => {
      const writers = await listWriters({ backend: backendFrom(options) });
      if (options.json) printJson(writers);
      else print(writerRows(writers));
    },
  );

  withCommon(
    program
      .command('health')
      .description('monitoring check: exit 0 only when every writer is stable with no last error')
      .option('--nagios', 'Nagios plugin output and exit codes (0 OK, 2 CRITICAL, 3 UNKNOWN)'),
  ).action(async (options: CommonOptions & { nagios?: boolean }) => {
    let writers: WriterStatus[];
    try {
      writers = await listWriters({ backend: backendFrom(options) });
    } catch (error) {
      if (!options.nagios) throw error;
      print(`VSS UNKNOWN - ${(error as Error).message.split('\n')[0]}`);
      process.exitCode = 3;
      return;
    }
    const failing = writers.filter((w) => w.state !== 'stable' || w.lastError !== null);
    if (options.json) printJson({ healthy: failing.length === 0, writers: writers.length, failing });
    const summary =
      failing.length === 0
        ? `VSS OK - ${writers.length} writers stable`
        : `VSS CRITICAL - ${failing.length} of ${writers.length} writers failing: ${failing
            .map((w) => `${w.name} (${w.state}${w.lastError ? `, ${w.lastError.name}` : ''})`)
            .join('; ')}`;
    if (!options.json) {
      if (!options.nagios && failing.length > 0) print(writerRows(failing));
      print(summary);
    }
    if (failing.length > 0) process.exitCode = options.nagios ? 2 : ExitCode.WriterFailure;
  });

  return program;
}

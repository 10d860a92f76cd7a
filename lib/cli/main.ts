#!/usr/bin/env node
/**
 * The `vss` command: VSS writers, metadata, providers and shadow copies from a
 * shell, on real VSS (Windows) or on the simulator (`--simulate`, any OS).
 *
 * Exit codes: 0 success; 1 a VSS error; 2 bad usage; 3 a writer failed
 * (`vss health` without `--nagios`). With `--nagios`, `vss health` uses the
 * Nagios plugin codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 * @module
 */
import { CommanderError } from 'commander';

import { buildProgram, ExitCode, reportError } from './program.js';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with exit code 0; real usage errors were already printed.
    process.exitCode = error.exitCode === 0 ? 0 : ExitCode.Usage;
  } else {
    process.exitCode = reportError(error);
  }
}

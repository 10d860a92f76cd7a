#!/usr/bin/env node
/**
 * The `vss` command: VSS writers, metadata, providers and shadow copies from a
 * shell, on real VSS (Windows) or on the simulator (`--simulate`, any OS).
 *
 * Exit codes: 0 success; 1 a VSS error; 2 bad usage; 3 a writer failed or is not
 * stable; 130 interrupted by Ctrl-C; 143 terminated by SIGTERM. With `--nagios`,
 * `vss health` uses the Nagios plugin codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 * @module
 */
import { packageVersion } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before the commands load: install checks and scripts run this often, and
  // loading every command module tripled its start-up time.
  process.stdout.on('error', () => undefined);
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { runProcess } = await import('./process.js');
  process.exitCode = await runProcess(args);
}

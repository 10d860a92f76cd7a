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
  // Loading the commands takes a moment, before their own Ctrl-C handling exists: a signal then
  // ended the process without a word (cold8 F21). Nothing has been asked of VSS yet.
  const dashes = args.indexOf('--');
  const json = (dashes < 0 ? args : args.slice(0, dashes)).includes('--json');
  const early = (name: 'SIGINT' | 'SIGTERM') => () => {
    const what = name === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated (SIGTERM)';
    const exitCode = name === 'SIGINT' ? 130 : 143;
    const message = `${what} while starting: nothing was done`;
    process.stderr.write(json ? `${JSON.stringify({ error: { code: 'ERR_INTERRUPTED', message, signal: name, exitCode } })}\n` : `vss: ${message}\n`);
    process.exit(exitCode);
  };
  const onInt = early('SIGINT');
  const onTerm = early('SIGTERM');
  process.on('SIGINT', onInt).on('SIGTERM', onTerm);
  const { runProcess } = await import('./process.js');
  process.off('SIGINT', onInt).off('SIGTERM', onTerm);
  process.exitCode = await runProcess(args);
}

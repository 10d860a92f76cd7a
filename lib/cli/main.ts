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
import { runProcess } from './process.js';

process.exitCode = await runProcess(process.argv.slice(2));

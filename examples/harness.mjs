#!/usr/bin/env node
// A writer harness: drives one backup step by step and checks, after every step,
// that a chosen writer is in the state VSS documents for that phase and has no
// last error. Prints each step with the time it took and the writer's state
// changes; exits 1 naming the step where the writer went wrong, 2 on bad usage.
// Against real VSS on Windows (elevated), or a simulated machine with --simulate
// (optionally with a fault injected into the writer at a phase).
//
//   node examples/harness.mjs --simulate "System Writer"
//   node examples/harness.mjs --simulate "System Writer" --fault freeze
//   node examples/harness.mjs "SqlServerWriter"                     (Windows, elevated)
import { parseArgs } from 'node:util';

import { BackupSession, createSimulator, diffWriterStatus } from 'vss-napi';

const USAGE = `usage: harness.mjs [--simulate] [--fault <phase>] [<writer name or id>]

Drives one backup step by step and checks the writer (default: System Writer)
after each step. Exit 0 when it passed every phase, 1 when it went wrong, 2 on bad usage.

  --simulate        run on a simulated machine instead of real VSS
  --fault <phase>   (with --simulate) make the writer fail at this phase:
                    identify, prepare-backup, prepare-snapshot, freeze, thaw,
                    post-snapshot, backup-complete
  --help            print this and exit`;

// A mistake in the arguments is one line and exit 2, never a stack trace.
function usageError(message) {
  console.error(`harness.mjs: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ options: { simulate: { type: 'boolean' }, fault: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true });
} catch (error) {
  usageError(error.message.replace(/\. To specify .*$/, '').replace(/^Unknown/, 'unknown'));
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const simulate = parsed.values.simulate ?? false;
const faultAt = parsed.values.fault;
if (parsed.positionals.length > 1) usageError(`one writer at a time (got ${parsed.positionals.length})`);
if (faultAt !== undefined && !simulate) usageError('--fault needs --simulate (faults are injected into the simulated machine)');
const writerName = parsed.positionals[0] ?? 'System Writer';

let backend = 'native';
if (simulate) {
  try {
    backend = createSimulator({
      base: 'windows-server-2022',
      timing: { timeScale: 0.05 },
      faults: faultAt ? [{ writer: writerName, phase: faultAt, error: 'VSS_E_WRITERERROR_RETRYABLE', message: `injected at ${faultAt}` }] : [],
    });
  } catch (error) {
    // The simulator checks the scenario: an unknown phase or writer is named in its message.
    usageError(error.message.split('\n')[0]);
  }
}

// The state the writer reports after each requester step: stable until the
// snapshot, waiting for BackupComplete after it, stable again at the end.
const steps = [
  ['gatherWriterMetadata', 'stable'],
  ['prepareForBackup', 'stable'],
  ['doSnapshotSet', 'waiting-for-backup-complete'],
  ['backupComplete', 'stable'],
];

// Node 20 runs this file without `await using`: release in finally instead.
// VSS refusing to start (not Windows, not elevated, service disabled) is one line, exit 1.
function fatal(error) {
  console.error(`harness.mjs: ${error.code ? `${error.code}: ` : ''}${error.message.split('\n')[0]}`);
  process.exit(1);
}
process.on('unhandledRejection', fatal);

const session = await BackupSession.create({ backend }).catch(fatal);
let failedAt = null;
try {
  await session.initializeForBackup();
  await session.setContext('backup');
  await session.setBackupState({ selectComponents: false, backupType: 'full' });
  let before = [];
  for (const [step, expected] of steps) {
    if (step === 'prepareForBackup') {
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
    }
    try {
      await session[step]();
    } catch (error) {
      console.log(`${step}: ${error.code} ${error.message.split('\n')[0]}`);
    }
    await session.gatherWriterStatus();
    const now = await session.getWriterStatus();
    const writer = now.find((w) => w.name.toLowerCase() === writerName.toLowerCase() || w.writerId === writerName.toLowerCase());
    if (!writer) {
      console.error(`no writer named ${writerName}; this machine has: ${now.map((w) => w.name).join(', ')}`);
      process.exitCode = 2;
      break;
    }
    const timing = session.timings.findLast((t) => t.operation.toLowerCase() === step.toLowerCase());
    for (const change of diffWriterStatus(before, now).filter((c) => c.instanceId === writer.instanceId && c.kind === 'changed'))
      console.log(`  ${change.name}: ${change.before.state} -> ${change.after.state}`);
    const ok = writer.state === expected && writer.lastError === null;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${step} (${timing ? `${timing.durationMs.toFixed(0)} ms` : 'n/a'}): ${writer.name} is ${writer.state}` +
        `${ok ? '' : ` (expected ${expected})`}${writer.lastError ? `, last error ${writer.lastError.name}` : ''}` +
        `${writer.failureMessage ? `, "${writer.failureMessage}"` : ''}`,
    );
    if (!ok) {
      failedAt = step;
      await session.abortBackup().catch(() => {});
      break;
    }
    before = now;
  }
} finally {
  await session.release();
}
if (process.exitCode !== 2) {
  console.log(failedAt ? `${writerName}: FAILED at ${failedAt}` : `${writerName}: passed every phase`);
  process.exitCode = failedAt ? 1 : 0;
}

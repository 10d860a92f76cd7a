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
import { BackupSession, createSimulator, diffWriterStatus } from 'vss-napi';

const args = process.argv.slice(2);
const simulate = args.includes('--simulate');
const faultAt = args.includes('--fault') ? args[args.indexOf('--fault') + 1] : undefined;
const writerName = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--fault') ?? 'System Writer';

const backend = simulate
  ? createSimulator({
      base: 'windows-server-2022',
      timing: { timeScale: 0.05 },
      faults: faultAt ? [{ writer: writerName, phase: faultAt, error: 'VSS_E_WRITERERROR_RETRYABLE', message: `injected at ${faultAt}` }] : [],
    })
  : 'native';

// The state the writer reports after each requester step: stable until the
// snapshot, waiting for BackupComplete after it, stable again at the end.
const steps = [
  ['gatherWriterMetadata', 'stable'],
  ['prepareForBackup', 'stable'],
  ['doSnapshotSet', 'waiting-for-backup-complete'],
  ['backupComplete', 'stable'],
];

// Node 20 runs this file without `await using`: release in finally instead.
const session = await BackupSession.create({ backend });
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

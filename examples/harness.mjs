#!/usr/bin/env node
// A writer harness: drives one backup step by step and checks, after every step,
// that a chosen writer is in the state VSS documents for that phase. Exits 1 and
// names the step where the writer went wrong. Against real VSS on Windows, or a
// simulated machine with --simulate (optionally with a fault injected into the writer).
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
      faults: faultAt ? [{ writer: writerName, phase: faultAt, error: 'VSS_E_WRITERERROR_RETRYABLE' }] : [],
    })
  : 'native';

// The state the writer must be in after each step (Microsoft, "Overview of Processing a Backup Under VSS").
const expected = [
  ['gatherWriterMetadata', 'stable'],
  ['prepareForBackup', 'waiting-for-freeze'],
  ['doSnapshotSet', 'waiting-for-backup-complete'],
  ['backupComplete', 'stable'],
];

await using session = await BackupSession.create({ backend });
await session.initializeForBackup();
await session.setBackupState({ selectComponents: false, backupType: 'full' });
let before = [];
let failed = false;
for (const [step, state] of expected) {
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
  const writer = now.find((w) => w.name === writerName);
  if (!writer) {
    console.log(`no writer named ${writerName}`);
    process.exit(2);
  }
  for (const change of diffWriterStatus(before, now).filter((c) => c.name === writerName && c.kind === 'changed'))
    console.log(`  ${change.name}: ${change.before.state} -> ${change.after.state}`);
  const ok = writer.state === state;
  console.log(`${ok ? 'ok  ' : 'FAIL'} after ${step}: ${writer.name} is ${writer.state}${ok ? '' : ` (expected ${state})`}${writer.lastError ? `, last error ${writer.lastError.name}` : ''}`);
  if (!ok) {
    failed = true;
    await session.abortBackup().catch(() => {});
    break;
  }
  before = now;
}
console.log(failed ? `${writerName}: FAILED` : `${writerName}: passed every phase`);
process.exitCode = failed ? 1 : 0;

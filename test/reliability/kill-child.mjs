// A requester process for the "killed at every step" rows of the fault matrix:
// runs a whole backup on a simulated machine built from argv[2] (scenario JSON),
// printing "STEP <name>" before each step, so the parent can SIGKILL it there.
// Uses the compiled package (dist/), as an application would.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(join(root, 'dist', 'index.js'));

const say = (step) => process.stdout.write(`STEP ${step}\n`);
const sim = vss.createSimulator(JSON.parse(process.argv[2]));
say('create');
const session = await vss.BackupSession.create({ backend: sim });
say('InitializeForBackup');
await session.initializeForBackup();
await session.setContext('backup');
await session.setBackupState({ selectComponents: false });
say('GatherWriterMetadata');
await session.gatherWriterMetadata();
say('StartSnapshotSet');
await session.startSnapshotSet();
say('AddToSnapshotSet');
await session.addToSnapshotSet('C:\\');
say('PrepareForBackup');
await session.prepareForBackup();
say('DoSnapshotSet');
await session.doSnapshotSet();
say('after-DoSnapshotSet');
await new Promise((resolve) => setTimeout(resolve, 200));
say('BackupComplete');
await session.backupComplete();
say('release');
await session.release();
await new Promise((resolve) => setTimeout(resolve, 200));
say('done');

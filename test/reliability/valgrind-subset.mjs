// The focused subset scripts/test-valgrind.mjs runs under valgrind memcheck (the
// whole suite under valgrind would take far too long): every engine path the
// reliability tests reach, once each, on the compiled package.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(join(root, 'dist', 'index.js'));
const step = (name) => console.log(`valgrind-subset: ${name}`);
const volume = mkdtempSync(join(tmpdir(), 'vss-valgrind-'));
writeFileSync(join(volume, 'file.txt'), 'content');

const sim = vss.createSimulator({ timing: { timeScale: 0 }, volumes: [{ name: 'C:\\', path: volume }] });
step('listWriters, getWriterMetadata, listProviders, listShadowStorage');
await vss.listWriters({ backend: sim });
await vss.getWriterMetadata({ backend: sim });
await vss.listProviders({ backend: sim });
await vss.listShadowStorage({ backend: sim });

step('a persistent backup of a content-backed volume, read, BCD, expose, delete');
const set = await vss.createSnapshotSet(['C:\\'], { backend: sim, persistent: true, onProgress: () => undefined });
readFileSync(set.pathFor('C:\\file.txt'));
const bcd = await set.saveAsXml();
await set.complete({ succeeded: true });
await vss.exposeShadowCopy(set.snapshots[0].snapshotId, { driveLetter: 'X:' }, { backend: sim });
await vss.listShadowCopies({ backend: sim });
await vss.deleteShadowCopies({ setId: set.setId }, { backend: sim });

step('restore from the BCD');
const restore = await vss.BackupSession.create({ backend: sim });
await restore.initializeForRestore(bcd);
await restore.gatherWriterMetadata();
await restore.getWriterComponents();
await restore.release();

step('writer faults at every phase, provider fault, unsupported volume');
for (const phase of ['identify', 'prepare-backup', 'prepare-snapshot', 'freeze', 'thaw', 'post-snapshot', 'backup-complete']) {
  sim.configure({ faults: [{ writer: 'System Writer', phase, error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] });
  await vss.createSnapshotSet(['C:\\'], { backend: sim }).then((s) => s.complete({ succeeded: true })).catch(() => undefined);
}
sim.configure({ faults: [{ provider: 'b5946137-7b9f-4925-af80-51abd60b20d5', times: 1 }] });
await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch(() => undefined);
sim.configure({ faults: [{ volume: 'C:\\' }] });
await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch(() => undefined);
sim.configure({ faults: [], volumes: [{ name: 'C:\\', unsupported: false }] });

step('cancel in DoSnapshotSet, a call while busy, a call after release');
const slow = vss.createSimulator({ timing: { timeScale: 1, freezeMs: 300 } });
const controller = new AbortController();
setTimeout(() => controller.abort(), 700);
await vss.createSnapshotSet(['C:\\'], { backend: slow, signal: controller.signal }).catch(() => undefined);
const busy = await vss.BackupSession.create({ backend: sim });
await busy.initializeForBackup();
const running = busy.gatherWriterMetadata();
await busy.gatherWriterMetadata().catch(() => undefined);
await running;
await busy.release();
await busy.gatherWriterStatus().catch(() => undefined);

step('bad XML and bad scenarios');
const bad = await vss.BackupSession.create({ backend: sim });
await bad.initializeForRestore('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>').catch(() => undefined);
await bad.initializeForRestore('<a>'.repeat(5000)).catch(() => undefined);
await bad.release();
for (const scenario of [{ providers: [] }, { writers: [{ name: 'Nope' }] }, { faults: [{ writer: 'System Writer', phase: 'x', error: '0x123456789abcdef01' }] }])
  try {
    vss.createSimulator(scenario);
  } catch {}

step('50 requesters at once, and 20 sessions left to the garbage collector');
const busyMachine = vss.createSimulator({ timing: { timeScale: 0.01 } });
await Promise.all(Array.from({ length: 50 }, () => vss.createSnapshotSet(['C:\\'], { backend: busyMachine }).then((s) => s.complete({ succeeded: true })).catch(() => undefined)));
for (let i = 0; i < 20; i++) {
  const s = await vss.BackupSession.create({ backend: sim });
  await s.initializeForBackup();
}
for (let i = 0; i < 10; i++) {
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
rmSync(volume, { recursive: true, force: true });
step(`done; live sessions ${sim.describe().sessions}`);

// A worker thread for concurrency.test.ts: its own simulated machine (a machine
// belongs to one JS realm) and N requesters at once on it; posts back how they ended.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(join(root, 'dist', 'index.js'));

const { requesters, slow = false } = workerData;
const sim = vss.createSimulator({ timing: { timeScale: slow ? 0.2 : 0.01 } });
const outcomes = await Promise.all(
  Array.from({ length: requesters }, async () => {
    try {
      const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
      await set.complete({ succeeded: true });
      return 'ok';
    } catch (error) {
      return error.code ?? String(error);
    }
  }),
);
// Another backup in progress: VSS refuses its snapshot set, or the selection finds its writers still waiting (WritersBusyError).
const IN_PROGRESS = new Set(['VSS_E_SNAPSHOT_SET_IN_PROGRESS', 'ERR_VSS_BACKUP_IN_PROGRESS']);
parentPort.postMessage({
  ok: outcomes.filter((o) => o === 'ok').length,
  inProgress: outcomes.filter((o) => IN_PROGRESS.has(o)).length,
  other: outcomes.filter((o) => o !== 'ok' && !IN_PROGRESS.has(o)),
  sessions: sim.describe().sessions,
});

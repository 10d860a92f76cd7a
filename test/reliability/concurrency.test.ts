// Concurrency and lifetime (issue 6): 50 requesters at once on one simulated
// machine keep VSS's rule of one snapshot set at a time; the same from worker
// threads; a session the program forgot is released by the garbage collector.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import * as vss from '../../lib/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attempt {
  ok: boolean;
  code?: string;
  /** When StartSnapshotSet had returned: at or after the engine began this set. */
  startedAt?: number;
  /** When DoSnapshotSet was called: the engine ends this set no earlier than this plus the modelled DoSnapshotSet time. */
  doCalledAt?: number;
}

// DoSnapshotSet at timeScale 0.01 models prepareSnapshot 3 + freeze 4 + commit 8 + thaw 1.5 + postSnapshot 1.5 = 18 ms
// (native/sim/model.h Timing); 15 ms of it is a bound no scheduling can undercut.
const DO_SNAPSHOT_SET_AT_LEAST_MS = 15;

/** One requester: a whole backup through BackupSession, with bounds on the span it holds the snapshot set. */
async function requester(sim: vss.Simulator): Promise<Attempt> {
  const session = await vss.BackupSession.create({ backend: sim });
  try {
    await session.initializeForBackup();
    await session.setContext('backup');
    await session.setBackupState({ selectComponents: false });
    await session.gatherWriterMetadata();
    await session.startSnapshotSet();
    const startedAt = performance.now();
    await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    const doCalledAt = performance.now();
    await session.doSnapshotSet();
    await session.backupComplete();
    return { ok: true, startedAt, doCalledAt };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code };
  } finally {
    await session.release();
  }
}

describe('50 requesters at once on one machine', () => {
  it('without retry: each succeeds or fails with VSS_E_SNAPSHOT_SET_IN_PROGRESS, and the sets never overlap', async () => {
    const sim = vss.createSimulator({ timing: { timeScale: 0.01 } });
    const attempts = await Promise.all(Array.from({ length: 50 }, () => requester(sim)));
    const ok = attempts.filter((a) => a.ok);
    const failed = attempts.filter((a) => !a.ok);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const f of failed) expect(f.code).toBe('VSS_E_SNAPSHOT_SET_IN_PROGRESS');
    // One snapshot set at a time. Times taken in JavaScript are only bounds on the engine's (a promise settles
    // after the session thread is done, and two sessions' settlements can arrive in either order), so compare
    // the bounds that hold whatever the scheduling: the next set began no earlier than the previous one's
    // DoSnapshotSet call plus its modelled time, and it had begun when its StartSnapshotSet returned.
    const spans = ok.map((a) => [a.startedAt!, a.doCalledAt! + DO_SNAPSHOT_SET_AT_LEAST_MS] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    const state = sim.describe();
    expect(state.sessions).toBe(0);
    expect(state.snapshotSetInProgress).toBe(false);
    expect(state.shadows).toHaveLength(0);
    expect(state.writers.every((w) => w.state === 'stable')).toBe(true);
  });

  it('with retry: all 50 createSnapshotSet calls succeed, one set at a time', async () => {
    const sim = vss.createSimulator({ timing: { timeScale: 0.002 } });
    let inProgress = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const set = await vss.createSnapshotSet(['C:\\'], { backend: sim, retry: { attempts: 100, delayMs: 5, maxDelayMs: 50 } });
        inProgress++;
        most = Math.max(most, inProgress);
        // Reading a live set while the others retry.
        const shadow = set.snapshotFor('C:\\');
        await sleep(1);
        inProgress--;
        await set.complete({ succeeded: true });
        return shadow.snapshotId;
      }),
    );
    expect(new Set(results).size).toBe(50);
    const state = sim.describe();
    expect(state.sessions).toBe(0);
    expect(state.snapshotSetInProgress).toBe(false);
    expect(state.shadows).toHaveLength(0);
  }, 60_000);
});

describe('worker threads', () => {
  it('8 workers, each with its own machine and 10 requesters at once, keep the same rules; none crashes', async () => {
    const script = join(__dirname, 'worker-requesters.mjs');
    const outcomes = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<{ ok: number; inProgress: number; other: string[]; sessions: number }>((resolve, reject) => {
            const worker = new Worker(script, { workerData: { requesters: 10 } });
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
          }),
      ),
    );
    for (const o of outcomes) {
      expect(o.other).toEqual([]);
      expect(o.ok).toBeGreaterThanOrEqual(1);
      expect(o.ok + o.inProgress).toBe(10);
      expect(o.sessions).toBe(0);
    }
  }, 60_000);

  it('a worker terminated in the middle of DoSnapshotSet takes nothing down with it', async () => {
    const script = join(__dirname, 'worker-requesters.mjs');
    // Many termination points: a completion queued while the worker's environment is
    // going away once ended the process under asan (std::terminate from a Napi::Error
    // thrown by a promise that could no longer be resolved; node-addon-api PR #975).
    for (let i = 0; i < 12; i++) {
      const worker = new Worker(script, { workerData: { requesters: 3, slow: true } });
      await new Promise<void>((resolve) => worker.once('online', () => resolve()));
      await sleep((i * 37) % 190);
      await worker.terminate();
    }
    // This thread still works.
    const sim = vss.createSimulator({ timing: { timeScale: 0 } });
    const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
    await set.complete({ succeeded: true });
    expect(sim.describe().sessions).toBe(0);
  }, 60_000);
});

describe('garbage collection', () => {
  it('a session never released, in the middle of a backup, is released when collected', async () => {
    const sim = vss.createSimulator({ timing: { timeScale: 0 } });
    let finalized = 0;
    const registry = new FinalizationRegistry(() => finalized++);
    const count = 20;
    await (async () => {
      for (let i = 0; i < count; i++) {
        const session = await vss.BackupSession.create({ backend: sim });
        await session.initializeForBackup();
        await session.setContext('backup');
        await session.gatherWriterMetadata();
        // Half of them hold a non-persistent shadow copy (the set ended, so the next may start one).
        if (i % 2 === 0) {
          await session.startSnapshotSet();
          await session.addToSnapshotSet('C:\\');
          await session.prepareForBackup();
          await session.doSnapshotSet();
        }
        registry.register(session, i);
      }
    })();
    expect(sim.describe().sessions).toBe(count);
    expect(sim.describe().shadows).toHaveLength(count / 2);
    for (let i = 0; i < 100 && (finalized < count || Number(sim.describe().sessions) > 0); i++) {
      gc();
      await sleep(20);
    }
    expect(finalized).toBe(count);
    const state = sim.describe();
    expect(state.sessions).toBe(0);
    expect(state.shadows).toHaveLength(0); // non-persistent: auto-released with the session
    expect(state.snapshotSetInProgress).toBe(false);
    expect(state.writers.filter((w) => String(w.state).startsWith('waiting-'))).toEqual([]);
    const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
    await set.complete({ succeeded: true });
  }, 30_000);
});

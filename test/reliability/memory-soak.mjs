// Memory figures for RELIABILITY.md (printed, never asserted as targets): resident
// memory over 10,000 sessions opened and released, without and with faults, and
// over sessions never released but garbage-collected. Run with --expose-gc on the
// compiled package: node --expose-gc test/reliability/memory-soak.mjs [sessions]
// Exits non-zero only when a session outlives its release (the machine's live-session
// count), which is a leak of a different kind than growth.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(join(root, 'dist', 'index.js'));

if (typeof global.gc !== 'function') {
  console.error('memory-soak: run with node --expose-gc');
  process.exit(2);
}
const sessions = Number(process.argv[2] ?? process.env.SOAK_SESSIONS ?? 10_000);
const mib = (bytes) => (bytes / 1048576).toFixed(1);
let problems = 0;

async function settle() {
  for (let i = 0; i < 5; i++) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measure(label, sim, body) {
  // Warm-up: first-use allocations (the addon, V8 code, the machine's caches) are not growth.
  for (let i = 0; i < 500; i++) await body(i);
  await settle();
  const before = process.memoryUsage().rss;
  const quarter = [];
  const started = performance.now();
  for (let i = 0; i < sessions; i++) {
    await body(i);
    if ((i + 1) % (sessions / 4) === 0) {
      await settle();
      quarter.push(process.memoryUsage().rss);
    }
  }
  await settle();
  const after = process.memoryUsage().rss;
  const live = sim.describe().sessions;
  if (live !== 0) problems++;
  console.log(
    `${label.padEnd(58)} RSS ${mib(before)} -> ${mib(after)} MiB (growth ${mib(after - before)} MiB; at each quarter ${quarter
      .map(mib)
      .join(', ')}) live sessions after: ${live}; ${((performance.now() - started) / sessions).toFixed(3)} ms/session`,
  );
}

const sim = vss.createSimulator({ timing: { timeScale: 0 } });
await measure(`${sessions} sessions: create, InitializeForBackup, release`, sim, async () => {
  const session = await vss.BackupSession.create({ backend: sim });
  await session.initializeForBackup();
  await session.release();
});

const faulty = vss.createSimulator({
  timing: { timeScale: 0 },
  faults: [
    { writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1_000_000 },
  ],
});
await measure(`${sessions} sessions with a writer failing at freeze (whole backup)`, faulty, async () => {
  const session = await vss.BackupSession.create({ backend: faulty });
  try {
    await session.initializeForBackup();
    await session.setContext('backup');
    await session.gatherWriterMetadata();
    await session.startSnapshotSet();
    await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    await session.doSnapshotSet();
    await session.gatherWriterStatus();
    await session.getWriterStatus();
    await session.abortBackup();
  } finally {
    await session.release();
  }
});

const errors = vss.createSimulator({ timing: { timeScale: 0 } });
await measure(`${sessions} sessions whose calls fail (bad state, bad XML)`, errors, async () => {
  const session = await vss.BackupSession.create({ backend: errors });
  await session.startSnapshotSet().catch(() => undefined);
  await session.initializeForRestore('<not-a-bcd').catch(() => undefined);
  await session.release();
});

const forgotten = vss.createSimulator({ timing: { timeScale: 0 } });
await measure(`${sessions} sessions never released (garbage-collected)`, forgotten, async () => {
  const session = await vss.BackupSession.create({ backend: forgotten });
  await session.initializeForBackup();
});

if (problems) console.log(`memory-soak: ${problems} runs left sessions alive`);
process.exit(problems ? 1 : 0);

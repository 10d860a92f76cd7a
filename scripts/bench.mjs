// Prints speed and memory figures (never asserts them): `npm run bench`.
// Runs against the compiled package (npm run build:ts first) and the simulated backend.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vss = await import(join(root, 'dist/index.js'));

function mib(bytes) {
  return (bytes / 1048576).toFixed(1);
}

async function time(label, runs, fn) {
  await fn(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label.padEnd(52)} ${(ms / runs).toFixed(3).padStart(10)} ms/op  (${runs} runs)`);
}

const sim = vss.createSimulator({ base: 'windows-server-2022', timing: { timeScale: 0 } });
await time('listWriters (simulated, no simulated delays)', 200, () => vss.listWriters({ backend: sim }));
await time('getWriterMetadata (simulated)', 100, () => vss.getWriterMetadata({ backend: sim }));
await time('createSnapshotSet + complete, C:\\ (simulated)', 100, async () => {
  const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
  await set.complete({ succeeded: true });
});

const systemWriter = join(root, '..', 'shared', 'reference', 'writer-metadata', 'ws2012-diskshadow', 'WM3.xml');
if (existsSync(systemWriter)) {
  const xml = readFileSync(systemWriter, 'utf8');
  const files = vss.parseWriterMetadata(xml).components.reduce((n, c) => n + c.files.length, 0);
  await time(`parseWriterMetadata, System Writer (${mib(xml.length)} MiB, ${files} files)`, 10, () => vss.parseWriterMetadata(xml));
} else {
  console.log('parseWriterMetadata: reference corpus absent (../shared/reference), not measured');
}

// Hostile XML is refused before any tree is built: a 16 MiB document of 60-attribute elements.
const hostile = `<WRITER_METADATA>${`<a ${Array.from({ length: 60 }, (_, i) => `x${i}="1"`).join(' ')}/>`.repeat(30000)}</WRITER_METADATA>`;
await time(`parseWriterMetadata refusing ${mib(hostile.length)} MiB of attributes`, 5, () => {
  try {
    vss.parseWriterMetadata(hostile);
  } catch (e) {
    if (e.code !== 'ERR_VSS_XML_LIMIT') throw e;
  }
});

// Memory: many sessions opened and released must leave resident memory flat.
const sessions = Number(process.env.BENCH_SESSIONS ?? 10000);
global.gc?.();
const rssBefore = process.memoryUsage().rss;
for (let i = 0; i < sessions; i++) {
  const session = await vss.BackupSession.create({ backend: sim });
  await session.initializeForBackup();
  await session.release();
}
global.gc?.();
const rssAfter = process.memoryUsage().rss;
console.log(`${`${sessions} sessions opened and released: RSS`.padEnd(52)} ${mib(rssBefore)} -> ${mib(rssAfter)} MiB (growth ${mib(rssAfter - rssBefore)} MiB)`);

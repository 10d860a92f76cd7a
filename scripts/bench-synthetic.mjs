// The per-file table of `npm run bench`: parseWriterMetadata of synthetic writer metadata
// documents from 1k to 100k files, each beside JSON.parse building the same result from its
// JSON text. scripts/bench.mjs runs it in its own process, and once more in a child with a
// young generation large enough to hold the largest result
// (`node --max-semi-space-size=128 scripts/bench-synthetic.mjs`, which prints one JSON line):
// the difference between the two shows what of the growth per file is V8's scavenger
// copying and promoting a result that outgrows the young generation (BENCHMARKS.md).
import { pathToFileURL, fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const SIZES = [1_000, 10_000, 30_000, 100_000];

/** A writer metadata document with `files` file entries in 10 components, like the System Writer's. */
export function syntheticDocument(files) {
  const parts = ['<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">'];
  parts.push(
    '<IDENTIFICATION writerId="e8132975-6f93-4464-a53e-1050253ae220" instanceId="ce678d65-95d0-4bea-a43d-2a288bc94500" friendlyName="Synthetic Writer" usage="BOOTABLE_SYSTEM_STATE" dataSource="OTHER" majorVersion="1" minorVersion="0"/>',
  );
  parts.push('<RESTORE_METHOD method="REPLACE_AT_REBOOT_IF_CANNOT_REPLACE" writerRestore="never" rebootRequired="yes"/><BACKUP_LOCATIONS>');
  const perComponent = Math.ceil(files / 10);
  for (let c = 0, n = 0; c < 10 && n < files; c++) {
    parts.push(`<FILE_GROUP componentName="Component ${c}" caption="Component ${c}" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="no" componentFlags="0">`);
    for (let i = 0; i < perComponent && n < files; i++, n++)
      parts.push(`<FILE_LIST path="C:\\Windows\\System32\\DriverStore\\FileRepository\\pkg${n}.inf_amd64_${(n * 2654435761 >>> 0).toString(16)}" filespec="*.${n % 7 === 0 ? 'sys' : '*'}" recursive="yes" filespecBackupType="3855"/>`);
    parts.push('</FILE_GROUP>');
  }
  parts.push('</BACKUP_LOCATIONS></WRITER_METADATA>');
  return parts.join('');
}

/** Milliseconds of CPU this process spent in fn (all its threads), as scripts/bench.mjs. */
function cpu(fn) {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Microseconds per file of JSON.parse and of parseWriterMetadata for each size: the least of
 * interleaved samples. A sample of a small document repeats it until it holds as many files
 * as about 30k (the 1k document alone takes about a millisecond, where one disturbance of
 * the machine or the clock's granularity moved the figure by half).
 */
export function perFileTable(vss) {
  const rows = [];
  for (const size of SIZES) {
    const doc = syntheticDocument(size);
    const json = JSON.stringify(vss.parseWriterMetadata(doc));
    const repeat = Math.max(1, Math.round(30_000 / size));
    const runs = size >= 100_000 ? 7 : 12;
    const batch = (fn) => () => {
      for (let i = 0; i < repeat; i++) fn();
    };
    const a = batch(() => JSON.parse(json));
    const b = batch(() => vss.parseWriterMetadata(doc));
    for (let i = 0; i < 2; i++) (a(), b());
    let yardstick = Infinity;
    let ours = Infinity;
    for (let i = 0; i < runs; i++) {
      yardstick = Math.min(yardstick, cpu(a));
      ours = Math.min(ours, cpu(b));
    }
    const perFile = (total) => (total * 1000) / (repeat * size);
    rows.push({ size, bytes: doc.length, yardstick: perFile(yardstick), ours: perFile(ours) });
  }
  return rows;
}

/** How far apart the largest and the smallest of `values` are (0.2: 20 %). */
export const spread = (values) => Math.max(...values) / Math.min(...values) - 1;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const vss = await import(pathToFileURL(join(root, 'dist/index.js')).href);
  console.log(JSON.stringify(perFileTable(vss)));
}

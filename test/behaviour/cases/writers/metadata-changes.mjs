// A writer's metadata changes only when the writer's description changes, and then the next
// GatherWriterMetadata brings the new one: the engine hands out the document it published
// before while the description is the same (native/sim/model.h, PublishedMetadata), and the
// emulated vssapi.dll keeps the UTF-16 text of each published document (emu_metadata.cpp).
// These cases pin that neither is ever served stale, field by field: on Linux through the
// simulated backend, under Wine through the COM backend (SaveAsXML read by the one reader).
import assert from 'node:assert/strict';

import { both, scenario } from '../../helpers.mjs';

const writerId = '5d1c0e4b-7a2f-4e6d-9b3c-8f1e2d3c4b5a';
const name = 'Archive Writer';
const files = (n, extra = {}) => Array.from({ length: n }, (_, i) => ({ path: `E:\\Archive\\Part${i}`, filespec: `*.arc`, recursive: i % 2 === 0, ...extra }));
const component = (extra = {}) => ({
  name: 'Store',
  logicalPath: 'Archive',
  caption: 'Archive store',
  type: 'database',
  databaseFiles: files(40),
  logFiles: [{ path: 'E:\\Archive\\Logs', filespec: '*.log' }],
  dependencies: [],
  ...extra,
});
const archiveWriter = {
  name,
  writerId,
  instanceName: 'ARCHIVE:Main',
  version: '1.0',
  backupSchema: 0x1,
  restoreMethod: { method: 'restore-if-not-there', writerRestore: 'never', rebootRequired: false },
  includeFiles: [{ path: 'E:\\Archive\\Config', filespec: 'archive.ini' }],
  excludeFiles: [{ path: 'E:\\Archive', filespec: '*.tmp', recursive: true }],
  excludeFromSnapshot: [{ path: 'E:\\Archive\\Cache', filespec: '*', recursive: true }],
  components: [component(), { name: 'Index', caption: 'Archive index', files: files(25) }],
  volumes: ['E:\\'],
};
const machine = () => scenario({ volumes: [{ name: 'E:\\', label: 'Archive' }], writers: [archiveWriter] });

async function metadataOf(h, m) {
  const [w] = await h.vss.getWriterMetadata({ backend: m.backend, writers: [name] });
  assert.ok(w, `no metadata for ${name}`);
  return w;
}

// One change per field the published document carries, deep in long lists where a change is
// easiest to miss; each with what the next gathering must show (in the result and its document).
const changes = [
  ['a database file\'s path (the 31st of 40)', { components: [component({ databaseFiles: files(40).map((f, i) => (i === 30 ? { ...f, path: 'E:\\Moved\\Part30' } : f)) }), archiveWriter.components[1]] }, (w) => w.components[0].databaseFiles[30].path === 'E:\\Moved\\Part30', 'E:\\Moved\\Part30'],
  ['a file\'s filespec', { components: [component(), { ...archiveWriter.components[1], files: files(25).map((f, i) => (i === 24 ? { ...f, filespec: '*.idx2' } : f)) }] }, (w) => w.components[1].files[24].filespec === '*.idx2', '*.idx2'],
  ['a file\'s recursive flag', { components: [component({ databaseFiles: files(40).map((f, i) => (i === 7 ? { ...f, recursive: true } : f)) }), archiveWriter.components[1]] }, (w) => w.components[0].databaseFiles[7].recursive === true, null],
  ['a file\'s alternate path', { components: [component({ logFiles: [{ path: 'E:\\Archive\\Logs', filespec: '*.log', alternatePath: 'F:\\LogsElsewhere' }] }), archiveWriter.components[1]] }, (w) => w.components[0].logFiles[0].alternatePath === 'F:\\LogsElsewhere', 'F:\\LogsElsewhere'],
  ['a file\'s backup type mask', { components: [component({ databaseFiles: files(40).map((f, i) => (i === 39 ? { ...f, backupTypeMask: 0x1 } : f)) }), archiveWriter.components[1]] }, (w) => w.components[0].databaseFiles[39].backupTypeMask === 0x1, null],
  ['a component\'s caption', { components: [component({ caption: 'Archive store (renamed)' }), archiveWriter.components[1]] }, (w) => w.components[0].caption === 'Archive store (renamed)', 'Archive store (renamed)'],
  ['a component\'s dependency', { components: [component({ dependencies: [{ writerId: 'a65faa63-5ea8-4ebc-9dbd-a0c4db26912a', componentName: 'Master' }] }), archiveWriter.components[1]] }, (w) => w.components[0].dependencies[0]?.componentName === 'Master', 'Master'],
  ['an include file', { includeFiles: [{ path: 'E:\\Archive\\Config2', filespec: 'archive.ini' }] }, (w) => w.includeFiles[0].path === 'E:\\Archive\\Config2', 'E:\\Archive\\Config2'],
  ['an exclude file', { excludeFiles: [{ path: 'E:\\Archive', filespec: '*.bak', recursive: true }] }, (w) => w.excludeFiles[0].filespec === '*.bak', '*.bak'],
  ['an exclude-from-snapshot file', { excludeFromSnapshot: [{ path: 'E:\\Archive\\Scratch', filespec: '*', recursive: true }] }, (w) => w.excludeFromSnapshot[0].path === 'E:\\Archive\\Scratch', 'E:\\Archive\\Scratch'],
  ['the restore method\'s service', { restoreMethod: { method: 'stop-restore-start', service: 'ArchiveSvc', writerRestore: 'never', rebootRequired: false } }, (w) => w.restoreMethod?.service === 'ArchiveSvc', 'ArchiveSvc'],
  ['the version', { version: '2.5' }, (w) => w.version.major === 2 && w.version.minor === 5, null],
  ['the backup schema', { backupSchema: 0x3 }, (w) => w.backupSchema === 0x3, null],
  ['the instance name', { instanceName: 'ARCHIVE:Second' }, (w) => w.instanceName === 'ARCHIVE:Second', 'ARCHIVE:Second'],
];

export default [
  {
    name: "a writer whose description changed gives its new metadata and document at the next gathering, for each field of it (the engine's published document and the emulated DLL's UTF-16 text of it are never served stale)",
    where: both,
    async run(h) {
      const m = await h.machine(machine());
      const first = await metadataOf(h, m);
      const again = await metadataOf(h, m);
      // Unchanged: the same result and document, call after call.
      assert.deepEqual(again, first);
      const { volumes, ...description } = archiveWriter;
      for (const [what, patch, seen, text] of changes) {
        // Each change alone, from the writer as first described: nothing else differs.
        await m.configure({ writers: [description] });
        assert.deepEqual(await metadataOf(h, m), first, `${what}: the writer described again as at first gives other metadata`);
        await m.configure({ writers: [{ name, ...patch }] });
        const next = await metadataOf(h, m);
        assert.ok(seen(next), `${what}: not in the next gathering's metadata`);
        assert.notEqual(next.xml, first.xml, `${what}: the document handed out is the one before the change`);
        if (text) assert.ok(next.xml.includes(text), `${what}: ${text} is not in the document`);
        // And it stays the new one while nothing changes.
        assert.deepEqual(await metadataOf(h, m), next, `${what}: the second gathering after the change differs from the first`);
      }
    },
  },
  {
    // FaultKind::Metadata (native/sim/model.h): the writer changes its first component's
    // caption at each Identify, a change the engine makes itself, outside any scenario.
    name: 'a writer that changes its metadata at every Identify gives a different document at every gathering',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ ...machine(), faults: [{ writer: name, phase: 'identify', kind: 'metadata' }] }));
      const seen = [];
      for (let i = 0; i < 3; i++) {
        const w = await metadataOf(h, m);
        seen.push(w.components[0].caption);
        assert.ok(w.xml.includes(w.components[0].caption), `gathering ${i + 1}: the document does not carry its caption`);
        if (i > 0) assert.notEqual(w.components[0].caption, seen[i - 1], `gathering ${i + 1} gave the caption of the one before`);
      }
      assert.equal(new Set(seen).size, 3);
    },
  },
];

// What a writer sets on its components while it handles an event, besides stamps, backup metadata and
// failure messages (restore/choices.mjs): AddDifferencedFilesByLastModifyTime and IVssComponentEx2::
// SetFailure in a backup, SetRestoreTarget, AddDirectedTarget and SetRestoreMetadata in OnPreRestore
// (issue 10). The scenario plays the writer (a component's "differencedFiles", "failure",
// "restoreTarget", "directedTargets", "preRestoreMetadata"); the requester reads them with
// getWriterComponents() (IVssComponent / IVssComponentEx2 getters: under Wine, the COM backend over
// the emulated vssapi.dll) and finds them in the Backup Components Document. A subscribed CVssWriter
// calling the same setters is checked by writer-probe.exe under Wine.
import assert from 'node:assert/strict';

import { both, linux, scenario, scenarioRefused } from '../../helpers.mjs';

// 2023-11-14T22:13:20Z as a FILETIME (100 ns since 1601).
const lastModifyTime = 133444400000000000n;

const ledger = {
  name: 'Ledger Writer',
  writerId: '2e7c4b1a-9d3f-4c6e-8a5b-1f0e9d8c7b6a',
  instanceId: '8c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f',
  // VSS_BS_DIFFERENTIAL | VSS_BS_INCREMENTAL | VSS_BS_LAST_MODIFY: its differencedFiles need the last (AddDifferencedFilesByLastModifyTime).
  backupSchema: 0x43,
  volumes: ['D:\\'],
  components: [
    {
      name: 'Journal',
      logicalPath: 'Ledger',
      files: [{ path: 'D:\\Ledger\\Journal', filespec: '*', recursive: true }],
      differencedFiles: [
        { path: 'D:\\Ledger\\Journal', filespec: '*.jnl', recursive: true, lastModifyTime: String(lastModifyTime) },
        { path: 'D:\\Ledger\\Journal\\New', filespec: '*.jnl' },
      ],
      failure: { error: 'VSS_E_WRITERERROR_RETRYABLE', applicationError: 0x80070020, message: 'journal 7 was locked' },
      restoreTarget: 'directed',
      directedTargets: [
        {
          sourcePath: 'D:\\Ledger\\Journal',
          sourceFilespec: 'book.jnl',
          sourceRanges: '0:4096,0x10000:512',
          targetPath: 'E:\\Ledger',
          targetFilespec: 'book.jnl',
          targetRanges: '8192:4096,0:0x200',
        },
      ],
      preRestoreMetadata: 'replay-from=7',
    },
    { name: 'Index', logicalPath: 'Ledger', files: [{ path: 'D:\\Ledger\\Index', filespec: '*.idx' }] },
  ],
};
const machine = scenario({ base: 'windows-server-2022', volumes: [{ name: 'D:\\', label: 'Data' }, { name: 'E:\\', label: 'Spare' }], writers: [ledger] });
const ref = (name) => ({ writerId: ledger.writerId, instanceId: ledger.instanceId, type: 'file-group', logicalPath: 'Ledger', name });

const component = async (session, name) => (await session.getWriterComponents()).flatMap((w) => w.components).find((c) => c.name === name);

// A component backup of both; the components as GetWriterComponents gave them after DoSnapshotSet, and the saved document.
async function backedUp(h, m, backupType = 'incremental') {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.setBackupState({ selectComponents: true, backupType });
  await session.gatherWriterMetadata();
  for (const name of ['Journal', 'Index']) await session.addComponent(ref(name));
  await session.startSnapshotSet();
  await session.addToSnapshotSet('D:\\');
  await session.prepareForBackup();
  const beforeSnapshot = await component(session, 'Journal');
  await session.doSnapshotSet();
  const journal = await component(session, 'Journal');
  const index = await component(session, 'Index');
  for (const name of ['Journal', 'Index']) await session.setBackupSucceeded(ref(name), true);
  await session.backupComplete();
  const bcd = await session.saveAsXml();
  await session.release();
  return { bcd, beforeSnapshot, journal, index };
}

async function restoring(h, m, bcd) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForRestore(bcd);
  await session.gatherWriterMetadata();
  return session;
}

const failure = {
  error: { hresult: 0x800423f3, name: 'VSS_E_WRITERERROR_RETRYABLE' },
  applicationError: { hresult: 0x80070020, name: 'ERROR_SHARING_VIOLATION' },
  message: 'journal 7 was locked',
};
const differenced = [
  { path: 'D:\\Ledger\\Journal', filespec: '*.jnl', recursive: true, lastModifyTime, lastModifyLsn: '' },
  // A zero time: "the requester can use file system information and its own records".
  { path: 'D:\\Ledger\\Journal\\New', filespec: '*.jnl', recursive: false, lastModifyTime: null, lastModifyLsn: '' },
];

export default [
  {
    // IVssComponent::AddDifferencedFilesByLastModifyTime: "typically while handling the PostSnapshot event";
    // "Requesters retrieve the number of differenced files ... by calling IVssComponent::GetDifferencedFile".
    name: 'AddDifferencedFilesByLastModifyTime: the differenced files a writer adds in PostSnapshot are on its component after DoSnapshotSet (GetDifferencedFile), in the saved document, and in a restore session of it',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd, beforeSnapshot, journal, index } = await backedUp(h, m);
      assert.deepEqual(beforeSnapshot.differencedFiles, [], 'not before PostSnapshot');
      assert.deepEqual(journal.differencedFiles, differenced);
      assert.deepEqual(index.differencedFiles, []);
      const parsed = h.vss.parseBackupComponentsDocument(bcd).writers.find((w) => w.writerId === ledger.writerId);
      assert.deepEqual(parsed.components.find((c) => c.name === 'Journal').differencedFiles, differenced);
      const session = await restoring(h, m, bcd);
      assert.deepEqual((await component(session, 'Journal')).differencedFiles, differenced);
    },
  },
  {
    // IVssComponentEx2::SetFailure ("VSS writers call this method to report errors at the component level")
    // and GetFailure ("VSS requesters call this method to retrieve component-level errors reported by writers").
    name: "IVssComponentEx2::SetFailure: a writer's component-level failure (its error, application error and message) is what getWriterComponents() answers as failure (GetFailure), null for a component without one, and the document keeps it",
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd, journal, index } = await backedUp(h, m);
      assert.deepEqual(journal.failure, failure);
      assert.equal(index.failure, null);
      const parsed = h.vss.parseBackupComponentsDocument(bcd).writers.find((w) => w.writerId === ledger.writerId);
      assert.deepEqual(parsed.components.map((c) => [c.name, c.failure]), [['Journal', failure], ['Index', null]]);
      const session = await restoring(h, m, bcd);
      assert.deepEqual((await component(session, 'Journal')).failure, failure);
    },
  },
  {
    // IVssComponent::SetRestoreTarget ("Only a writer can call this method, and only during a restore operation")
    // and AddDirectedTarget ("This method can be called by a writer only during a restore operation"; "A requester
    // will use the directed target information ... only if the restore target is VSS_RT_DIRECTED").
    name: 'SetRestoreTarget and AddDirectedTarget: the target and directed targets a writer sets in PreRestore reach the requester (GetRestoreTarget, GetDirectedTarget) after PreRestore, not before, and only on the component selected for restore',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd, journal } = await backedUp(h, m);
      assert.deepEqual([journal.restoreTarget, journal.directedTargets], ['unknown', []], 'not in a backup');
      const session = await restoring(h, m, bcd);
      await session.setSelectedForRestore(ref('Journal'), true);
      const before = await component(session, 'Journal');
      assert.deepEqual([before.restoreTarget, before.restoreTargetCode, before.directedTargets], ['unknown', 0, []]);
      await session.preRestore();
      const after = await component(session, 'Journal');
      assert.deepEqual([after.restoreTarget, after.restoreTargetCode], ['directed', 3]);
      assert.deepEqual(after.directedTargets, ledger.components[0].directedTargets);
      const index = await component(session, 'Index');
      assert.deepEqual([index.restoreTarget, index.directedTargets], ['unknown', []]);
      const parsed = h.vss.parseBackupComponentsDocument(await session.saveAsXml()).writers.find((w) => w.writerId === ledger.writerId);
      const journalRecord = parsed.components.find((c) => c.name === 'Journal');
      assert.deepEqual([journalRecord.restoreTarget, journalRecord.directedTargets], ['DIRECTED', ledger.components[0].directedTargets]);
      await session.postRestore();
    },
  },
  {
    // IVssComponent::SetRestoreMetadata: "only in the context of implementing CVssWriter::OnPreRestore".
    name: 'SetRestoreMetadata: the restore metadata a writer sets in PreRestore is on its component after PreRestore (GetRestoreMetadata) and in the document; null in a backup and before PreRestore',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd, journal } = await backedUp(h, m);
      assert.equal(journal.restoreMetadata, null);
      const session = await restoring(h, m, bcd);
      await session.setSelectedForRestore(ref('Journal'), true);
      assert.equal((await component(session, 'Journal')).restoreMetadata, null);
      await session.preRestore();
      assert.equal((await component(session, 'Journal')).restoreMetadata, 'replay-from=7');
      assert.equal((await component(session, 'Index')).restoreMetadata, null);
      const saved = await session.saveAsXml();
      assert.match(saved, /<RESTORE_METADATA metadata="replay-from=7"\/>/);
      await session.postRestore();
    },
  },
  {
    name: 'a scenario component whose writer-set fields do not read is refused: a TypeError naming the place, the engine\'s E_INVALIDARG its cause',
    where: linux,
    async run(h) {
      const writer = (c) => ({ writers: [{ name: 'X', writerId: ledger.writerId, components: [{ name: 'a', ...c }] }] });
      const bad = [
        [{ restoreTarget: 'sideways' }, /components\[0\]\.restoreTarget: expected one of/],
        [{ differencedFiles: [{ path: 'C:\\x' }] }, /differencedFiles\[0\]: needs a path and a filespec/],
        [{ differencedFiles: [{ path: 'C:\\x', filespec: '*', lastModifyTime: '-1' }] }, /lastModifyTime: expected a FILETIME as decimal text/],
        [{ failure: { error: 'NOT_AN_HRESULT' } }, /failure\.error: expected an HRESULT name/],
        [{ directedTargets: [{ sourcePath: 'C:\\x', sourceFilespec: 'a' }] }, /directedTargets\[0\]: needs a sourcePath, sourceFilespec, targetPath and targetFilespec/],
      ];
      for (const [c, message] of bad)
        assert.throws(() => h.vss.createSimulator(writer(c)), (e) => scenarioRefused(e) && message.test(e.message), String(message));
    },
  },
  {
    // IVssComponent::AddDifferencedFilesByLastModifyTime: "This method can be called only by writers that support the last
    // modify schema (VSS_BS_LAST_MODIFY)". A subscribed writer without it gets VSS_E_BAD_STATE (writer-probe under Wine).
    name: 'differencedFiles of a writer whose backupSchema lacks VSS_BS_LAST_MODIFY (0x40) are refused, naming the schema; with it they are taken',
    where: linux,
    async run(h) {
      const writer = (backupSchema) => ({
        writers: [{ name: 'X', writerId: ledger.writerId, ...(backupSchema !== undefined ? { backupSchema } : {}), components: [{ name: 'a', differencedFiles: [{ path: 'C:\\x', filespec: '*' }] }] }],
      });
      for (const schema of [undefined, 0x3, 0x20])
        assert.throws(
          () => h.vss.createSimulator(writer(schema)),
          (e) => scenarioRefused(e) && /backupSchema: component 'a' has differencedFiles, which need VSS_BS_LAST_MODIFY \(0x40\)/.test(e.message),
          `backupSchema ${schema}`,
        );
      for (const schema of [0x40, 0x43]) assert.ok(h.vss.createSimulator(writer(schema)), `backupSchema ${schema}`);
    },
  },
];

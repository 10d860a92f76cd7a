// Each session call is reported under one name, its IVssBackupComponents method,
// wherever it appears: in a failure's `operation` (set by the backend, the COM
// one from its own HRESULT checks) and in the session's timings (from the
// operation table of native/napi/operations.cpp). Runner-neutral: ../../harness.d.ts.
import assert from 'node:assert/strict';

import { both, fast } from '../../helpers.mjs';

const ID = '00000000-0000-0000-0000-000000000003';
const component = { writerId: '00000000-0000-0000-0000-000000000001', instanceId: '00000000-0000-0000-0000-000000000002', type: 'file-group', name: 'c' };

// Every BackupSession method that calls one IVssBackupComponents method, with valid arguments.
const calls = {
  gatherWriterMetadata: (s) => s.gatherWriterMetadata(),
  getWriterMetadata: (s) => s.getWriterMetadata(),
  freeWriterMetadata: (s) => s.freeWriterMetadata(),
  gatherWriterStatus: (s) => s.gatherWriterStatus(),
  getWriterStatus: (s) => s.getWriterStatus(),
  freeWriterStatus: (s) => s.freeWriterStatus(),
  setContext: (s) => s.setContext('backup'),
  setBackupState: (s) => s.setBackupState({ backupType: 'full' }),
  enableWriterClasses: (s) => s.enableWriterClasses([ID]),
  disableWriterClasses: (s) => s.disableWriterClasses([ID]),
  disableWriterInstances: (s) => s.disableWriterInstances([ID]),
  addComponent: (s) => s.addComponent(component),
  setBackupOptions: (s) => s.setBackupOptions(component, 'x'),
  setPreviousBackupStamp: (s) => s.setPreviousBackupStamp(component, 'x'),
  getWriterComponents: (s) => s.getWriterComponents(),
  startSnapshotSet: (s) => s.startSnapshotSet(),
  isVolumeSupported: (s) => s.isVolumeSupported('C:\\'),
  addToSnapshotSet: (s) => s.addToSnapshotSet('C:\\'),
  prepareForBackup: (s) => s.prepareForBackup(),
  doSnapshotSet: (s) => s.doSnapshotSet(),
  getSnapshotProperties: (s) => s.getSnapshotProperties(ID),
  setBackupSucceeded: (s) => s.setBackupSucceeded(component, true),
  backupComplete: (s) => s.backupComplete(),
  abortBackup: (s) => s.abortBackup(),
  saveAsXml: (s) => s.saveAsXml(),
  setSelectedForRestore: (s) => s.setSelectedForRestore(component, true),
  setRestoreOptions: (s) => s.setRestoreOptions(component, 'x'),
  setAdditionalRestores: (s) => s.setAdditionalRestores(component, false),
  setFileRestoreStatus: (s) => s.setFileRestoreStatus(component, 'all'),
  preRestore: (s) => s.preRestore(),
  postRestore: (s) => s.postRestore(),
  querySnapshots: (s) => s.querySnapshots(),
  queryProviders: (s) => s.queryProviders(),
  deleteSnapshots: (s) => s.deleteSnapshots(ID),
  exposeSnapshot: (s) => s.exposeSnapshot(ID, { driveLetter: 'X:' }),
  unexposeSnapshot: (s) => s.unexposeSnapshot(ID),
  breakSnapshotSet: (s) => s.breakSnapshotSet(ID),
};

export default [
  {
    name: 'a call refused before InitializeForBackup names the same COM method in its error and in the timings',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      let refused = 0;
      for (const [method, call] of Object.entries(calls)) {
        // A fresh session each time: nothing a previous call did carries over.
        const session = await h.session({ backend: m.backend });
        const error = await call(session).then(() => null, (e) => e);
        const timing = session.timings.at(-1);
        assert.ok(timing, `${method}: no timing`);
        assert.match(timing.operation, /^[A-Z][A-Za-z]+$/, method);
        if (!error) continue;
        assert.equal(error.name, 'VssError', `${method}: ${error.name}: ${error.message}`);
        assert.equal(timing.error, error.code, method);
        // COM reads a list through its count first: GetWriterMetadataCount fails for GetWriterMetadata.
        assert.ok(
          error.operation === timing.operation || error.operation === `${timing.operation}Count`,
          `${method}: error names ${error.operation}, timings ${timing.operation}`,
        );
        refused++;
      }
      assert.ok(refused >= 30, `${refused} calls refused`);
    },
  },
];

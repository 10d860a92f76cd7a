// Remote file shares (issue 10, "File shares"): IVssBackupComponents::AddToSnapshotSet takes "a UNC
// path that specifies a remote file share, for example, \\Clusterx\Share1\" besides volumes, so the
// library passes \\server\share\ on to VSS instead of refusing it. The simulated machine has no file
// server: VSS's answer for a share that does not exist is the page's VSS_E_OBJECT_NOT_FOUND
// ("pwszVolumeName does not correspond to an existing volume or remote file share").
// Runner-neutral.
import assert from 'node:assert/strict';

import { both, fast } from '../../helpers.mjs';

export default [
  {
    name: 'createSnapshotSet(\'\\\\fileserver\\share\') reaches AddToSnapshotSet (a UNC share is not refused as a TypeError); a share the machine cannot reach is VSS_E_OBJECT_NOT_FOUND and leaves nothing behind',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { result, calls } = await h.vss.traceVssCalls(() =>
        h.vss.createSnapshotSet('\\\\fileserver\\share', { backend: m.backend, writers: 'none' }).then(
          () => null,
          (e) => e,
        ),
      );
      assert.equal(result?.code, 'VSS_E_OBJECT_NOT_FOUND', String(result));
      assert.equal(result?.operation, 'AddToSnapshotSet');
      assert.ok(calls.includes('AddToSnapshotSet'), calls.join(' '));
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), []);
    },
  },
  {
    name: 'A folder inside a share, a server without a share and a \\\\.\\ device path are not file shares: TypeError (ERR_INVALID_ARG_VALUE) before any VSS call',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      for (const bad of ['\\\\fileserver\\share\\folder', '\\\\fileserver', '\\\\.\\PhysicalDrive0']) {
        const { result, calls } = await h.vss.traceVssCalls(() =>
          h.vss.createSnapshotSet(bad, { backend: m.backend, writers: 'none' }).then(
            () => null,
            (e) => e,
          ),
        );
        assert.equal(result?.code, 'ERR_INVALID_ARG_VALUE', bad);
        assert.deepEqual(calls, [], bad);
      }
    },
  },
];

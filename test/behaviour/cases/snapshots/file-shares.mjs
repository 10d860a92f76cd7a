// Remote file shares (issue 10, "File shares"). IVssBackupComponents::AddToSnapshotSet takes "a UNC
// path that specifies a remote file share, for example, \\Clusterx\Share1\"; VSS for SMB File Shares
// (Windows Server 2012 on) copies it through the File Share Shadow Copy provider (VSS_PROV_FILESHARE),
// which asks the server's File Server VSS Agent (MS-FSRVP) to copy the server volume holding the share
// and expose the copy as the share \\server\share@{id} (MS-FSRVP 3.1.4.6 ExposeShadowCopySet).
// IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths normalizes a path first: AddToSnapshotSet's
// remarks require it for a share named by IP address. A machine that reaches no such server answers
// the page's VSS_E_OBJECT_NOT_FOUND ("does not correspond to an existing volume or remote file share").
// Runner-neutral unless marked linux (content read from the simulator's copy folder).
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { both, cVolume, fast, linux, scenario, SYSTEM_PROVIDER } from '../../helpers.mjs';

const FILESHARE_PROVIDER = '89300202-3cec-4981-9171-19f59559e0f2';

/** The default server with the file-share provider and two file servers (the built-in 'file-shares' machine, spelled out). */
function withFileServer({ path, provider = true, servers } = {}) {
  return scenario({
    base: 'windows-server-2022',
    ...(provider ? { providers: [{ providerId: FILESHARE_PROVIDER, name: 'Microsoft File Share Shadow Copy provider', type: 'fileshare', version: '1.0.0.1' }] } : {}),
    fileServers: servers ?? [
      { name: 'fs1', fqdn: 'fs1.contoso.local', addresses: ['10.0.0.5'], shares: [{ name: 'Data', volume: 'E:\\', ...(path ? { path } : {}) }, { name: 'Users', volume: 'E:\\' }] },
      { name: 'nas-legacy', fqdn: 'nas-legacy.contoso.local', agent: false, shares: [{ name: 'Archive', volume: 'D:\\' }] },
    ],
  });
}

const settle = (p) => p.then(() => null, (e) => e);

export default [
  {
    name: 'createSnapshotSet(\'\\\\fileserver\\share\') reaches AddToSnapshotSet (a UNC share is not refused as a TypeError); a share the machine cannot reach is VSS_E_OBJECT_NOT_FOUND and leaves nothing behind',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { result, calls } = await h.vss.traceVssCalls(() => settle(h.vss.createSnapshotSet('\\\\fileserver\\share', { backend: m.backend, writers: 'none' })));
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
        const { result, calls } = await h.vss.traceVssCalls(() => settle(h.vss.createSnapshotSet(bad, { backend: m.backend, writers: 'none' })));
        assert.equal(result?.code, 'ERR_INVALID_ARG_VALUE', bad);
        assert.deepEqual(calls, [], bad);
      }
    },
  },
  {
    name: 'A share of a file server running the agent is copied by the File Share Shadow Copy provider: createSnapshotSet([\'\\\\fs1\\Data\\\']) with writers, the copy\'s original volume is the share, its device object the share \\\\fs1\\Data@{id}, its originating machine the server, and Query lists it',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const set = await h.vss.createSnapshotSet(['\\\\fs1\\Data\\'], { backend: m.backend });
      try {
        const [copy] = set.snapshots;
        assert.equal(set.snapshots.length, 1);
        assert.equal(copy.originalVolume, '\\\\fs1\\Data\\');
        assert.match(copy.deviceObject, /^\\\\fs1\\Data@\{[0-9a-f-]{36}\}$/i, copy.deviceObject);
        assert.equal(copy.providerId, FILESHARE_PROVIDER);
        const listed = (await h.vss.listShadowCopies({ backend: m.backend })).find((s) => s.snapshotId === copy.snapshotId);
        assert.ok(listed, 'Query lists the share copy');
        // "VSS for SMB File Shares" (Microsoft's deployment page): diskshadow shows the server's name as the
        // originating machine and the requester's as the service machine.
        assert.equal(listed.originatingMachine, 'fs1');
        assert.notEqual(listed.serviceMachine, 'fs1.contoso.local', 'VSS ran here, not on the file server');
        assert.equal(set.pathFor('\\\\fs1\\data\\reports\\q1.txt'), `${copy.deviceObject}\\reports\\q1.txt`, 'a path under the share maps into the copy\'s share (any case)');
        assert.throws(() => set.pathFor('\\\\fs1\\Users\\x.txt'), { code: 'ERR_INVALID_ARG_VALUE' }, 'a share not in the set');
      } finally {
        await set.complete({ succeeded: true });
      }
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), [], 'an auto-release share copy goes with the backup');
    },
  },
  {
    // The server exposes the copy as \\server\share@{id}; this computer has no volume of it. No page says
    // what ExposeSnapshot answers for one: the model refuses it (E_INVALIDARG) rather than pretend (cold8 F15).
    name: 'A persistent share copy is not exposed on this computer: ExposeSnapshot as a drive letter or as a share is E_INVALIDARG and the copy stays unexposed; reverting it is RevertToSnapshot\'s E_NOTIMPL ("Revert is not supported"), not a TypeError about volumes',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const set = await h.vss.createSnapshotSet(['\\\\fs1\\Data\\'], { backend: m.backend, persistent: true, keep: true });
      await set.complete({ succeeded: true });
      const [copy] = set.snapshots;
      try {
        await assert.rejects(h.vss.exposeShadowCopy(copy.snapshotId, { driveLetter: 'X:' }, { backend: m.backend }), { code: 'E_INVALIDARG', operation: 'ExposeSnapshot' });
        await assert.rejects(h.vss.exposeShadowCopy(copy.snapshotId, { share: 'dataCopy', allowShare: true }, { backend: m.backend }), { code: 'E_INVALIDARG', operation: 'ExposeSnapshot' });
        const listed = (await h.vss.listShadowCopies({ backend: m.backend })).find((s) => s.snapshotId === copy.snapshotId);
        assert.equal(listed.exposedName, null);
        assert.ok(!listed.attributes.includes('exposed-locally') && !listed.attributes.includes('exposed-remotely'), listed.attributes.join());
        await assert.rejects(h.vss.revertToShadowCopy(copy.snapshotId, { backend: m.backend }), (e) => {
          assert.equal(e.name, 'VssError');
          assert.equal(e.code, 'E_NOTIMPL');
          assert.equal(e.operation, 'RevertToSnapshot');
          assert.match(e.message, /Revert is not supported/);
          assert.doesNotMatch(e.message, /Wine/);
          return true;
        });
      } finally {
        await h.vss.deleteShadowCopies({ setId: set.setId }, { backend: m.backend });
      }
    },
  },
  {
    name: 'A share and a local volume in one set (VSS_CTX_FILE_SHARE_BACKUP, no writers): two copies by two providers, one set id',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const set = await h.vss.createSnapshotSet(['C:\\', '\\\\fs1\\Data\\'], { backend: m.backend, writers: 'none' });
      try {
        assert.equal(set.snapshots.length, 2);
        assert.deepEqual(new Set(set.snapshots.map((s) => s.snapshotSetId)).size, 1);
        assert.deepEqual(set.snapshots.map((s) => s.providerId).sort(), [FILESHARE_PROVIDER, SYSTEM_PROVIDER].sort());
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'pathFor of a file on a share backed by a folder reads it as it was at DoSnapshotSet',
    where: linux,
    async run(h) {
      const dir = await h.tempDir();
      await mkdir(join(dir, 'reports'), { recursive: true });
      await writeFile(join(dir, 'reports', 'q1.txt'), 'first');
      const m = await h.machine(withFileServer({ path: dir }));
      const set = await h.vss.createSnapshotSet(['\\\\fs1\\Data\\'], { backend: m.backend, writers: 'none' });
      try {
        await writeFile(join(dir, 'reports', 'q1.txt'), 'second');
        assert.equal(await readFile(set.pathFor('\\\\fs1\\Data\\reports\\q1.txt'), 'utf8'), 'first');
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'GetRootAndLogicalPrefixPaths (IVssBackupComponentsEx4): a path on a share by IP address, host name or FQDN gives the share root in host or FQDN form and the FQDN share path; a local path gives its volume and that volume\'s GUID name; the root of an IP-named share is then accepted by AddToSnapshotSet',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      // VShadow (util.h, GetUniqueVolumeNameForPath) asks a new, uninitialized IVssBackupComponents.
      const fresh = await h.session({ backend: m.backend });
      assert.equal((await fresh.getRootAndLogicalPrefixPaths('\\\\fs1\\Data\\x')).rootPath, '\\\\fs1\\Data\\');
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      for (const path of ['\\\\10.0.0.5\\data\\reports\\q1.txt', '\\\\FS1\\Data', '\\\\fs1.contoso.local\\DATA\\x'])
        assert.deepEqual(await session.getRootAndLogicalPrefixPaths(path), { rootPath: '\\\\fs1\\Data\\', logicalPrefix: '\\\\fs1.contoso.local\\Data\\' }, path);
      assert.deepEqual(await session.getRootAndLogicalPrefixPaths('\\\\10.0.0.5\\Data\\', { normalizeFqdn: true }), {
        rootPath: '\\\\fs1.contoso.local\\Data\\',
        logicalPrefix: '\\\\fs1.contoso.local\\Data\\',
      });
      assert.deepEqual(await session.getRootAndLogicalPrefixPaths('C:\\Windows\\System32\\drivers'), { rootPath: 'C:\\', logicalPrefix: await cVolume(h, m) });
      await session.setContext(h.vss.SnapshotContexts.code('file-share-backup'));
      await session.startSnapshotSet();
      const { rootPath } = await session.getRootAndLogicalPrefixPaths('\\\\10.0.0.5\\Data\\reports');
      await assert.rejects(session.addToSnapshotSet('\\\\10.0.0.5\\Data\\'), { code: 'E_INVALIDARG', operation: 'AddToSnapshotSet' }, 'an IP address must be normalized first');
      assert.match(await session.addToSnapshotSet(rootPath), /^[0-9a-f-]{36}$/);
      await assert.rejects(session.addToSnapshotSet('\\\\FS1\\data\\'), { code: 'VSS_E_OBJECT_ALREADY_EXISTS' }, 'the same share in another spelling');
      await assert.rejects(session.addToSnapshotSet('\\\\fs1.contoso.local\\Users\\'), { code: 'E_INVALIDARG' }, 'host name and FQDN forms cannot be mixed in one set');
      assert.match(await session.addToSnapshotSet('\\\\fs1\\Users\\'), /^[0-9a-f-]{36}$/);
      await session.doSnapshotSet();
      const snapshots = await session.querySnapshots();
      assert.deepEqual(snapshots.map((s) => s.originalVolume).sort(), ['\\\\fs1\\Data\\', '\\\\fs1\\Users\\']);
    },
  },
  {
    name: 'A share added by its server\'s FQDN keeps that form as its original volume, while the copy\'s device object and originating machine name the server by host name and its attributes say file-share (Microsoft\'s "VSS for SMB File Shares" page: diskshadow adds \\\\smbsofs\\vm\\vm1 and shows the device \\\\FSF-260403-09\\VM@{...}, originating machine FSF-260403-09)',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const set = await h.vss.createSnapshotSet(['\\\\fs1.contoso.local\\Data\\'], { backend: m.backend, writers: 'none' });
      try {
        const [copy] = set.snapshots;
        assert.equal(copy.originalVolume, '\\\\fs1.contoso.local\\Data\\');
        assert.match(copy.deviceObject, /^\\\\fs1\\Data@\{[0-9a-f-]{36}\}$/i, copy.deviceObject);
        assert.equal(copy.originatingMachine, 'fs1');
        assert.ok(copy.attributes.includes('file-share'), `a share copy has VSS_VOLSNAP_ATTR_FILE_SHARE (diskshadow: "Attributes: ... FileShare"): ${copy.attributes}`);
        assert.ok(!copy.attributes.includes('differential'), 'the system provider did not make it');
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'createSnapshotSet of a share named by IP address normalizes it with GetRootAndLogicalPrefixPaths before AddToSnapshotSet (as AddToSnapshotSet\'s remarks require); pathFor takes the path as given',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const { result: set, calls } = await h.vss.traceVssCalls(() => h.vss.createSnapshotSet(['\\\\10.0.0.5\\Data\\'], { backend: m.backend, writers: 'none' }));
      try {
        assert.ok(calls.indexOf('GetRootAndLogicalPrefixPaths') >= 0 && calls.indexOf('GetRootAndLogicalPrefixPaths') < calls.indexOf('AddToSnapshotSet'), calls.join(' '));
        assert.equal(set.snapshots[0].originalVolume, '\\\\fs1\\Data\\');
        assert.equal(set.pathFor('\\\\10.0.0.5\\Data\\a.txt'), `${set.snapshots[0].deviceObject}\\a.txt`);
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'Shares VSS cannot copy: a server without the File Server VSS Agent, a machine without the file-share provider and a client-accessible context are VSS_E_VOLUME_NOT_SUPPORTED (IsVolumeSupported false); the system provider named is VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER; an unknown share or a folder in a share VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.setContext(h.vss.SnapshotContexts.code('file-share-backup'));
      assert.equal(await session.isVolumeSupported('\\\\fs1\\Data\\'), true);
      assert.equal(await session.isVolumeSupported('\\\\fs1\\Data\\', FILESHARE_PROVIDER), true);
      assert.equal(await session.isVolumeSupported('\\\\fs1\\Data\\', SYSTEM_PROVIDER), false);
      assert.equal(await session.isVolumeSupported('\\\\nas-legacy\\Archive\\'), false);
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('\\\\nas-legacy\\Archive\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED', operation: 'AddToSnapshotSet' });
      await assert.rejects(session.addToSnapshotSet('\\\\fs1\\Data\\', SYSTEM_PROVIDER), { code: 'VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER' });
      await assert.rejects(session.addToSnapshotSet('\\\\fs1\\Nope\\'), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.addToSnapshotSet('\\\\fs1\\Data\\folder\\'), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.getRootAndLogicalPrefixPaths('\\\\nowhere\\share\\x'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'GetRootAndLogicalPrefixPaths' });

      const accessible = await h.session({ backend: m.backend });
      await accessible.initializeForBackup();
      await accessible.setContext(h.vss.SnapshotContexts.code('client-accessible'));
      assert.equal(await accessible.isVolumeSupported('\\\\fs1\\Data\\'), false, 'MS-FSRVP carries no client-accessible context');

      const bare = await h.machine(withFileServer({ provider: false }));
      const noProvider = await h.session({ backend: bare.backend });
      await noProvider.initializeForBackup();
      await noProvider.startSnapshotSet().catch(() => {});
      assert.equal(await noProvider.isVolumeSupported('\\\\fs1\\Data\\'), false);
      await assert.rejects(h.vss.createSnapshotSet(['\\\\fs1\\Data\\'], { backend: bare.backend, writers: 'none' }), { code: 'VSS_E_VOLUME_NOT_SUPPORTED' });
      assert.deepEqual(await h.vss.listShadowCopies({ backend: bare.backend }), []);
    },
  },
  {
    name: 'getRootAndLogicalPrefixPaths bad input: a path that is not a string, an empty path, a normalizeFqdn that is not a boolean',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await assert.rejects(session.getRootAndLogicalPrefixPaths(42), { code: 'ERR_INVALID_ARG_TYPE' });
      await assert.rejects(session.getRootAndLogicalPrefixPaths('\\\\fs1\\Data\\', { normalizeFqdn: 'yes' }), { code: 'ERR_INVALID_ARG_TYPE' });
      await assert.rejects(session.getRootAndLogicalPrefixPaths(''), { code: 'E_INVALIDARG' });
    },
  },
  {
    // cold8 F16: vss list/delete --volume '\\srv\share\' were refused as "UNC paths are not volumes",
    // while the copies list the share as their original volume. An unknown share is IsVolumeSupported's
    // VSS_E_OBJECT_NOT_FOUND, as for a volume the machine lacks.
    name: 'listShadowCopies({ volume }) and deleteShadowCopies({ volume[, oldest] }) take a share (any case, with or without its trailing backslash) and match the copies whose original volume it is; an unreachable share is VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const make = async (share) => {
        const set = await h.vss.createSnapshotSet([share], { backend: m.backend, writers: 'none', persistent: true, journal: false });
        await set.complete({ succeeded: true });
        return set.snapshots[0].snapshotId;
      };
      const [first, second, users] = [await make('\\\\fs1\\Data\\'), await make('\\\\fs1\\Data\\'), await make('\\\\fs1\\Users\\')];
      const ids = async (volume) => (await h.vss.listShadowCopies({ backend: m.backend, journal: false, ...(volume ? { volume } : {}) })).map((c) => c.snapshotId).sort();
      assert.deepEqual(await ids('\\\\fs1\\Data\\'), [first, second].sort());
      assert.deepEqual(await ids('\\\\FS1\\data'), [first, second].sort());
      assert.deepEqual(await ids('\\\\fs1\\Users\\'), [users]);
      await assert.rejects(h.vss.listShadowCopies({ backend: m.backend, volume: '\\\\nowhere\\share\\' }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(h.vss.listShadowCopies({ backend: m.backend, volume: '\\\\fs1\\Data\\folder\\' }), { code: 'ERR_INVALID_ARG_VALUE' });
      assert.equal((await h.vss.deleteShadowCopies({ volume: '\\\\fs1\\Data', oldest: true }, { backend: m.backend, journal: false })).deletedCount, 1);
      assert.deepEqual(await ids(), [second, users].sort());
      assert.equal((await h.vss.deleteShadowCopies({ volume: '\\\\fs1\\Users\\' }, { backend: m.backend, journal: false })).deletedCount, 1);
      assert.deepEqual(await ids(), [second]);
    },
  },
  {
    // cold12 F1: a share named by IP address or FQDN matched none of its copies ("0 deleted", exit 0).
    // AddToSnapshotSet's remarks: an IP-form share is normalized with GetRootAndLogicalPrefixPaths
    // first, and createSnapshotSet does so; list and delete now normalize both sides the same way.
    name: 'listShadowCopies({ volume }) and deleteShadowCopies({ volume[, oldest] }) match a share\'s copies whatever spelling of its server (host name, FQDN, IP address) made them or names them',
    where: both,
    async run(h) {
      const m = await h.machine(withFileServer());
      const make = async (share) => {
        const set = await h.vss.createSnapshotSet([share], { backend: m.backend, writers: 'none', persistent: true, journal: false });
        await set.complete({ succeeded: true });
        return set.snapshots[0].snapshotId;
      };
      const [byHost, byFqdn, users] = [await make('\\\\fs1\\Data\\'), await make('\\\\fs1.contoso.local\\Data\\'), await make('\\\\fs1\\Users\\')];
      const ids = async (volume) => (await h.vss.listShadowCopies({ backend: m.backend, journal: false, ...(volume ? { volume } : {}) })).map((c) => c.snapshotId).sort();
      for (const spelling of ['\\\\fs1\\Data\\', '\\\\10.0.0.5\\Data\\', '\\\\FS1.contoso.local\\data']) assert.deepEqual(await ids(spelling), [byHost, byFqdn].sort(), spelling);
      assert.deepEqual(await ids('\\\\10.0.0.5\\Users\\'), [users]);
      assert.equal((await h.vss.deleteShadowCopies({ volume: '\\\\10.0.0.5\\Data\\', oldest: true }, { backend: m.backend, journal: false })).deletedCount, 1);
      assert.deepEqual(await ids(), [byFqdn, users].sort());
      assert.equal((await h.vss.deleteShadowCopies({ volume: '\\\\fs1.contoso.local\\Data\\' }, { backend: m.backend, journal: false })).deletedCount, 1);
      assert.deepEqual(await ids(), [users]);
    },
  },
];

// Volumes mounted at folders (issue 10, "Mount points"): createSnapshotSet({ mountedVolumes })
// adds the volumes mounted under the set's, as restic and Bareos do (FindFirstVolumeMountPointW
// on each volume, recursively), and pathFor maps a path under a mount folder into that volume's
// shadow copy, through the one resolver planBackup uses too (lib/machine-volumes.ts).
// Under Wine the volumes are the host's: the emulated machine's mount folders are unknown to
// the system, so listing them is refused with a typed error rather than answered "none".
// Runner-neutral.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { both, fast, linux } from '../../helpers.mjs';

/** D:\ with data\a.txt, D:\mnt\vol\ (x.txt) mounted on it, D:\mnt\vol\deep\ (y.txt) on that, and E:\ beside. */
async function mountedMachine(h, letter = 'D') {
  const root = await h.tempDir();
  const folders = {};
  for (const [name, file, text] of [
    ['d', join('data', 'a.txt'), 'on D'],
    ['vol', 'x.txt', 'on the mounted volume'],
    ['deep', 'y.txt', 'on the volume mounted under it'],
    ['e', 'z.txt', 'on E'],
  ]) {
    folders[name] = join(root, name);
    await mkdir(join(folders[name], file, '..'), { recursive: true });
    await writeFile(join(folders[name], file), text);
  }
  const m = await h.machine({
    ...fast,
    volumes: [
      { name: `${letter}:\\`, path: folders.d },
      { name: `${letter}:\\mnt\\vol\\`, path: folders.vol },
      { name: `${letter}:\\mnt\\vol\\deep\\`, path: folders.deep },
      { name: 'E:\\', path: folders.e },
    ],
  });
  return m;
}

export default [
  {
    name: 'createSnapshotSet({ mountedVolumes: true }) (and planBackup alike) adds the volumes mounted under the set\'s, recursively and each once (not E:, not one named already), and pathFor reads each file from its own volume\'s copy',
    where: linux,
    async run(h) {
      const m = await mountedMachine(h);
      const plain = await h.vss.createSnapshotSet('D:\\', { backend: m.backend, writers: 'none' });
      assert.deepEqual(plain.volumes, ['D:\\']);
      assert.throws(() => plain.pathFor('D:\\mnt\\vol\\x.txt'), { code: 'ERR_INVALID_ARG_VALUE' }, 'a mounted volume is not D:');
      await plain.complete({ succeeded: true });

      const plan = await h.vss.planBackup('D:\\', { backend: m.backend, writers: 'none', mountedVolumes: true });
      assert.deepEqual(plan.volumes, ['D:\\', 'D:\\mnt\\vol\\', 'D:\\mnt\\vol\\deep\\'], 'planBackup takes the same volumes');
      const set = await h.vss.createSnapshotSet('D:\\', { backend: m.backend, writers: 'none', mountedVolumes: true });
      try {
        assert.deepEqual(set.volumes, ['D:\\', 'D:\\mnt\\vol\\', 'D:\\mnt\\vol\\deep\\']);
        assert.equal(new Set(set.snapshots.map((s) => s.originalVolume)).size, 3);
        assert.equal(await readFile(set.pathFor('D:\\data\\a.txt'), 'utf8'), 'on D');
        assert.equal(await readFile(set.pathFor('D:\\mnt\\vol\\x.txt'), 'utf8'), 'on the mounted volume');
        assert.equal(await readFile(set.pathFor('d:/MNT/vol/deep/y.txt'), 'utf8'), 'on the volume mounted under it');
        assert.throws(() => set.pathFor('E:\\z.txt'), { code: 'ERR_INVALID_ARG_VALUE' });
      } finally {
        await set.complete({ succeeded: true });
      }

      // Named already (by mount folder): not added twice; the one under it still is.
      const named = await h.vss.createSnapshotSet(['D:\\', 'D:\\mnt\\vol\\'], { backend: m.backend, writers: 'none', mountedVolumes: true });
      try {
        assert.deepEqual(named.volumes, ['D:\\', 'D:\\mnt\\vol\\', 'D:\\mnt\\vol\\deep\\']);
      } finally {
        await named.complete({ succeeded: true });
      }
      // Starting from the mounted volume: only what is under it.
      const inner = await h.vss.createSnapshotSet('D:\\mnt\\vol\\', { backend: m.backend, writers: 'none', mountedVolumes: true });
      try {
        assert.deepEqual(inner.volumes, ['D:\\mnt\\vol\\', 'D:\\mnt\\vol\\deep\\']);
      } finally {
        await inner.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'pathFor maps a path under a mount folder that is a volume of the set into that volume\'s copy, not into the copy of the drive it lies under',
    where: both,
    async run(h) {
      const m = await mountedMachine(h);
      const set = await h.vss.createSnapshotSet(['D:\\', 'D:\\mnt\\vol\\'], { backend: m.backend, writers: 'none' });
      try {
        const mounted = set.snapshotFor('D:\\mnt\\vol\\');
        assert.notEqual(mounted.snapshotId, set.snapshotFor('D:\\').snapshotId);
        assert.equal(await readFile(set.pathFor('D:\\mnt\\vol\\x.txt'), 'utf8'), 'on the mounted volume');
        assert.equal(await readFile(set.pathFor('D:\\data\\a.txt'), 'utf8'), 'on D');
        if (h.where !== 'linux') assert.ok(set.pathFor('D:\\mnt\\vol\\x.txt').startsWith(mounted.deviceObject), set.pathFor('D:\\mnt\\vol\\x.txt'));
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'mountedVolumes that is not a boolean is a TypeError (ERR_INVALID_ARG_TYPE) before any VSS call',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { result, calls } = await h.vss.traceVssCalls(() =>
        h.vss.createSnapshotSet('C:\\', { backend: m.backend, writers: 'none', mountedVolumes: 'yes' }).then(
          () => null,
          (e) => e,
        ),
      );
      assert.equal(result?.name, 'TypeError');
      assert.equal(result?.code, 'ERR_INVALID_ARG_TYPE');
      assert.deepEqual(calls, []);
    },
  },
  {
    name: 'Wine: mountedVolumes on a drive the system does not name (only the emulated VSS has it) is ERR_VSS_MOUNT_POINTS_UNAVAILABLE, not "none", and leaves no shadow copy',
    where: ['wine'],
    async run(h) {
      const m = await mountedMachine(h, 'Q');
      assert.equal(await m.systemVolumeName('Q:\\'), null, 'the host has no Q:');
      await assert.rejects(h.vss.createSnapshotSet('Q:\\', { backend: m.backend, writers: 'none', mountedVolumes: true }), { name: 'VssMountPointsError', code: 'ERR_VSS_MOUNT_POINTS_UNAVAILABLE' });
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), []);
    },
  },
  {
    name: "Wine: on C:\\, the host's drive, Wine's FindFirstVolumeMountPointW answers ERROR_CALL_NOT_IMPLEMENTED (measured, Wine 8.0), so the mount folders come from every volume's GetVolumePathNamesForVolumeNameW: the host has none under C:\\, and the set is C:\\ alone",
    where: ['wine'],
    async run(h) {
      const m = await h.machine(fast);
      const { result: set, calls } = await h.vss.traceVssCalls(() => h.vss.createSnapshotSet('C:\\', { backend: m.backend, writers: 'none', mountedVolumes: true }));
      assert.deepEqual(set.volumes, ['C:\\']);
      assert.equal(calls.filter((c) => c === 'AddToSnapshotSet').length, 1, calls.join(' '));
      await set.complete({ succeeded: true });
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), []);
    },
  },
  {
    name: 'vss plan and vss create --include-mounted D: take D: and the two volumes mounted under it; --exec gets VSS_SHADOW_VOLUME_n for each',
    where: linux,
    async run(h) {
      const m = await mountedMachine(h);
      const plan = await m.cli(['plan', '--no-writers', '--include-mounted', '--json', 'D:']);
      assert.equal(plan.code, 0, plan.stderr);
      assert.equal(JSON.parse(plan.stdout).volumes.length, 3);
      const json = await m.cli(['create', '--no-writers', '--include-mounted', '--json', 'D:']);
      assert.equal(json.code, 0, json.stderr);
      const out = JSON.parse(json.stdout);
      assert.equal(out.snapshots.length, 3);
      const exec = await m.cli(['create', '--no-writers', '--include-mounted', '--exec', 'printf "%s|%s|%s" "$VSS_SHADOW_VOLUME_1" "$VSS_SHADOW_VOLUME_2" "$VSS_SHADOW_VOLUME_3"', 'D:']);
      assert.equal(exec.code, 0, exec.stderr);
      assert.match(exec.stdout, /D:\\\|D:\\mnt\\vol\\\|D:\\mnt\\vol\\deep\\/);
    },
  },
];

// Content: a simulated volume backed by a host folder; its shadow copy is a read-only
// point-in-time copy at a path the API returns (issue: "Content"). On Linux the path is
// a host folder; under Wine it is the copy's device path (\\?\GLOBALROOT\Device\
// HarddiskVolumeShadowCopyN\...) or its drive letter, opened by Windows node.exe itself.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { both, linux, manager } from '../../helpers.mjs';

async function backedMachine(h, extra = {}) {
  const dir = await h.tempDir();
  await mkdir(join(dir, 'data', 'nested'), { recursive: true });
  await writeFile(join(dir, 'data', 'app.db'), 'version 1');
  await writeFile(join(dir, 'data', 'nested', 'notes.txt'), 'first notes');
  for (const [name, content] of Object.entries(extra)) await writeFile(join(dir, 'data', name), content);
  const m = await h.machine({ timing: { timeScale: 0.01 }, volumes: [{ name: 'D:\\', label: 'Data', path: dir }] });
  return { dir, m };
}

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

async function streamedHash(path) {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { hash: hash.digest('hex'), bytes };
}

export default [
  {
    name: 'a file read out of a shadow copy through SnapshotSet.pathFor has its content as of DoSnapshotSet: changed and deleted files read as they were, a file created after is absent',
    where: both,
    async run(h) {
      const { dir, m } = await backedMachine(h);
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      try {
        await writeFile(join(dir, 'data', 'app.db'), 'version 2');
        await rm(join(dir, 'data', 'nested', 'notes.txt'));
        await writeFile(join(dir, 'data', 'late.txt'), 'written after the snapshot');
        assert.equal(await readFile(set.pathFor('D:\\data\\app.db'), 'utf8'), 'version 1');
        assert.equal(await readFile(set.pathFor('D:\\data\\nested\\notes.txt'), 'utf8'), 'first notes', 'deleted after the snapshot');
        assert.equal(existsSync(set.pathFor('D:\\data\\late.txt')), false);
        await assert.rejects(readFile(set.pathFor('D:\\data\\late.txt')), { code: 'ENOENT' });
        assert.equal(await readFile(join(dir, 'data', 'app.db'), 'utf8'), 'version 2', 'the original volume moved on');
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'readdir of a folder read out of a shadow copy lists it as of DoSnapshotSet',
    where: both,
    async run(h) {
      const { dir, m } = await backedMachine(h);
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      try {
        await writeFile(join(dir, 'data', 'late.txt'), 'written after the snapshot');
        await rm(join(dir, 'data', 'nested'), { recursive: true });
        const entries = await readdir(set.pathFor('D:\\data'), { withFileTypes: true });
        assert.deepEqual(entries.map((e) => `${e.name}${e.isDirectory() ? '/' : ''}`).sort(), ['app.db', 'nested/']);
        assert.deepEqual(await readdir(set.pathFor('D:\\data\\nested')), ['notes.txt']);
        assert.deepEqual(await readdir(set.pathFor('D:\\')), ['data']);
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'a large file read out of a shadow copy with fs.createReadStream equals the file as it was, byte for byte',
    where: both,
    async run(h) {
      // 6 MiB that is not one repeated block, so a misplaced chunk changes the hash.
      const large = Buffer.alloc(6 * 1024 * 1024);
      for (let i = 0; i < large.length; i += 4) large.writeUInt32LE((i * 2654435761) >>> 0, i);
      const { dir, m } = await backedMachine(h, { 'large.bin': large });
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      try {
        await writeFile(join(dir, 'data', 'large.bin'), 'truncated after the snapshot');
        assert.deepEqual(await streamedHash(set.pathFor('D:\\data\\large.bin')), { hash: sha256(large), bytes: large.length });
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: 'a file read out of a shadow copy exposed to a drive letter (exposeShadowCopy) has its content as of the snapshot; the letter goes with the copy',
    where: ['wine'],
    async run(h) {
      const { dir, m } = await backedMachine(h);
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, persistent: true });
      const id = set.snapshotFor('D:\\').snapshotId;
      await set.complete({ succeeded: true });
      await writeFile(join(dir, 'data', 'app.db'), 'version 2');
      try {
        assert.equal(await h.vss.exposeShadowCopy(id, { driveLetter: 'R:' }, { backend: m.backend }), 'R:');
        assert.equal(await readFile('R:\\data\\app.db', 'utf8'), 'version 1');
        assert.deepEqual((await readdir('R:\\data')).sort(), ['app.db', 'nested']);
        assert.equal(await readFile(set.pathFor('D:\\data\\nested\\notes.txt'), 'utf8'), 'first notes', 'still at its device path too');
        // \\?\HarddiskVolumeShadowCopyN\ (without GLOBALROOT) names the same device.
        const device = set.snapshotFor('D:\\').deviceObject.replace(/^\\\\\?\\GLOBALROOT\\Device\\/i, '\\\\?\\');
        assert.match(device, /^\\\\\?\\HarddiskVolumeShadowCopy\d+$/);
        assert.equal(await readFile(`${device}\\data\\app.db`, 'utf8'), 'version 1');
        // A drive letter the host already has is refused, as on Windows.
        const other = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, persistent: true });
        await other.complete({ succeeded: true });
        await assert.rejects(h.vss.exposeShadowCopy(other.snapshotFor('D:\\').snapshotId, { driveLetter: 'Z:' }, { backend: m.backend }), {
          code: 'VSS_E_OBJECT_ALREADY_EXISTS',
        });
        assert.equal((await h.vss.deleteShadowCopies({ setId: other.setId }, { backend: m.backend })).deletedCount, 1);
      } finally {
        await h.vss.deleteShadowCopies([id], { backend: m.backend });
      }
      assert.equal(existsSync('R:\\data\\app.db'), false, 'unreadable once the copy is deleted');
      assert.equal(existsSync(set.pathFor('D:\\data\\app.db')), false);
    },
  },
  {
    name: 'a file read out of a shadow copy exposed to a mount folder (exposeShadowCopy { mountPath }) has its content as of the snapshot; unexposed or deleted, the folder is empty again',
    where: ['wine'],
    async run(h) {
      const { dir, m } = await backedMachine(h);
      const options = { backend: m.backend };
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, persistent: true });
      const id = set.snapshotFor('D:\\').snapshotId;
      await set.complete({ succeeded: true });
      await writeFile(join(dir, 'data', 'app.db'), 'version 2');
      const base = await h.tempDir();
      const folder = join(base, 'mnt');
      try {
        // A mount point is an existing empty folder.
        await assert.rejects(h.vss.exposeShadowCopy(id, { mountPath: folder }, options), { code: 'E_INVALIDARG' }, 'no such folder');
        await mkdir(folder);
        await writeFile(join(folder, 'keep.txt'), 'mine');
        await assert.rejects(h.vss.exposeShadowCopy(id, { mountPath: folder }, options), { code: 'E_INVALIDARG' }, 'not empty');
        assert.equal((await h.vss.getShadowCopy(id, options)).exposedName, null, 'a refused exposure leaves none behind');
        await rm(join(folder, 'keep.txt'));

        assert.equal(await h.vss.exposeShadowCopy(id, { mountPath: folder }, options), folder);
        assert.equal(await readFile(join(folder, 'data', 'app.db'), 'utf8'), 'version 1');
        assert.deepEqual(await readdir(folder), ['data']);
        assert.deepEqual((await readdir(join(folder, 'data'))).sort(), ['app.db', 'nested']);
        assert.equal((await h.vss.getShadowCopy(id, options)).exposedName, folder);
        await h.vss.unexposeShadowCopy(id, options);
        assert.ok((await stat(folder)).isDirectory(), 'the folder is back');
        assert.deepEqual(await readdir(folder), [], 'and empty');

        assert.equal(await h.vss.exposeShadowCopy(id, { mountPath: folder }, options), folder);
        assert.equal(await readFile(join(folder, 'data', 'nested', 'notes.txt'), 'utf8'), 'first notes');
      } finally {
        await h.vss.deleteShadowCopies([id], options);
      }
      assert.deepEqual(await readdir(folder), [], 'empty once the copy is deleted');
      assert.equal(existsSync(set.pathFor('D:\\data\\app.db')), false);
    },
  },
  {
    name: "a file read out of a shadow copy exposed to a mount folder by another process, on a machine kept in a state file: the exposure outlives that process (as a persistent copy's does), and deleting the copy here empties the folder",
    where: ['wine'],
    async run(h) {
      const dir = await h.tempDir();
      await mkdir(join(dir, 'data'), { recursive: true });
      await writeFile(join(dir, 'data', 'app.db'), 'version 1');
      const m = await h.machine({ timing: { timeScale: 0.01 }, volumes: [{ name: 'D:\\', path: dir }] }, { stateFile: true });
      const folder = join(await h.tempDir(), 'mnt');
      await mkdir(folder);
      const child = await m.inNewProcess(`
        const { readFileSync } = await import('node:fs');
        const set = await vss.createSnapshotSet(['D:\\\\'], { backend, persistent: true, writers: 'none' });
        const id = set.snapshotFor('D:\\\\').snapshotId;
        await set.complete({ succeeded: true });
        await vss.exposeShadowCopy(id, { mountPath: ${JSON.stringify(folder)} }, { backend });
        return { id, read: readFileSync(${JSON.stringify(join(folder, 'data', 'app.db'))}, 'utf8') };`);
      assert.equal(child.read, 'version 1', 'readable in the process that exposed it');
      await writeFile(join(dir, 'data', 'app.db'), 'version 2');
      assert.equal(await readFile(join(folder, 'data', 'app.db'), 'utf8'), 'version 1', 'and here, after it exited');
      assert.equal((await h.vss.getShadowCopy(child.id, { backend: m.backend })).exposedName, folder);
      await h.vss.deleteShadowCopies([child.id], { backend: m.backend });
      assert.ok((await stat(folder)).isDirectory());
      assert.deepEqual(await readdir(folder), [], 'an empty folder again');
    },
  },
  {
    name: "a file read out of a shadow copy the scenario preloads (shadows: [...]) of a backed volume has the volume's content as the machine started, at the copy's device path",
    where: both,
    async run(h) {
      const dir = await h.tempDir();
      await mkdir(join(dir, 'data'), { recursive: true });
      await writeFile(join(dir, 'data', 'app.db'), 'version 1');
      const m = await h.machine({
        timing: { timeScale: 0.01 },
        volumes: [{ name: 'D:\\', label: 'Data', path: dir }],
        shadows: [{ volume: 'D:\\', persistent: true }],
      });
      // Under Wine the emulated DLL builds the machine (and freezes its copies) at the first call.
      const [copy] = await h.vss.listShadowCopies({ backend: m.backend });
      assert.ok(copy, 'the preloaded shadow copy is listed');
      await writeFile(join(dir, 'data', 'app.db'), 'version 2');
      // Where the copy's device reads: on Linux the host folder the simulator keeps it in.
      const root =
        h.where === 'linux' ? (await m.describe()).shadows.find((s) => s.snapshotId === copy.snapshotId).contentPath : copy.deviceObject;
      const at = (...names) => (h.where === 'linux' ? join(root, ...names) : [root, ...names].join('\\'));
      assert.equal(await readFile(at('data', 'app.db'), 'utf8'), 'version 1');
      assert.deepEqual(await readdir(at('data')), ['app.db']);
      if (h.where !== 'linux') {
        // \\?\HarddiskVolumeShadowCopyN\ (without GLOBALROOT) names the same device.
        const device = copy.deviceObject.replace(/^\\\\\?\\GLOBALROOT\\Device\\/i, '\\\\?\\');
        assert.equal(await readFile(`${device}\\data\\app.db`, 'utf8'), 'version 1');
      }
      assert.deepEqual(await h.vss.deleteShadowCopies([copy.snapshotId], { backend: m.backend }), { deletedCount: 1, nonDeletedId: null });
      assert.equal(existsSync(at('data', 'app.db')), false, 'gone with the copy');
    },
  },
  {
    name: 'the shadow copy content is read-only',
    where: linux,
    async run(h) {
      const { m } = await backedMachine(h);
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      try {
        for (const path of [set.pathFor('D:\\data\\app.db'), set.pathFor('D:\\data\\nested'), set.pathFor('D:\\')])
          assert.equal((await stat(path)).mode & 0o222, 0, `${path} has write permission`);
      } finally {
        await set.abort();
      }
    },
  },
  {
    name: 'a file read out of an auto-release shadow copy is gone with its session; out of a persistent one, readable until the copy is deleted',
    where: both,
    async run(h) {
      const { m } = await backedMachine(h);
      const temporary = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      const temporaryPath = temporary.pathFor('D:\\data\\app.db');
      await temporary.complete({ succeeded: true });
      assert.equal(existsSync(temporaryPath), false, 'released with the session');

      const kept = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, persistent: true });
      const keptPath = kept.pathFor('D:\\data\\app.db');
      await kept.complete({ succeeded: true });
      assert.equal(await readFile(keptPath, 'utf8'), 'version 1');
      const admin = await manager(h, m, 'app-rollback');
      await admin.deleteSnapshots(kept.setId, { wholeSet: true });
      assert.equal(existsSync(keptPath), false, 'deleted with the shadow copy');
    },
  },
  {
    name: "each shadow copy of a backed volume has its own frozen content, listed with the machine's shadow copies",
    where: linux,
    async run(h) {
      const { dir, m } = await backedMachine(h);
      const ids = [];
      for (const version of ['version 1', 'version 2']) {
        await writeFile(join(dir, 'data', 'app.db'), version);
        const session = await manager(h, m, 'nas-rollback');
        await session.startSnapshotSet();
        ids.push(await session.addToSnapshotSet('D:\\'));
        await session.prepareForBackup();
        await session.doSnapshotSet();
      }
      const shadows = (await m.describe()).shadows;
      const contents = [];
      for (const id of ids) {
        const shadow = shadows.find((s) => s.snapshotId === id);
        assert.ok(shadow?.contentPath, 'a backed volume has content');
        assert.deepEqual((await readdir(shadow.contentPath)).sort(), ['data']);
        contents.push(await readFile(join(shadow.contentPath, 'data', 'app.db'), 'utf8'));
      }
      assert.deepEqual(contents, ['version 1', 'version 2']);
    },
  },
];

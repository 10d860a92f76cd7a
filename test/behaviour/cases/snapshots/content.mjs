// Content: a simulated volume backed by a host folder; its shadow copy is a read-only
// point-in-time copy at a path the API returns (issue: "Content").
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { linux, manager } from '../../helpers.mjs';

async function backedMachine(h) {
  const dir = await h.tempDir();
  await mkdir(join(dir, 'data', 'nested'), { recursive: true });
  await writeFile(join(dir, 'data', 'app.db'), 'version 1');
  await writeFile(join(dir, 'data', 'nested', 'notes.txt'), 'first notes');
  const m = await h.machine({ timing: { timeScale: 0.01 }, volumes: [{ name: 'D:\\', label: 'Data', path: dir }] });
  return { dir, m };
}

export default [
  {
    name: 'code reading a file through SnapshotSet.pathFor sees the volume as it was at DoSnapshotSet',
    where: linux,
    async run(h) {
      const { dir, m } = await backedMachine(h);
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      try {
        await writeFile(join(dir, 'data', 'app.db'), 'version 2');
        await writeFile(join(dir, 'data', 'late.txt'), 'written after the snapshot');
        assert.equal(await readFile(set.pathFor('D:\\data\\app.db'), 'utf8'), 'version 1');
        assert.equal(await readFile(set.pathFor('D:\\data\\nested\\notes.txt'), 'utf8'), 'first notes');
        assert.equal(existsSync(set.pathFor('D:\\data\\late.txt')), false);
        assert.equal(await readFile(join(dir, 'data', 'app.db'), 'utf8'), 'version 2', 'the original volume moved on');
      } finally {
        await set.complete({ succeeded: true });
      }
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
    name: 'an auto-release shadow copy takes its content with it; a persistent one keeps it until deleted',
    where: linux,
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

// Component selection over either backend: planBackup and createSnapshotSet decide alike, from
// writer metadata whose file paths are resolved to volumes as VShadow resolves them (expanded
// %variables%, the deepest mount point); under Wine through the Windows calls, not the simulator's list.
// Runner-neutral.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
const fast = { timing: { timeScale: 0.01 } };

export default [
  {
    name: "planBackup and createSnapshotSet({ selection }) agree: the ASR Writer is out (its non-selectable BCD component lies on System Reserved, outside the set), the System Writer's %SystemRoot% files are on C:",
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const options = { backend: m.backend, selection: { exclude: ['WMI Writer'] } };
      const plan = await h.vss.planBackup(['C:\\'], options);
      const asr = plan.writers.find((w) => w.name === 'ASR Writer');
      assert.equal(asr.reason, 'non-selectable-component-excluded');
      const system = plan.components.find((c) => c.path === 'System Writer:\\System Files');
      assert.equal(system.reason, 'added');
      assert.equal(plan.components.find((c) => c.path === 'WMI Writer:\\WMI').reason, 'writer-excluded');
      const set = await h.vss.createSnapshotSet(['C:\\'], options);
      try {
        assert.deepEqual(set.plan.add, plan.add);
      } finally {
        await set.complete({ succeeded: true });
      }
    },
  },
  {
    name: "addRequiredVolumes adds the volume the ASR Writer's BCD component needs, and the writer comes in; verify of a writer that would be out fails before StartSnapshotSet",
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const plan = await h.vss.planBackup(['C:\\'], { backend: m.backend, selection: {}, addRequiredVolumes: true });
      assert.equal(plan.addedVolumes.length, 1);
      assert.match(plan.addedVolumes[0], /^\\\\\?\\Volume\{c7463aba-/i);
      assert.equal(plan.writers.find((w) => w.name === 'ASR Writer').included, true);
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, selection: {}, addRequiredVolumes: true });
      try {
        assert.equal(set.snapshots.length, 2);
      } finally {
        await set.complete({ succeeded: true });
      }
      const { result, calls } = await h.vss.traceVssCalls(() =>
        h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, selection: { verify: ['ASR Writer'] } }).then(
          () => null,
          (e) => e,
        ),
      );
      assert.equal(result?.code, 'ERR_VSS_NOT_SELECTED');
      assert.ok(!calls.includes('StartSnapshotSet'), calls.join(' '));
    },
  },
  {
    name: "a writer still in another backup (waiting-for-backup-complete) cannot be selected: createSnapshotSet refuses to start (WritersBusyError, ERR_VSS_BACKUP_IN_PROGRESS, before StartSnapshotSet, nothing left) instead of succeeding without it; leaving it out is the caller's choice",
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const before = (await h.vss.listShadowCopies({ backend: m.backend })).length;
      const held = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: { include: ['Registry Writer'] } });
      try {
        const plan = await h.vss.planBackup(['C:\\'], { backend: m.backend });
        assert.deepEqual(plan.writers.filter((w) => w.reason === 'writer-busy').map((w) => w.name), ['Registry Writer']);
        const { result, calls } = await h.vss.traceVssCalls(() => h.vss.createSnapshotSet(['C:\\'], { backend: m.backend }).then(() => null, (e) => e));
        assert.equal(result?.name, 'WritersBusyError');
        assert.equal(result.code, 'ERR_VSS_BACKUP_IN_PROGRESS');
        assert.deepEqual(result.writers.map((w) => [w.name, w.state]), [['Registry Writer', 'waiting-for-backup-complete']]);
        assert.ok(!calls.includes('StartSnapshotSet'), calls.join(' '));
        assert.equal((await h.vss.listShadowCopies({ backend: m.backend })).length, before + 1);
        const without = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, selection: { exclude: ['Registry Writer'] } });
        try {
          assert.equal(without.plan.writers.find((w) => w.name === 'Registry Writer').reason, 'excluded-by-caller');
          assert.ok(without.plan.add.length > 0);
        } finally {
          await without.complete({ succeeded: true });
        }
      } finally {
        await held.complete({ succeeded: true });
      }
    },
  },
];

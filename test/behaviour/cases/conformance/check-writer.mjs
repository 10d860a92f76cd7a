// checkWriter over each backend: the simulated one on Linux, the COM backend over the
// emulated vssapi.dll under Wine. A good writer passes every rule; each broken writer
// (a fault in the machine's scenario) fails exactly its rule, whichever backend drives it.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
const fast = { timing: { timeScale: 0.01 } };
const W = 'Registry Writer';

function failed(report) {
  return report.rules.filter((r) => r.outcome === 'fail').map((r) => `${r.rule}${r.phase ? `@${r.phase}` : ''}`);
}

// [what the writer does, scenario, the rules it fails, writer, machine base]
const broken = [
  ['leaves a last error', { writers: [{ name: W, lastError: 'VSS_E_WRITERERROR_RETRYABLE', failureMessage: 'left over' }] }, ['1']],
  ['fails OnBackupShutdown, seen once the session is released (rule 1, "CVssWriter::OnBackupShutdown")', { faults: [{ writer: W, phase: 'backup-shutdown', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }, ['1']],
  ['changes its metadata between identifies (rule 2, "CVssWriter::OnIdentify")', { faults: [{ writer: W, phase: 'identify', kind: 'metadata' }] }, ['2']],
  ['skips waiting-for-backup-complete (rule 3, "VSS_WRITER_STATE")', { faults: [{ writer: W, phase: 'post-snapshot', kind: 'state', state: 'stable' }] }, ['3']],
  ['has its volume held past the 10 s flush-and-hold window (rule 4, "IVssProviderCreateSnapshotSet::CommitSnapshots")', { timing: { commitMs: 11000 } }, ['4']],
  ['hangs at freeze past the response timeout (rules 1, 3, 4, "CVssWriter::OnFreeze")', { timing: { responseTimeoutMs: 3000 }, faults: [{ writer: W, phase: 'freeze', kind: 'hang' }] }, ['1', '3', '4']],
  ['loses its backup stamp (rule 5, "IVssComponent::SetBackupStamp")', { base: 'sql-server', faults: [{ writer: 'SqlServerWriter', phase: 'post-snapshot', kind: 'no-stamp' }] }, ['5'], 'SqlServerWriter'],
  // Aborted after DoSnapshotSet it hears no Abort ("CVssWriter::OnAbort": not called after OnPostSnapshot), so its OnAbort cannot go wrong there.
  ['stays waiting-for-backup-complete after AbortBackup (rule 6, "IVssBackupComponents::AbortBackup", "CVssWriter::OnAbort")', { faults: [{ writer: W, phase: 'abort', kind: 'state', state: 'waiting-for-backup-complete' }] }, ['6@prepare-for-backup']],
  ['fails PreRestore (rule 7, "IVssBackupComponents::PreRestore")', { faults: [{ writer: W, phase: 'pre-restore', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }, ['7']],
];

export default [
  {
    name: 'check-writer: every writer of the default machine and the SQL writer pass every rule, aborted at each phase and restored',
    where: everywhere,
    async run(h) {
      for (const [base, writers] of [
        ['windows-server-2022', ['System Writer', 'Registry Writer', 'ASR Writer', 'WMI Writer', 'Shadow Copy Optimization Writer']],
        ['sql-server', ['SqlServerWriter']],
      ]) {
        const m = await h.machine({ base, ...fast });
        for (const name of writers) {
          const report = await h.vss.checkWriter(name, { backend: m.backend, abortAt: 'all', restore: true });
          assert.deepEqual(failed(report), [], `${name}: ${JSON.stringify(report.rules)}`);
          assert.equal(report.statusGathers, report.steps.filter((s) => s.after !== null).length);
        }
      }
    },
  },
  ...broken.map(([what, scenario, rules, writer = W]) => ({
    name: `check-writer: a writer that ${what} fails rule ${rules.join(', ')} and no other`,
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...scenario, timing: { ...fast.timing, ...(scenario.timing ?? {}) } });
      const report = await h.vss.checkWriter(writer, { backend: m.backend, abortAt: 'all', restore: true });
      assert.deepEqual(failed(report), rules, JSON.stringify(report.rules));
      assert.equal(report.outcome, 'fail');
    },
  })),
  {
    name: 'check-writer: a backup another requester blocks (VSS_E_SNAPSHOT_SET_IN_PROGRESS) rejects instead of passing the writer',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, faults: [{ machine: 'snapshot-set-in-progress' }] });
      await assert.rejects(h.vss.checkWriter(W, { backend: m.backend }), (e) => e.code === 'VSS_E_SNAPSHOT_SET_IN_PROGRESS');
    },
  },
  {
    name: 'check-writer: an unknown writer is VSS_E_OBJECT_NOT_FOUND naming the writers the machine has',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      await assert.rejects(h.vss.checkWriter('No Such Writer', { backend: m.backend }), (e) => e.code === 'VSS_E_OBJECT_NOT_FOUND' && e.message.includes('System Writer'));
    },
  },
];

// A writer whose event handler never returns does not hold the requester (issue 10). VSS waits for
// each writer's answer a bounded time: "Determining Writer Status" counts "an unresponsive writer
// currently processing an event" among what GatherWriterStatus finds, so the requester's call
// returns and the writer shows as failed in that phase, with VSS_E_WRITERERROR_TIMEOUT
// (GetWriterStatus's "The writer operation failed because of a time-out"). The scenario's writer
// plays the handler that hangs ('hang' fault); a subscribed CVssWriter whose handler sleeps past the
// wait is writer-probe.exe's check under Wine (the engine runs such a handler on a thread of its own).
import assert from 'node:assert/strict';

import { backupUntil, initialized, statuses } from '../../helpers.mjs';

const everywhere = ['linux', 'wine'];
const WRITER = 'Registry Writer';
// The wait for a writer, scaled: 2 s modelled, 20 ms of real time at this scale.
const machine = (phase) => ({ timing: { timeScale: 0.01, responseTimeoutMs: 2000 }, faults: [{ writer: WRITER, phase, kind: 'hang' }] });

const phases = [
  ['prepare-backup', 'prepare', 'failed-at-prepare-backup'],
  ['prepare-snapshot', 'snapshot', 'failed-at-prepare-snapshot'],
  ['freeze', 'snapshot', 'failed-at-freeze'],
  ['thaw', 'snapshot', 'failed-at-thaw'],
  ['post-snapshot', 'snapshot', 'failed-at-post-snapshot'],
  ['backup-complete', 'complete', 'failed-at-backup-complete'],
];

export default phases.map(([phase, step, state]) => ({
  name: `a writer that never answers ${phase} does not hold the requester: the call returns, the writer is ${state} with VSS_E_WRITERERROR_TIMEOUT, the others are not failed`,
  where: everywhere,
  async run(h) {
    const { session } = await initialized(h, machine(phase));
    await backupUntil(session, step);
    const all = await statuses(session);
    const w = all.find((s) => s.name === WRITER);
    assert.ok(w, `${WRITER} reports a status`);
    assert.equal(w.state, state);
    assert.equal(w.lastError?.name, 'VSS_E_WRITERERROR_TIMEOUT');
    for (const other of all.filter((s) => s.name !== WRITER)) assert.equal(other.lastError, null, other.name);
  },
}));

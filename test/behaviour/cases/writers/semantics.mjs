// Writer semantics as Microsoft documents them (issue 15): when writer selection takes effect,
// the 10-second flush-and-hold window, a writer's veto against its non-fatal failure, the
// response timeout in every phase, instances sharing a class id, every writer state kept, and
// messages that fit their situation. Each case names the page it follows. Runner-neutral.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runProcess } from '../../../helpers/run-process.mjs';
import { both, initialized, linux, observer, scenario, statuses, writerIds } from '../../helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', '..', '..', 'dist', 'cli', 'main.js');

/** Two instances of one writer class, as Exchange's writer and replica writer are on a real server. */
const exchangeClass = '76fe1ac4-15f7-4bcd-987e-8e1acb462fb7';
const exchange = {
  writers: [
    { name: 'Microsoft Exchange Writer', writerId: exchangeClass, instanceId: 'e0ad4b68-8938-4be5-9b88-4c74df2b2d65', components: [{ name: 'DB1' }] },
    { name: 'Microsoft Exchange Replica Writer', writerId: exchangeClass, instanceId: '17e8df11-a8a2-4ee3-a3fb-e552b7da2d83', components: [{ name: 'DB1' }] },
  ],
};

const allStates = [
  'unknown', 'stable', 'waiting-for-freeze', 'waiting-for-thaw', 'waiting-for-post-snapshot', 'waiting-for-backup-complete',
  'failed-at-identify', 'failed-at-prepare-backup', 'failed-at-prepare-snapshot', 'failed-at-freeze', 'failed-at-thaw',
  'failed-at-post-snapshot', 'failed-at-backup-complete', 'failed-at-pre-restore', 'failed-at-post-restore', 'failed-at-backup-shutdown',
];

/** A backup session that has added C:\ and called PrepareForBackup. */
async function prepared(h, machineScenario) {
  const { m, session } = await initialized(h, machineScenario);
  await session.gatherWriterMetadata();
  await session.startSnapshotSet();
  await session.addToSnapshotSet('C:\\');
  await session.prepareForBackup();
  return { m, session };
}

export default [
  {
    // IVssBackupComponents::DisableWriterClasses (Remarks): called after GatherWriterMetadata it has no effect;
    // names are resolved from a different IVssBackupComponents. An excluded writer hears no event, Identify included.
    name: 'createSnapshotSet with writers.exclude disables the writer before the backup gathers metadata: it hears no Identify, and its failure cannot fail the backup (DisableWriterClasses)',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ writer: 'WMI Writer', phase: 'freeze', kind: 'veto', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }));
      // Had the exclusion come after GatherWriterMetadata, the WMI Writer would take part and veto the freeze.
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: { exclude: ['wmi writer'] } });
      assert.ok(set.snapshotFor('C:\\').snapshotId);
      const during = await statuses(await observer(h, m));
      assert.equal(during.find((w) => w.name === 'WMI Writer').state, 'stable', 'the excluded writer heard nothing');
      assert.equal(during.find((w) => w.name === 'Registry Writer').state, 'waiting-for-backup-complete');
      await set.complete({ succeeded: true });
    },
  },
  {
    // DisableWriterInstances: instances of one class are excluded one by one (Exchange's replica writer).
    name: 'writers.exclude or include by name with two instances of one class selects that instance only (DisableWriterInstances, EnableWriterClasses)',
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({ ...exchange, faults: [{ writer: 'Microsoft Exchange Replica Writer', phase: 'prepare-snapshot', kind: 'veto', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }),
      );
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: { exclude: ['Microsoft Exchange Replica Writer'] } });
      const watcher = await observer(h, m);
      const during = await statuses(watcher);
      assert.equal(during.find((w) => w.name === 'Microsoft Exchange Writer').state, 'waiting-for-backup-complete', 'the other instance takes part');
      assert.equal(during.find((w) => w.name === 'Microsoft Exchange Replica Writer').state, 'stable');
      await set.complete({ succeeded: true });
      // Including one instance: its class is enabled and the other instance disabled.
      const only = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: { include: ['Microsoft Exchange Writer'] } });
      const busy = (await statuses(await observer(h, m))).filter((w) => w.state !== 'stable').map((w) => w.name);
      assert.deepEqual(busy, ['Microsoft Exchange Writer']);
      await only.complete({ succeeded: true });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: { include: [] } }), { code: 'ERR_INVALID_ARG_VALUE' });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: { exclude: ['No Such Writer'] } }), {
        code: 'ERR_INVALID_ARG_VALUE',
        message: /options\.writers\.exclude\[0\].*Microsoft Exchange Replica Writer/s,
      });
    },
  },
  {
    // IVssBackupComponents::GetWriterStatus and IVssExamineWriterMetadata::GetIdentity give each writer a class id
    // (pidWriter / pidClass) and an instance id (pidInstance); vssadmin-list-writers-exchange2010-w2008r2-stable.txt
    // lists two writers with one Writer Id and two Writer Instance Ids. Instances are told apart by instance id.
    name: 'two writers sharing a writerId with different instance ids stay two writers, in a scenario and through scenarioFromWriterMetadata',
    where: both,
    async run(h) {
      const m = await h.machine(scenario(exchange));
      const listed = (await h.vss.listWriters({ backend: m.backend })).filter((w) => w.writerId === exchangeClass);
      assert.deepEqual(listed.map((w) => w.instanceId).sort(), exchange.writers.map((w) => w.instanceId).sort());
      const xmls = (await h.vss.getWriterMetadata({ backend: m.backend })).filter((w) => w.writerId === exchangeClass).map((w) => w.xml);
      assert.equal(xmls.length, 2);
      const again = await h.machine({ ...h.vss.scenarioFromWriterMetadata(xmls), timing: { timeScale: 0.01 } });
      const rebuilt = await h.vss.listWriters({ backend: again.backend });
      assert.deepEqual(rebuilt.map((w) => w.name).sort(), ['Microsoft Exchange Replica Writer', 'Microsoft Exchange Writer']);
      // A change naming one instance changes that instance only.
      await again.configure({ writers: [{ writerId: exchangeClass, instanceId: exchange.writers[1].instanceId, state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      const changed = await h.vss.listWriters({ backend: again.backend });
      assert.deepEqual(changed.map((w) => [w.name, w.state]).sort(), [['Microsoft Exchange Replica Writer', 'failed-at-freeze'], ['Microsoft Exchange Writer', 'stable']]);
    },
  },
  {
    // DoSnapshotSet and CommitSnapshots pages: VSS_E_HOLD_WRITES_TIMEOUT; KB 975688: "VSS gives providers 10 seconds to
    // block I/O requests and to create a snapshot" and returns the error past it. The set is aborted: writers thawed.
    name: 'a provider commit longer than 10 seconds fails DoSnapshotSet with VSS_E_HOLD_WRITES_TIMEOUT, no shadow copy, writers thawed; 9 seconds is within the window',
    where: both,
    async run(h) {
      for (const commitMs of [12_000, 70_000]) {
        const { m, session } = await prepared(h, { timing: { timeScale: 0.001, commitMs } });
        await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_HOLD_WRITES_TIMEOUT', operation: 'DoSnapshotSet' });
        assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), [], `${commitMs} ms`);
        const after = await statuses(await observer(h, m));
        // The writers' own 60-second freeze timeouts never come into it: VSS gave up at 10 s.
        assert.ok(after.every((w) => w.state === 'stable' && w.lastError === null), `${commitMs} ms: ${after.map((w) => `${w.name}=${w.state}`).join()}`);
      }
      const { m, session } = await prepared(h, { timing: { timeScale: 0.001, commitMs: 9_000 } });
      await session.doSnapshotSet();
      assert.equal((await h.vss.listShadowCopies({ backend: m.backend })).length, 1);
      await session.backupComplete();
    },
  },
  {
    // IOCTL_VOLSNAP_FLUSH_AND_HOLD_WRITES: the file system first flushes the volume, then holds its writes; the one
    // 10-second window (CommitSnapshots, KB 975688) covers both. DoSnapshotSet's page: VSS_E_FLUSH_WRITES_TIMEOUT
    // "unable to flush I/O writes", VSS_E_HOLD_WRITES_TIMEOUT "unable to hold I/O writes"; VolSnap events 9 and 8
    // (TechNet dd364896) tell the flush timing out from the hold. Rows: WINDOW in native/sim/method_rules.inc.
    name: 'a flush longer than the 10-second flush-and-hold window fails DoSnapshotSet with VSS_E_FLUSH_WRITES_TIMEOUT (not HOLD), the set aborted and no shadow copy left; flush plus commit past 10 s is VSS_E_HOLD_WRITES_TIMEOUT; both inside it make the set',
    where: both,
    async run(h) {
      // With the events each logs: VolSnap 9 (flush: "waiting for file system cleanup"); VolSnap 8 ("waiting for a
      // release writes command") and VSS 12298 ("I/O writes cannot be held", kb.msp360.com's quote) for the hold.
      const rows = [
        [{ flushMs: 10_500, commitMs: 100 }, 'VSS_E_FLUSH_WRITES_TIMEOUT', ['VolSnap 9']],
        [{ flushMs: 70_000, commitMs: 70_000 }, 'VSS_E_FLUSH_WRITES_TIMEOUT', ['VolSnap 9']],
        [{ flushMs: 6_000, commitMs: 5_000 }, 'VSS_E_HOLD_WRITES_TIMEOUT', ['VSS 12298', 'VolSnap 8']],
      ];
      for (const [timing, code, logged] of rows) {
        const { m, session } = await prepared(h, { timing: { timeScale: 0.001, ...timing } });
        await assert.rejects(session.doSnapshotSet(), (e) => e.code === code && e.operation === 'DoSnapshotSet', JSON.stringify(timing));
        assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), [], JSON.stringify(timing));
        const events = (await h.vss.readVssEvents({ backend: m.backend, ids: [8, 9, 12298] })).filter((e) => e.provider === 'VolSnap' || e.provider === 'VSS');
        assert.deepEqual(events.map((e) => `${e.provider} ${e.eventId}`).sort(), logged, JSON.stringify(timing));
        assert.ok(events.every((e) => /C:/.test(e.message) || /Volume\{/.test(e.message)), events.map((e) => e.message).join('\n'));
        const after = await statuses(await observer(h, m));
        // The set was aborted: every writer thawed and heard Abort, none failed by the window.
        assert.ok(after.every((w) => w.state === 'stable' && w.lastError === null), `${JSON.stringify(timing)}: ${after.map((w) => `${w.name}=${w.state}`).join()}`);
        // The machine's one snapshot set slot is free again: another backup can start.
        const next = await h.session({ backend: m.backend });
        await next.initializeForBackup();
        await next.gatherWriterMetadata();
        await next.startSnapshotSet();
      }
      const { m, session } = await prepared(h, { timing: { timeScale: 0.001, flushMs: 4_000, commitMs: 5_500 } });
      await session.doSnapshotSet();
      assert.equal((await h.vss.listShadowCopies({ backend: m.backend })).length, 1);
      await session.backupComplete();
    },
  },
  {
    // CVssWriter::OnFreeze / OnPrepareSnapshot / OnThaw: a fatal error is SetWriterFailure and return false, which vetoes
    // the shadow copy and generates Abort ("Aborting VSS Operations"); a non-fatal one is SetWriterFailure and return true.
    // "Aborting VSS Operations": Abort events come from the requester's AbortBackup, a writer failing Freeze or
    // Thaw, or a provider/VSS failure; "Failure to handle PrepareForSnapshot and PostSnapshot events does not
    // generate an Abort event", and a requester whose DoSnapshotSet failed "should still call AbortBackup".
    // CVssWriter::OnPrepareSnapshot: the handler can "veto a shadow copy" (none is made).
    name: 'a writer veto in prepare-snapshot, freeze or thaw fails DoSnapshotSet with its error and leaves no shadow copy; VSS aborts after a freeze or thaw veto, after a prepare-snapshot veto ("Aborting VSS Operations": no Abort event) the others wait for freeze until AbortBackup; a non-fatal failure leaves the set made and the writer failed',
    where: both,
    async run(h) {
      for (const phase of ['prepare-snapshot', 'freeze', 'thaw']) {
        const { m, session } = await prepared(h, scenario({ faults: [{ writer: 'Registry Writer', phase, kind: 'veto', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }));
        // Through COM the HRESULT is all VSS returns; the engine's own detail names the writer.
        await assert.rejects(session.doSnapshotSet(), (e) => e.code === 'VSS_E_WRITERERROR_NONRETRYABLE' && (h.where !== 'linux' || /Registry Writer vetoed/.test(e.message)), phase);
        assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), [], phase);
        // The requester's own view (GatherWriterStatus on the failed session) and another session's agree.
        for (const after of [await statuses(session), await statuses(await observer(h, m))]) {
          const registry = after.find((w) => w.name === 'Registry Writer');
          assert.deepEqual([registry.state, registry.lastError?.name], [`failed-at-${phase}`, 'VSS_E_WRITERERROR_NONRETRYABLE'], phase);
          const others = after.filter((w) => w.name !== 'Registry Writer').map((w) => w.state);
          const expected = phase === 'prepare-snapshot' ? 'waiting-for-freeze' : 'stable';
          assert.ok(others.length > 0 && others.every((s) => s === expected), `${phase}: ${others.join()}`);
        }
        // No set is in creation any more: another requester can start one at once.
        const next = await observer(h, m);
        await next.startSnapshotSet();
        await next.abortBackup();
        // The requester's AbortBackup: after a prepare-snapshot veto it is the Abort the others hear.
        await session.abortBackup();
        const ended = await statuses(session);
        assert.equal(ended.find((w) => w.name === 'Registry Writer').state, `failed-at-${phase}`, phase);
        assert.ok(ended.filter((w) => w.name !== 'Registry Writer').every((w) => w.state === 'stable'), `${phase}: the others are stable after AbortBackup`);
        await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
      }
      const { m, session } = await prepared(h, scenario({ faults: [{ writer: 'Registry Writer', phase: 'freeze', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      await session.doSnapshotSet();
      assert.equal((await h.vss.listShadowCopies({ backend: m.backend })).length, 1);
      const registry = (await statuses(session)).find((w) => w.name === 'Registry Writer');
      assert.deepEqual([registry.state, registry.lastError?.name], ['failed-at-freeze', 'VSS_E_WRITERERROR_RETRYABLE']);
    },
  },
  {
    // "Writer Errors and Vetoes" and CVssWriter::SetWriterFailure: a writer reports one of the VSS_E_WRITERERROR_* codes;
    // the application's own error is SetWriterFailureEx's hrApplication.
    name: "a fault's error must be a writer error (VSS_E_WRITERERROR_*), and only prepare-snapshot, freeze and thaw take a veto: others are refused with a message saying so",
    where: linux,
    async run(h) {
      const refused = [
        ...['E_ACCESSDENIED', 'VSS_E_BAD_STATE', 0x80070005].map((error) => [
          { writer: 'WMI Writer', phase: 'freeze', error },
          /faults\[0\]\.error: a writer fails with a VSS_E_WRITERERROR_\*.*applicationError/,
        ]),
        // CVssWriter::OnPrepareSnapshot, OnFreeze and OnThaw are the handlers that veto the shadow copy.
        [{ writer: 'WMI Writer', phase: 'post-snapshot', kind: 'veto', error: 'VSS_E_WRITERERROR_RETRYABLE' }, /faults\[0\]\.kind: .*only in prepare-snapshot, freeze or thaw/],
      ];
      const m = await h.machine(scenario());
      for (const [fault, message] of refused) {
        // A refused scenario is a TypeError (issue 9 item 12), naming the fault.
        await assert.rejects(m.configure({ faults: [fault] }), (e) => e instanceof TypeError && message.test(e.message), String(message));
        assert.throws(() => h.vss.createSimulator({ faults: [fault] }), (e) => e instanceof TypeError && message.test(e.message), String(message));
      }
      // PARTIAL_FAILURE needs the components that failed (writers/partial-failure.mjs); the others take an application error.
      h.vss.createSimulator({ faults: [{ writer: 'WMI Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', applicationError: 'E_ACCESSDENIED' }] });
    },
  },
  {
    // IVssBackupComponents: VSS waits for each writer at most its response time in every event, not only at freeze;
    // a writer that answers later fails with VSS_E_WRITERERROR_TIMEOUT in that phase.
    name: 'a writer slower than the response timeout fails in whichever phase it is slow, with VSS_E_WRITERERROR_TIMEOUT',
    where: both,
    async run(h) {
      for (const phase of ['prepare-backup', 'prepare-snapshot', 'thaw', 'post-snapshot', 'backup-complete']) {
        const { session } = await initialized(
          h,
          { timing: { timeScale: 0.001, responseTimeoutMs: 5_000 }, faults: [{ writer: 'Registry Writer', phase, kind: 'slow', delayMs: 60_000 }] },
        );
        await session.gatherWriterMetadata();
        await session.startSnapshotSet();
        await session.addToSnapshotSet('C:\\');
        await session.prepareForBackup();
        await session.doSnapshotSet();
        await session.backupComplete();
        const registry = (await statuses(session)).find((w) => w.name === 'Registry Writer');
        assert.deepEqual([registry.state, registry.lastError?.name], [`failed-at-${phase}`, 'VSS_E_WRITERERROR_TIMEOUT'], phase);
      }
    },
  },
  {
    // VSS_WRITER_STATE: a scenario may start a writer in any state, and listing the writers gives that state back
    // (a writer failing Identify keeps failing it, "Determining Writer Status").
    name: 'every VSS_WRITER_STATE a scenario gives a writer comes back from listWriters, failed-at-identify included',
    where: both,
    async run(h) {
      for (const state of allStates) {
        const m = await h.machine(scenario({ writers: [{ name: 'WMI Writer', state, lastError: state.startsWith('failed') ? 'VSS_E_WRITERERROR_RETRYABLE' : null }] }));
        const wmi = (await h.vss.listWriters({ backend: m.backend })).find((w) => w.name === 'WMI Writer');
        assert.equal(wmi.state, state);
        assert.equal(wmi.stateCode, allStates.indexOf(state));
      }
      // failed-at-identify: the writer gives no metadata while it keeps failing.
      const { session } = await initialized(h, scenario({ writers: [{ name: 'WMI Writer', state: 'failed-at-identify', lastError: 'VSS_E_WRITERERROR_OUTOFRESOURCES' }] }));
      await session.gatherWriterMetadata();
      assert.ok(!(await session.getWriterMetadata()).some((w) => w.name === 'WMI Writer'));
      const wmi = (await statuses(session)).find((w) => w.name === 'WMI Writer');
      assert.deepEqual([wmi.state, wmi.lastError?.name], ['failed-at-identify', 'VSS_E_WRITERERROR_OUTOFRESOURCES']);
    },
  },
  {
    // StartSnapshotSet (VSS_E_SNAPSHOT_SET_IN_PROGRESS), PostRestore and AddComponent (VSS_E_OBJECT_ALREADY_EXISTS):
    // each message describes the situation the caller is in.
    name: 'messages fit their situation: a second StartSnapshotSet in one session, a second PostRestore, a repeated AddComponent',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario({ base: 'sql-server' }));
      await session.gatherWriterMetadata();
      const sql = (await session.getWriterMetadata()).find((w) => w.writerId === writerIds.sql);
      const c = sql.components.find((x) => x.name === 'SalesDb');
      const ref = { writerId: sql.writerId, instanceId: sql.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name };
      await session.addComponent(ref);
      await assert.rejects(session.addComponent(ref), (e) => e.code === 'VSS_E_OBJECT_ALREADY_EXISTS' && !/volume/i.test(e.message) && /SalesDb/.test(e.message));
      await session.startSnapshotSet();
      await assert.rejects(session.startSnapshotSet(), (e) => {
        assert.equal(e.code, 'VSS_E_SNAPSHOT_SET_IN_PROGRESS');
        // The meaning fits both situations (it said "Another snapshot set" again after a merge; /i so that cannot pass).
        assert.doesNotMatch(e.message, /another snapshot set|another requester/i);
        // The engine's detail says which situation this is; through COM only the HRESULT's meaning is there.
        // The remedy fits too: waiting or retrying cannot help a second set in one session (found cold:
        // it said "wait and retry"). Through COM only the HRESULT is known, so the general remedy stays.
        if (h.where === 'linux') {
          assert.match(e.message, /this session is already creating a snapshot set/);
          assert.match(e.remedy, /This session started its snapshot set already/);
          assert.doesNotMatch(e.remedy, /retry/);
        } else assert.match(e.remedy, /vss create takes --retry/);
        return true;
      });
      await session.addToSnapshotSet('E:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      await session.backupComplete();
      const restore = await h.session({ backend: m.backend });
      await restore.initializeForRestore(await session.saveAsXml());
      await restore.gatherWriterMetadata();
      await restore.setSelectedForRestore(ref, true);
      await restore.preRestore();
      await restore.postRestore();
      await assert.rejects(
        restore.postRestore(),
        (e) => e.code === 'VSS_E_BAD_STATE' && !/must come first/.test(e.message) && (h.where !== 'linux' || /PostRestore was already called/.test(e.message)),
      );
    },
  },
  {
    // README exit codes (3: a writer failed) and "Determining Writer Status": vssadmin list writers prints "[7] Failed";
    // the in-box System, Registry and COM+ REGDB writers are on every Windows, so none answering is VSS failing.
    name: 'vss writers, run on this machine: [n] state as vssadmin numbers it, exit 3 with a failed writer, with no writers at all, and with an in-box writer missing; exit 0 when all are stable',
    where: both,
    async run(h) {
      const failed = await h.machine(scenario({ writers: [{ name: 'WMI Writer', state: 'failed-at-prepare-backup', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      const listed = await failed.cli(['writers']);
      assert.equal(listed.code, 3, listed.stderr);
      assert.match(listed.stdout, /^WMI Writer\s+\[7\] failed-at-prepare-backup\s+VSS_E_WRITERERROR_RETRYABLE$/m);
      assert.match(listed.stdout, /^System Writer\s+\[1\] stable\s+none$/m);
      const none = await (await h.machine(scenario({ base: 'empty' }))).cli(['writers']);
      assert.deepEqual([none.code, none.stdout.trim()], [3, 'no writers'], none.stderr);
      assert.match(none.stderr, /no VSS writers answered/);
      const json = await (await h.machine(scenario({ base: 'empty' }))).cli(['writers', '--json']);
      assert.deepEqual([json.code, JSON.parse(json.stdout)], [3, []]);
      const noSystem = await (await h.machine(scenario({ writers: [{ name: 'System Writer', remove: true }] }))).cli(['writers']);
      assert.equal(noSystem.code, 3, noSystem.stderr);
      assert.match(noSystem.stderr, /in-box writer missing: System Writer/);
      const fine = await (await h.machine(scenario())).cli(['writers']);
      assert.deepEqual([fine.code, fine.stderr], [0, '']);
      // The command's help says the same as this case and the README's exit codes.
      const help = await (await h.machine(scenario())).cli(['writers', '--help']);
      assert.match(help.stdout.replace(/\s+/g, ' '), /3 a writer failed or has a last error, no writer answered, or an in-box writer \(System, Registry, COM\+ REGDB\) is missing/);
    },
  },
  {
    name: 'vss create --exclude-writer calls DisableWriterClasses before the backup session gathers writer metadata (NODE_DEBUG=vss)',
    where: linux,
    async run() {
      const run = await runProcess(process.execPath, [cli, 'create', 'C:\\', '--simulate', '--exclude-writer', 'WMI Writer', '--json'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NODE_DEBUG: 'vss' },
      });
      assert.equal(run.status, 0, run.stderr);
      const calls = [...run.stderr.matchAll(/^VSS \d+: (\w+) ->/gm)].map((x) => x[1]);
      const disable = calls.indexOf('DisableWriterClasses');
      assert.ok(disable > 0, calls.join(' '));
      // The name lookup's own session gathers and is released first; the backup's first GatherWriterMetadata follows the exclusion.
      const lookupEnds = calls.indexOf('Release');
      assert.ok(lookupEnds > 0 && lookupEnds < disable, calls.join(' '));
      assert.ok(calls.indexOf('GatherWriterMetadata', lookupEnds) > disable, calls.join(' '));
      const both = await runProcess(process.execPath, [cli, 'create', 'C:\\', '--simulate', '--exclude-writer', 'WMI Writer', '--no-writers'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(both.status, 2);
      assert.match(both.stderr, /--no-writers and --exclude-writer contradict/);
    },
  },
  {
    name: 'vss writers shows [number] state as vssadmin does and exits 3 when a writer failed; vss health is not OK with no writers, an in-box writer missing, or a set in progress',
    where: linux,
    async run(h) {
      const { writeFile } = await import('node:fs/promises');
      const dir = await h.tempDir();
      const file = async (name, s) => {
        const path = join(dir, name);
        await writeFile(path, JSON.stringify({ timing: { timeScale: 0.01 }, ...s }));
        return path;
      };
      const run = (...args) => runProcess(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
      const failed = await file('failed.json', { writers: [{ name: 'WMI Writer', state: 'failed-at-prepare-backup', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      const writers = await run('writers', `--simulate=${failed}`);
      assert.equal(writers.status, 3, writers.stderr);
      assert.match(writers.stdout, /^WMI Writer\s+\[7\] failed-at-prepare-backup\s+VSS_E_WRITERERROR_RETRYABLE$/m);
      assert.match(writers.stdout, /^System Writer\s+\[1\] stable\s+none$/m);
      assert.equal((await run('writers', '--simulate')).status, 0);

      const empty = await run('health', '--simulate=empty', '--nagios');
      assert.equal(empty.status, 2);
      assert.match(empty.stdout.trim(), /^VSS CRITICAL - no VSS writers answered \| writers=0;/);
      const noSystem = await run('health', `--simulate=${await file('nosystem.json', { writers: [{ name: 'System Writer', remove: true }] })}`);
      assert.equal(noSystem.status, 3);
      assert.match(noSystem.stdout, /^VSS CRITICAL - .*in-box writer System Writer is missing/m);
      const busy = await run('health', `--simulate=${await file('busy.json', { faults: [{ machine: 'snapshot-set-in-progress' }] })}`, '--json');
      assert.equal(busy.status, 3);
      const report = JSON.parse(busy.stdout);
      assert.deepEqual([report.status, report.snapshotSetInProgress, report.healthy], ['WARNING', true, false]);
      // The summary names it (it was empty), and exitCode is what the command exited with; the plugin's is nagiosExitCode.
      assert.match(report.summary, /another requester is creating a snapshot set/);
      assert.deepEqual([report.exitCode, report.nagiosExitCode], [3, 1]);
      const busyNagios = await run('health', `--simulate=${await file('busy3.json', { faults: [{ machine: 'snapshot-set-in-progress' }] })}`, '--nagios');
      assert.equal(busyNagios.status, 1);
      assert.match(busyNagios.stdout, /^VSS WARNING - another requester is creating a snapshot set \| /);
      const ok = JSON.parse((await run('health', '--simulate', '--json')).stdout);
      assert.deepEqual([ok.status, ok.snapshotSetInProgress, ok.missingInBoxWriters], ['OK', false, []]);
      // The remedy's option exists: vss create --retry gives up after its attempts with the in-progress error.
      const retried = await run('create', 'C:\\', `--simulate=${await file('busy2.json', { faults: [{ machine: 'snapshot-set-in-progress' }] })}`, '--retry', '2');
      assert.equal(retried.status, 1);
      assert.match(retried.stderr, /VSS_E_SNAPSHOT_SET_IN_PROGRESS/);
    },
  },
];

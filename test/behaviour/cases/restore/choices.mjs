// The restore-time choices a requester makes before PreRestore (issue 10, "Restore, complete"):
// SetRestoreState ("IVssBackupComponents::SetRestoreState": before PreRestore), AddNewTarget,
// and IVssBackupComponentsEx2's SetAuthoritativeRestore, SetRestoreName, SetRollForward. The
// writer reads them from its component (IVssComponent::GetNewTarget, IVssComponentEx), and the
// Backup Components Document SaveAsXML writes carries them to the next session. Then the
// high-level restore(), VShadow's -r sequence (shadow.cpp): PreRestore, the caller's copy,
// SetFileRestoreStatus, PostRestore, writer status.
import assert from 'node:assert/strict';

import { backedUp, both, fast, sqlMachine, writerIds } from '../../helpers.mjs';

async function restoring(h, bcd) {
  const m = await h.machine(sqlMachine());
  const session = await h.session({ backend: m.backend });
  await session.initializeForRestore(bcd);
  await session.gatherWriterMetadata();
  return { m, session };
}

const component = async (session, name) => (await session.getWriterComponents()).flatMap((w) => w.components).find((c) => c.name === name);

export default [
  {
    name: 'SetRestoreState, AddNewTarget, SetAuthoritativeRestore, SetRestoreName and SetRollForward reach the component the writer reads, and the saved document carries them to a new session',
    where: both,
    async run(h) {
      const { bcd, refs } = await backedUp(h);
      const [master, sales] = refs;
      const { m, session } = await restoring(h, bcd);
      await session.setRestoreState('by-copy');
      await session.setSelectedForRestore(sales, true);
      await session.addNewTarget(sales, { path: 'F:\\SQL\\Data', filespec: 'SalesDb.mdf', alternatePath: 'G:\\Restored' });
      await session.addNewTarget(sales, { path: 'F:\\SQL\\Logs', filespec: '*.ldf', recursive: true, alternatePath: 'G:\\Restored\\Logs' });
      await session.setAuthoritativeRestore(sales, true);
      await session.setRestoreName(sales, 'SalesDb_Restored');
      await session.setRollForward(sales, 'partial', '2024-05-01T12:00:00');
      await session.setRollForward(master, 'all');
      const expected = {
        authoritativeRestore: true,
        restoreName: 'SalesDb_Restored',
        rollForward: 'partial',
        rollForwardPoint: '2024-05-01T12:00:00',
        newTargets: [
          { path: 'F:\\SQL\\Data', filespec: 'SalesDb.mdf', recursive: false, alternatePath: 'G:\\Restored' },
          { path: 'F:\\SQL\\Logs', filespec: '*.ldf', recursive: true, alternatePath: 'G:\\Restored\\Logs' },
        ],
      };
      const pick = (c) => ({ authoritativeRestore: c.authoritativeRestore, restoreName: c.restoreName, rollForward: c.rollForward, rollForwardPoint: c.rollForwardPoint, newTargets: c.newTargets });
      assert.deepEqual(pick(await component(session, 'SalesDb')), expected);
      const other = await component(session, 'master');
      assert.deepEqual([other.rollForward, other.rollForwardPoint, other.authoritativeRestore, other.newTargets], ['all', '', false, []]);
      // What the writers read from the document: the next requester initialized with it sees the same.
      const saved = await session.saveAsXml();
      const next = await h.session({ backend: m.backend });
      await next.initializeForRestore(saved);
      assert.deepEqual(pick(await component(next, 'SalesDb')), expected);
      await session.preRestore();
      // Every one of them is a before-PreRestore choice (method_rules.inc).
      await assert.rejects(session.setRestoreState('other'), { code: 'VSS_E_BAD_STATE', operation: 'SetRestoreState' });
      await assert.rejects(session.setRestoreName(sales, 'x'), { code: 'VSS_E_BAD_STATE', operation: 'SetRestoreName' });
      await assert.rejects(session.addNewTarget(sales, { path: 'a', filespec: 'b', alternatePath: 'c' }), { code: 'VSS_E_BAD_STATE', operation: 'AddNewTarget' });
    },
  },
  {
    // What a writer sets on its component while handling an event (IVssComponent::SetBackupStamp and
    // SetBackupMetadata, IVssComponentEx::SetPrepareForBackupFailureMsg and SetPostSnapshotFailureMsg,
    // IVssComponent::SetPreRestoreFailureMsg and SetPostRestoreFailureMsg) lives in the Backup Components
    // Document: "Requesters merely store the backup stamp in the Backup Components Document"
    // (SetBackupStamp), and GetPrepareForBackupFailureMsg / GetPostSnapshotFailureMsg are for "both writers
    // and requesters". So a session initialized with such a document writes it all again. The attribute
    // names of the two IVssComponentEx messages are the engine's own (no captured document holds them).
    name: 'what a writer set on a component (backup stamp, backup metadata, the four failure messages) is kept by a session initialized with the document and written again by SaveAsXML',
    where: both,
    async run(h) {
      const { bcd } = await backedUp(h);
      const stamp = /componentName="SalesDb"[^>]*backupStamp="([^"]+)"/.exec(bcd)?.[1];
      assert.ok(stamp, 'the SQL writer stamped SalesDb in PostSnapshot');
      const set = ' prepareForBackupFailureMsg="prepare &amp; note" postSnapshotFailureMsg="post note" preRestoreFailureMsg="pre note" postRestoreFailureMsg="after note"';
      const marked = bcd.replace(/(<COMPONENT [^>]*componentName="SalesDb"[^>]*?)(\/?)>/, (_all, head, closed) =>
        `${head}${set}><BACKUP_METADATA metadata="private-1"/>${closed ? '</COMPONENT>' : ''}`);
      assert.notEqual(marked, bcd);
      const m = await h.machine(sqlMachine());
      const session = await h.session({ backend: m.backend });
      await session.initializeForRestore(marked);
      const saved = await session.saveAsXml();
      const salesDb = /<COMPONENT [^>]*componentName="SalesDb"[\s\S]*?(?:\/>|<\/COMPONENT>)/.exec(saved)?.[0] ?? '';
      for (const part of [`backupStamp="${stamp}"`, 'prepareForBackupFailureMsg="prepare &amp; note"', 'postSnapshotFailureMsg="post note"',
        'preRestoreFailureMsg="pre note"', 'postRestoreFailureMsg="after note"', '<BACKUP_METADATA metadata="private-1"/>'])
        assert.ok(salesDb.includes(part), `${part} in ${salesDb}`);
      // The other component carries none of them.
      const master = /<COMPONENT [^>]*componentName="master"[^>]*>/.exec(saved)?.[0] ?? '';
      assert.ok(master && !/FailureMsg/.test(master), master);
    },
  },
  {
    name: 'restore-time choices are refused in a backup (VSS_E_BAD_STATE), for a component the document lacks (VSS_E_OBJECT_NOT_FOUND), and a partial roll-forward without its point (E_INVALIDARG)',
    where: both,
    async run(h) {
      const { bcd, refs } = await backedUp(h);
      const [, sales] = refs;
      const m = await h.machine(sqlMachine());
      const backup = await h.session({ backend: m.backend });
      await backup.initializeForBackup();
      await assert.rejects(backup.setRestoreState('by-copy'), { code: 'VSS_E_BAD_STATE', operation: 'SetRestoreState' });
      await assert.rejects(backup.setAuthoritativeRestore(sales, true), { code: 'VSS_E_BAD_STATE', operation: 'SetAuthoritativeRestore' });
      const { session } = await restoring(h, bcd);
      const missing = { ...sales, name: 'NoSuchDb' };
      await assert.rejects(session.setRestoreName(missing, 'x'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'SetRestoreName' });
      await assert.rejects(session.addNewTarget(missing, { path: 'a', filespec: 'b', alternatePath: 'c' }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.setRollForward(sales, 'partial'), { code: 'E_INVALIDARG', operation: 'SetRollForward' });
      await assert.rejects(session.setRollForward(sales, 'sideways'), { code: 'ERR_INVALID_ARG_VALUE' });
      await assert.rejects(session.setRestoreState('unknown'), { code: 'ERR_INVALID_ARG_VALUE' });
    },
  },
  {
    name: "restore(document) runs VShadow's -r sequence: PreRestore, the copy step, SetFileRestoreStatus('all'), PostRestore, and answers the restored writers' status",
    where: both,
    async run(h) {
      const { bcd } = await backedUp(h);
      const m = await h.machine(sqlMachine());
      const seen = [];
      const { result, calls } = await h.vss.traceVssCalls(() =>
        h.vss.restore(bcd, {
          backend: m.backend,
          components: ['SalesDb'],
          restoreType: 'by-copy',
          copy: ({ components }) => {
            seen.push(components.map((c) => c.name));
          },
        }),
      );
      assert.deepEqual(seen, [['SalesDb']]);
      assert.equal(result.fileRestoreStatus, 'all');
      assert.deepEqual(result.components.map((c) => c.name), ['SalesDb']);
      assert.deepEqual(result.writers.map((w) => [w.name, w.state]), [['SqlServerWriter', 'stable']]);
      // The copy step ran after PreRestore and before SetFileRestoreStatus (the exact list: sequence/round-trips).
      assert.ok(calls.indexOf('PreRestore') < calls.indexOf('SetFileRestoreStatus'));
    },
  },
  {
    name: "restore(document) whose copy step throws tells the writers the files failed, still runs PostRestore, and rejects with the copy's error; a component the document lacks is ERR_INVALID_ARG_VALUE",
    where: both,
    async run(h) {
      const { bcd } = await backedUp(h);
      const m = await h.machine(sqlMachine());
      const boom = new Error('disk full');
      const { calls } = await h.vss.traceVssCalls(() =>
        h.vss.restore(bcd, { backend: m.backend, copy: () => Promise.reject(boom) }).then(
          () => assert.fail('restore resolved'),
          (e) => assert.equal(e, boom),
        ),
      );
      assert.deepEqual(calls.slice(calls.indexOf('PreRestore')), ['PreRestore', 'GetWriterComponents', 'SetFileRestoreStatus', 'SetFileRestoreStatus', 'PostRestore', 'Release']);
      await assert.rejects(h.vss.restore(bcd, { backend: m.backend, components: ['NoSuchDb'] }), { code: 'ERR_INVALID_ARG_VALUE' });
      await assert.rejects(h.vss.restore('<not a document/>', { backend: m.backend }), { code: 'VSS_E_INVALID_XML_DOCUMENT' });
    },
  },
  {
    // cold8 F14. PreRestore and PostRestore reach only the writers on the machine; VSS says nothing of a
    // writer of the document that is absent. "Restores without Writer Participation": with a VSS writer
    // missing, "the backup operation must determine whether it is desirable to restore files for the
    // missing writers". restore() decides nothing silently: it refuses before PreRestore unless asked.
    name: 'restore(document) whose components belong to a writer absent from the machine is refused before SetSelectedForRestore (ERR_VSS_WRITER_MISSING, the writer and its components named); allowMissingWriters restores and names it in missingWriters',
    where: both,
    async run(h) {
      const { bcd } = await backedUp(h);
      const m = await h.machine(fast); // the default machine: no SqlServerWriter
      const copied = [];
      const { result: refusal, calls } = await h.vss.traceVssCalls(() =>
        h.vss.restore(bcd, { backend: m.backend, copy: ({ components }) => copied.push(components.length) }).then(() => null, (e) => e),
      );
      assert.ok(refusal instanceof h.vss.VssMissingWritersError, String(refusal));
      assert.equal(refusal.code, 'ERR_VSS_WRITER_MISSING');
      assert.deepEqual(refusal.writers.map((w) => [w.writerId, w.name, w.components]), [[writerIds.sql, 'SqlServerWriter', ['SQL01\\master', 'SQL01\\SalesDb']]]);
      assert.match(refusal.message, /SqlServerWriter .*SQL01\\master, SQL01\\SalesDb/);
      assert.deepEqual(copied, []);
      for (const call of ['SetSelectedForRestore', 'PreRestore', 'PostRestore']) assert.ok(!calls.includes(call), `${call} was called`);
      const result = await h.vss.restore(bcd, { backend: m.backend, allowMissingWriters: true, copy: ({ components }) => copied.push(components.length) });
      assert.deepEqual(copied, [2]);
      assert.equal(result.fileRestoreStatus, 'all');
      assert.deepEqual(result.writers, []);
      assert.deepEqual(result.missingWriters.map((w) => [w.name, w.components.length]), [['SqlServerWriter', 2]]);
      // With the writer present nothing is missing.
      const sql = await h.machine(sqlMachine());
      assert.deepEqual((await h.vss.restore(bcd, { backend: sql.backend })).missingWriters, []);
    },
  },
];

// The rest of "Restore, complete" (issue 10): AddAlternativeLocationMapping, AddRestoreSubcomponent and
// SetRangesFilePath, and what the writer reads back from its component (IVssComponent::
// GetAlternateLocationMapping, GetRestoreSubcomponent, GetPartialFile). Sources: the three methods'
// pages; "Working with Alternate Locations during Restore" (the mapping is reported after PreRestore);
// AddRestoreSubcomponent's remarks (the component is selected for restore first, the subcomponent is
// selectable for restore, before PreRestore); SetRangesFilePath's page (the index of a partial file of
// IVssComponent::GetPartialFileCount). Under Wine the errors cross COM as bare HRESULTs, so the
// cases check codes, not the engine's reasons (test/method-rules.test.ts checks those).
import assert from 'node:assert/strict';

import { both, mailWriter as mail, scenario } from '../../helpers.mjs';

const machine = scenario({ base: 'windows-server-2022', volumes: [{ name: 'D:\\', label: 'Mail' }], writers: [mail] });
const group = { writerId: mail.writerId, instanceId: mail.instanceId, type: 'database', logicalPath: 'Mail', name: 'Storage Group 1' };

// A component backup of Storage Group 1; returns the saved document and the component as GetWriterComponents gave it.
async function backedUp(h, m, partialFileSupport) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.setBackupState({ selectComponents: true, backupType: 'full', partialFileSupport });
  await session.gatherWriterMetadata();
  await session.addComponent(group);
  await session.startSnapshotSet();
  await session.addToSnapshotSet('D:\\');
  await session.prepareForBackup();
  await session.doSnapshotSet();
  await session.setBackupSucceeded(group, true);
  await session.backupComplete();
  const recorded = await component(session);
  const bcd = await session.saveAsXml();
  await session.release();
  return { bcd, recorded };
}

const component = async (session) => (await session.getWriterComponents()).flatMap((w) => w.components).find((c) => c.name === group.name);

async function restoring(h, m, bcd) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForRestore(bcd);
  await session.gatherWriterMetadata();
  return session;
}

const pick = (c) => ({ alternateLocationMappings: c.alternateLocationMappings, restoreSubcomponents: c.restoreSubcomponents, partialFiles: c.partialFiles });

export default [
  {
    name: "a writer records its partial files only when the requester supports them (SetBackupState's partialFileSupport), and the document carries them",
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const without = await backedUp(h, m, false);
      assert.deepEqual(without.recorded.partialFiles, []);
      const { bcd, recorded } = await backedUp(h, m, true);
      assert.deepEqual(recorded.partialFiles, [{ path: 'D:\\Mail\\SG1', filespec: 'priv1.edb', ranges: 'D:\\Mail\\SG1\\priv1.ranges', metadata: 'sg1' }]);
      const session = await restoring(h, m, bcd);
      assert.deepEqual((await component(session)).partialFiles, recorded.partialFiles);
    },
  },
  {
    name: 'AddRestoreSubcomponent, AddAlternativeLocationMapping and SetRangesFilePath reach the component the writer reads, and the saved document carries them to a new session',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd } = await backedUp(h, m, true);
      const session = await restoring(h, m, bcd);
      await session.setSelectedForRestore(group, true);
      await session.addRestoreSubcomponent(group, { logicalPath: 'Mail\\Storage Group 1', name: 'Mailbox Store' });
      await session.preRestore();
      // After PreRestore, once the files are where they went (Working with Alternate Locations during Restore).
      await session.addAlternativeLocationMapping(group, { path: 'D:\\Mail\\SG1', filespec: '*.edb', destination: 'E:\\MailAlt' });
      await session.setRangesFilePath(group, 0, 'E:\\MailAlt\\priv1.ranges');
      const expected = {
        alternateLocationMappings: [{ path: 'D:\\Mail\\SG1', filespec: '*.edb', recursive: false, alternatePath: 'E:\\MailAlt' }],
        restoreSubcomponents: [{ logicalPath: 'Mail\\Storage Group 1', componentName: 'Mailbox Store', repair: false }],
        partialFiles: [{ path: 'D:\\Mail\\SG1', filespec: 'priv1.edb', ranges: 'E:\\MailAlt\\priv1.ranges', metadata: 'sg1' }],
      };
      assert.deepEqual(pick(await component(session)), expected);
      const saved = await session.saveAsXml();
      const next = await h.session({ backend: m.backend });
      await next.initializeForRestore(saved);
      assert.deepEqual(pick(await component(next)), expected);
      // The library's document parser reads the same elements.
      const doc = h.vss.parseBackupComponentsDocument(saved);
      const record = doc.writers.flatMap((w) => w.components).find((c) => c.name === group.name);
      assert.deepEqual(record.restoreSubcomponents, expected.restoreSubcomponents);
      assert.deepEqual(record.partialFiles, expected.partialFiles);
      assert.deepEqual(record.alternateLocationMappings.map((f) => [f.path, f.filespec, f.alternatePath]), [['D:\\Mail\\SG1', '*.edb', 'E:\\MailAlt']]);
      await session.postRestore();
      // The writer has read them in PostRestore: afterwards they come too late.
      await assert.rejects(session.addAlternativeLocationMapping(group, { path: 'D:\\Mail\\SG1', filespec: '*.edb', destination: 'F:\\' }), {
        code: 'VSS_E_BAD_STATE',
        operation: 'AddAlternativeLocationMapping',
      });
      await assert.rejects(session.setRangesFilePath(group, 0, 'F:\\r'), { code: 'VSS_E_BAD_STATE', operation: 'SetRangesFilePath' });
    },
  },
  {
    name: "AddRestoreSubcomponent needs the component selected for restore first (VSS_E_BAD_STATE), a subcomponent of its set (VSS_E_OBJECT_NOT_FOUND) that is selectable for restore (E_INVALIDARG), and comes before PreRestore",
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd } = await backedUp(h, m, false);
      const session = await restoring(h, m, bcd);
      const mailbox = { logicalPath: 'Mail\\Storage Group 1', name: 'Mailbox Store' };
      await assert.rejects(session.addRestoreSubcomponent(group, mailbox), { code: 'VSS_E_BAD_STATE', operation: 'AddRestoreSubcomponent' });
      await session.setSelectedForRestore(group, true);
      await assert.rejects(session.addRestoreSubcomponent(group, { logicalPath: 'Mail\\Storage Group 1', name: 'No Such Store' }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.addRestoreSubcomponent(group, { logicalPath: 'Other', name: 'Mailbox Store' }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.addRestoreSubcomponent(group, { logicalPath: 'Mail\\Storage Group 1', name: 'Public Store' }), { code: 'E_INVALIDARG' });
      await assert.rejects(session.addRestoreSubcomponent(group, { logicalPath: '', name: 'Mailbox Store' }), { code: 'E_INVALIDARG' });
      await assert.rejects(session.addRestoreSubcomponent({ ...group, name: 'Storage Group 9' }, mailbox), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await session.preRestore();
      await assert.rejects(session.addRestoreSubcomponent(group, mailbox), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'SetRangesFilePath names an existing partial file (E_INVALIDARG otherwise); AddAlternativeLocationMapping refuses a wildcard path or a folder in the file specification (E_INVALIDARG); both are restore-only (VSS_E_BAD_STATE in a backup)',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd } = await backedUp(h, m, true);
      const backup = await h.session({ backend: m.backend });
      await backup.initializeForBackup();
      await assert.rejects(backup.setRangesFilePath(group, 0, 'E:\\r'), { code: 'VSS_E_BAD_STATE', operation: 'SetRangesFilePath' });
      await assert.rejects(backup.addAlternativeLocationMapping(group, { path: 'D:\\', filespec: '*', destination: 'E:\\' }), { code: 'VSS_E_BAD_STATE' });
      const session = await restoring(h, m, bcd);
      await assert.rejects(session.setRangesFilePath(group, 1, 'E:\\r'), { code: 'E_INVALIDARG', operation: 'SetRangesFilePath' });
      await assert.rejects(session.setRangesFilePath(group, 0, ''), { code: 'E_INVALIDARG' });
      await assert.rejects(session.setRangesFilePath(group, -1, 'E:\\r'), { code: 'ERR_OUT_OF_RANGE' });
      await assert.rejects(session.addAlternativeLocationMapping(group, { path: 'D:\\Mail\\*', filespec: '*.edb', destination: 'E:\\' }), { code: 'E_INVALIDARG' });
      await assert.rejects(session.addAlternativeLocationMapping(group, { path: 'D:\\Mail', filespec: 'SG1\\*.edb', destination: 'E:\\' }), { code: 'E_INVALIDARG' });
      await assert.rejects(session.addAlternativeLocationMapping({ ...group, name: 'Storage Group 9' }, { path: 'D:\\', filespec: '*', destination: 'E:\\' }), {
        code: 'VSS_E_OBJECT_NOT_FOUND',
      });
      await assert.rejects(session.addAlternativeLocationMapping(group, { path: 'D:\\', filespec: '*' }), { code: 'ERR_INVALID_ARG_TYPE' });
    },
  },
  {
    name: "restore(document) with subcomponents, alternateLocations and rangesFiles: AddRestoreSubcomponent before PreRestore, the writer's matching alternate location mapping after it (given to copy), SetRangesFilePath after copy",
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const { bcd } = await backedUp(h, m, true);
      const plans = [];
      const { result, calls } = await h.vss.traceVssCalls(() =>
        h.vss.restore(bcd, {
          backend: m.backend,
          components: ['Storage Group 1'],
          subcomponents: ['Mail\\Storage Group 1\\Mailbox Store'],
          alternateLocations: true,
          rangesFiles: [{ component: 'Storage Group 1', partialFile: 0, path: 'E:\\MailAlt\\priv1.ranges' }],
          copy: (plan) => {
            plans.push(plan);
          },
        }),
      );
      const mapping = { path: 'D:\\Mail\\SG1', filespec: '*.edb', recursive: false, destination: 'E:\\MailAlt' };
      assert.deepEqual(result.subcomponents, ['Mail\\Storage Group 1\\Mailbox Store']);
      assert.deepEqual(result.alternateLocations.map(({ component, ...rest }) => [component.name, rest]), [['Storage Group 1', mapping]]);
      assert.deepEqual(plans[0].alternateLocations.map((a) => a.destination), ['E:\\MailAlt']);
      const order = ['AddRestoreSubcomponent', 'PreRestore', 'AddAlternativeLocationMapping', 'SetRangesFilePath', 'SetFileRestoreStatus', 'PostRestore'];
      assert.deepEqual(calls.filter((c) => order.includes(c)), order);
      // A partial file the document lacks is refused before the writers hear of the restore.
      const refused = await h.vss.traceVssCalls(() =>
        h.vss.restore(bcd, { backend: m.backend, rangesFiles: [{ component: 'Storage Group 1', partialFile: 2, path: 'E:\\r' }] }).then(
          () => assert.fail('restore resolved'),
          (e) => assert.equal(e.code, 'ERR_INVALID_ARG_VALUE'),
        ),
      );
      assert.ok(!refused.calls.includes('PreRestore'));
    },
  },
];

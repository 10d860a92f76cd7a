// Writer metadata: components and every field of them, file groups, database and
// log files, exclusions, restore method, alternate location mappings, backup schema,
// dependencies, the volumes a writer touches (issue: "Writer metadata").
import assert from 'node:assert/strict';

import { both, initialized, linux, scenario, scenarioRefused, writerIds } from '../../helpers.mjs';

const ledgerId = '3b5c3d7e-1f2a-4c8b-9d6e-0a1b2c3d4e5f';
const ledgerWriter = {
  name: 'Ledger Writer',
  writerId: ledgerId,
  instanceId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  instanceName: 'LEDGER:Main',
  usage: 'user-data',
  source: 'transacted-db',
  version: '3.7',
  backupSchema: 0x313,
  restoreMethod: { method: 'stop-restore-start', service: 'LedgerSvc', userProcedure: 'Stop the ledger first', writerRestore: 'if-replace-fails', rebootRequired: false },
  alternateLocationMappings: [{ path: 'D:\\Ledger\\Data', filespec: '*.ldb', recursive: true, alternatePath: 'D:\\Ledger\\Restored' }],
  includeFiles: [{ path: 'D:\\Ledger\\Config', filespec: 'ledger.ini' }],
  excludeFiles: [{ path: 'D:\\Ledger\\Data', filespec: '*.tmp', recursive: true }],
  excludeFromSnapshot: [{ path: 'D:\\Ledger\\Cache', filespec: '*', recursive: true }],
  components: [
    {
      name: 'Accounts',
      logicalPath: 'Ledger\\Main',
      caption: 'Accounts database',
      type: 'database',
      selectable: false,
      selectableForRestore: true,
      notifyOnBackupComplete: true,
      restoreMetadata: true,
      flags: 6,
      databaseFiles: [{ path: 'D:\\Ledger\\Data', filespec: 'accounts.ldb', backupTypeMask: 0x0f }],
      logFiles: [{ path: 'D:\\Ledger\\Logs', filespec: 'accounts*.log', alternatePath: 'D:\\Ledger\\LogsAlt' }],
      dependencies: [{ writerId: writerIds.registry, logicalPath: '', componentName: 'Registry' }],
    },
    { name: 'Reports', caption: 'Report files', files: [{ path: 'D:\\Ledger\\Reports', filespec: '*.pdf', recursive: true }] },
  ],
  volumes: ['D:\\'],
};
const ledgerMachine = scenario({ volumes: [{ name: 'D:\\', label: 'Ledger' }], writers: [ledgerWriter] });

const file = (path, filespec, extra = {}) => ({ path, filespec, recursive: false, alternatePath: null, backupTypeMask: 3855, ...extra });

async function metadataOf(h, machine, name) {
  const { session } = await initialized(h, machine);
  await session.gatherWriterMetadata();
  const all = await session.getWriterMetadata();
  const found = all.find((w) => w.name === name);
  assert.ok(found, `no metadata for ${name}`);
  return { session, all, found };
}

export default [
  {
    name: "a writer's identity, usage, source, version, backup schema and restore method come back as the scenario gave them",
    where: both,
    async run(h) {
      const { found: w } = await metadataOf(h, ledgerMachine, 'Ledger Writer');
      assert.equal(w.writerId, ledgerId);
      assert.equal(w.instanceId, ledgerWriter.instanceId);
      assert.equal(w.instanceName, 'LEDGER:Main');
      assert.equal(w.usage, 'user-data');
      assert.equal(w.usageCode, 3);
      assert.equal(w.source, 'transacted-db');
      assert.equal(w.sourceCode, 1);
      assert.deepEqual(w.version, { major: 3, minor: 7 });
      assert.equal(w.backupSchema, 0x313);
      assert.deepEqual(w.restoreMethod, {
        method: 'stop-restore-start',
        methodCode: 3,
        service: 'LedgerSvc',
        userProcedure: 'Stop the ledger first',
        writerRestore: 'if-replace-fails',
        writerRestoreCode: 2,
        rebootRequired: false,
      });
    },
  },
  {
    name: 'components keep logical path, caption, type, selectability, flags, notify-on-backup-complete, files and dependencies',
    where: both,
    async run(h) {
      const { found: w } = await metadataOf(h, ledgerMachine, 'Ledger Writer');
      assert.equal(w.components.length, 2);
      const [accounts, reports] = w.components;
      assert.equal(accounts.name, 'Accounts');
      assert.equal(accounts.logicalPath, 'Ledger\\Main');
      assert.equal(accounts.caption, 'Accounts database');
      assert.equal(accounts.type, 'database');
      assert.equal(accounts.typeCode, 1);
      assert.equal(accounts.selectable, false);
      assert.equal(accounts.selectableForRestore, true);
      assert.equal(accounts.notifyOnBackupComplete, true);
      assert.equal(accounts.restoreMetadata, true);
      assert.equal(accounts.flags, 6);
      assert.deepEqual(accounts.flagNames, ['app-rollback-recovery', 'not-system-state']);
      assert.deepEqual(accounts.files, []);
      assert.deepEqual(accounts.databaseFiles, [file('D:\\Ledger\\Data', 'accounts.ldb', { backupTypeMask: 0x0f })]);
      assert.deepEqual(accounts.logFiles, [file('D:\\Ledger\\Logs', 'accounts*.log', { alternatePath: 'D:\\Ledger\\LogsAlt' })]);
      assert.deepEqual(accounts.dependencies, [{ writerId: writerIds.registry, logicalPath: '', componentName: 'Registry' }]);
      assert.equal(reports.type, 'file-group');
      assert.equal(reports.logicalPath, '');
      assert.equal(reports.selectable, true, 'components are selectable unless said otherwise');
      assert.equal(reports.notifyOnBackupComplete, false);
      assert.deepEqual(reports.files, [file('D:\\Ledger\\Reports', '*.pdf', { recursive: true })]);
      assert.deepEqual(reports.databaseFiles, []);
    },
  },
  {
    name: 'include and exclude files, files excluded from the snapshot and alternate location mappings are reported',
    where: both,
    async run(h) {
      const { found: w } = await metadataOf(h, ledgerMachine, 'Ledger Writer');
      assert.deepEqual(w.includeFiles, [file('D:\\Ledger\\Config', 'ledger.ini')]);
      assert.equal(w.excludeFiles.length, 1);
      assert.equal(w.excludeFiles[0].path, 'D:\\Ledger\\Data');
      assert.equal(w.excludeFiles[0].filespec, '*.tmp');
      assert.equal(w.excludeFiles[0].recursive, true);
      assert.equal(w.excludeFromSnapshot.length, 1);
      assert.equal(w.excludeFromSnapshot[0].path, 'D:\\Ledger\\Cache');
      assert.equal(w.alternateLocationMappings.length, 1);
      assert.equal(w.alternateLocationMappings[0].alternatePath, 'D:\\Ledger\\Restored');
      assert.equal(w.alternateLocationMappings[0].recursive, true);
    },
  },
  {
    name: "the writer's XML document holds the same metadata in the elements real VSS writes",
    where: both,
    async run(h) {
      const { found: w } = await metadataOf(h, ledgerMachine, 'Ledger Writer');
      const xml = w.xml;
      assert.match(xml, /^<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2" backupSchema="787">/);
      assert.match(xml, new RegExp(`<IDENTIFICATION writerId="${ledgerId}" instanceId="${ledgerWriter.instanceId}" instanceName="LEDGER:Main" friendlyName="Ledger Writer" usage="USER_DATA" dataSource="TRANSACTION_DB" majorVersion="3" minorVersion="7"/>`));
      assert.match(xml, /<RESTORE_METHOD method="STOP_RESTART_SERVICE" service="LedgerSvc" userProcedure="Stop the ledger first" writerRestore="ifReplaceFails" rebootRequired="no"><ALTERNATE_LOCATION_MAPPING path="D:\\Ledger\\Data" filespec="\*\.ldb" recursive="yes" alternatePath="D:\\Ledger\\Restored"\/><\/RESTORE_METHOD>/);
      assert.match(xml, /<DATABASE logicalPath="Ledger\\Main" componentName="Accounts" caption="Accounts database" restoreMetadata="yes" notifyOnBackupComplete="yes" selectable="no" selectableForRestore="yes" componentFlags="6">/);
      assert.match(xml, /<DATABASE_FILES path="D:\\Ledger\\Data" filespec="accounts\.ldb" filespecBackupType="15"\/>/);
      assert.match(xml, /<DATABASE_LOGFILES path="D:\\Ledger\\Logs" filespec="accounts\*\.log" alternatePath="D:\\Ledger\\LogsAlt" filespecBackupType="3855"\/>/);
      assert.match(xml, new RegExp(`<DEPENDENCY writerId="${writerIds.registry}" componentName="Registry"/></DATABASE>`));
      assert.match(xml, /<FILE_GROUP componentName="Reports" caption="Report files" [^>]*><FILE_LIST path="D:\\Ledger\\Reports" filespec="\*\.pdf" recursive="yes" filespecBackupType="3855"\/><\/FILE_GROUP>/);
      assert.match(xml, /<EXCLUDE_FILES path="D:\\Ledger\\Data" filespec="\*\.tmp" recursive="yes"\/>/);
      assert.match(xml, /<EXCLUDE_FILES_FROM_SNAPSHOT path="D:\\Ledger\\Cache" filespec="\*" recursive="yes"\/><\/BACKUP_LOCATIONS><\/WRITER_METADATA>$/);
    },
  },
  {
    name: 'the SQL Server machine reports SqlServerWriter as a transacted database writer with per-database components on E: and F:',
    where: both,
    async run(h) {
      const { found: sql } = await metadataOf(h, scenario({ base: 'sql-server' }), 'SqlServerWriter');
      assert.equal(sql.writerId, writerIds.sql);
      assert.equal(sql.source, 'transacted-db');
      assert.equal(sql.usage, 'user-data');
      assert.equal(sql.backupSchema, 881);
      assert.equal(sql.restoreMethod?.writerRestore, 'always');
      assert.deepEqual(sql.components.map((c) => c.name), ['master', 'model', 'msdb', 'SalesDb']);
      for (const c of sql.components) {
        assert.equal(c.notifyOnBackupComplete, true, c.name);
        assert.deepEqual(c.flagNames, ['app-rollback-recovery'], c.name);
        assert.ok(c.selectable && c.selectableForRestore, c.name);
      }
      const drives = new Set(sql.components.flatMap((c) => c.files.map((f) => f.path.slice(0, 3))));
      assert.deepEqual([...drives].sort(), ['E:\\', 'F:\\']);
    },
  },
  {
    name: 'the volumes each writer touches are the volumes its files live on, and name volumes on the machine',
    where: linux,
    async run(h) {
      const m = await h.machine(scenario({ base: 'sql-server' }));
      const state = await m.describe();
      const sql = state.writers.find((w) => w.name === 'SqlServerWriter');
      assert.deepEqual(sql.volumes, ['E:\\', 'F:\\']);
      const system = state.writers.find((w) => w.name === 'System Writer');
      assert.deepEqual(system.volumes, ['C:\\']);
      const volumeNames = state.volumes.map((v) => v.name);
      for (const w of state.writers) for (const v of w.volumes) assert.ok(volumeNames.includes(v), `${w.name} names ${v}`);
      assert.throws(
        () => h.vss.createSimulator({ writers: [{ name: 'System Writer', volumes: ['Q:\\'] }] }),
        (e) => scenarioRefused(e) && /names volume Q:\\, which is not on this machine/.test(e.message),
      );
    },
  },
  {
    // IVssBackupComponents::FreeWriterMetadata: "Once writer metadata has been freed, it cannot be recovered by
    // the current instance ... create a new instance of IVssBackupComponents, and call GatherWriterMetadata again."
    name: 'FreeWriterMetadata releases the metadata for good: a new session gathers it again',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h);
      await session.gatherWriterMetadata();
      const first = await session.getWriterMetadata();
      await session.freeWriterMetadata();
      // The COM backend names the call that failed: GetWriterMetadataCount.
      await assert.rejects(session.getWriterMetadata(), (e) => e.code === 'VSS_E_BAD_STATE' && /^GetWriterMetadata/.test(e.operation));
      await assert.rejects(session.gatherWriterMetadata(), { code: 'VSS_E_BAD_STATE', operation: 'GatherWriterMetadata' });
      const again = await h.session({ backend: m.backend });
      await again.initializeForBackup();
      await again.gatherWriterMetadata();
      assert.deepEqual((await again.getWriterMetadata()).map((w) => w.instanceId), first.map((w) => w.instanceId));
    },
  },
  {
    // IVssBackupComponents::GatherWriterMetadata: "should be called only once during the lifetime of a given
    // IVssBackupComponents object"; a second call is out of sequence and no writer hears a second Identify.
    name: 'GatherWriterMetadata a second time on one session fails with VSS_E_BAD_STATE and sends no Identify',
    where: both,
    async run(h) {
      const { session } = await initialized(h, { timing: { timeScale: 0.01 }, faults: [{ writer: 'WMI Writer', phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] });
      await session.gatherWriterMetadata();
      await assert.rejects(session.gatherWriterMetadata(), (e) => e.code === 'VSS_E_BAD_STATE' && /once per IVssBackupComponents|^GatherWriterMetadata/.test(e.message));
      // The fault that fired once would have let a second Identify succeed; the writer is still failed.
      await session.gatherWriterStatus();
      assert.equal((await session.getWriterStatus()).find((w) => w.name === 'WMI Writer').state, 'failed-at-identify');
    },
  },
  {
    name: 'a scenario with contradictory metadata is refused: a TypeError naming the place, the engine\'s E_INVALIDARG its cause',
    where: linux,
    async run(h) {
      const bad = [
        [{ writers: [{ name: 'X', writerId: ledgerId, components: [{ name: 'a', files: [], databaseFiles: [{ path: 'C:\\', filespec: 'x' }] }] }] }, /file-group component has no database/],
        [{ writers: [{ name: 'X', writerId: ledgerId, components: [{ name: 'a' }, { name: 'a' }] }] }, /duplicate component 'a'/],
        [{ writers: [{ name: 'X', writerId: ledgerId, instanceId: '57307c00-7886-4cfc-b8cc-2d76c40e6cca' }] }, /share the instance id/],
        [{ writers: [{ name: 'X', writerId: ledgerId, usage: 'sometimes' }] }, /writers\[0\]\.usage: expected one of/],
        [{ writers: [{ name: 'X', writerId: ledgerId, components: [{ name: 'a', type: 'table' }] }] }, /components\[0\]\.type/],
      ];
      for (const [s, message] of bad)
        assert.throws(() => h.vss.createSimulator(s), (e) => scenarioRefused(e) && message.test(e.message), String(message));
    },
  },
];

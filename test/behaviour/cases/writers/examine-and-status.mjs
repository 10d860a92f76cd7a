// Writer metadata through IVssExamineWriterMetadata (identity, files, components,
// dependencies, restore method, schema, SaveAsXML), writer status (with the
// IVssBackupComponentsEx3 extras) and writer selection. Runner-neutral.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
// Safe on a real Windows machine too: no simulated scenario needed, nothing left behind.
const withWindows = ['linux', 'wine', 'windows'];
const fast = { timing: { timeScale: 0.01 } };

const customWriterId = '3c0a4e7f-6b1d-4d2a-9a51-1f0e2c3b4a50';
const otherWriterId = '8d7c6b5a-4f3e-4d2c-8b1a-0f9e8d7c6b5a';
// A writer that declares every kind of metadata IVssExamineWriterMetadata can return.
const richScenario = {
  ...fast,
  writers: [
    {
      name: 'Contoso Ledger Writer',
      writerId: customWriterId,
      instanceId: '5e1d2c3b-4a59-4876-9543-21fedcba9870',
      instanceName: 'LEDGER01',
      usage: 'user-data',
      source: 'transacted-db',
      backupSchema: 0x1f,
      version: '1.2',
      restoreMethod: { method: 'stop-restore-start', service: 'LedgerSvc', userProcedure: 'Stop the ledger first', writerRestore: 'always', rebootRequired: true },
      includeFiles: [{ path: 'D:\\Ledger\\Config', filespec: '*.ini', recursive: true }],
      excludeFiles: [{ path: 'D:\\Ledger\\Temp', filespec: '*', recursive: true }],
      excludeFromSnapshot: [{ path: 'D:\\Ledger\\Cache', filespec: '*.tmp' }],
      alternateLocationMappings: [{ path: 'D:\\Ledger\\Data', filespec: '*.mdf', alternatePath: 'E:\\Restore\\Ledger' }],
      components: [
        {
          name: 'Books',
          logicalPath: 'LEDGER01',
          caption: 'General ledger',
          type: 'database',
          selectable: true,
          selectableForRestore: true,
          notifyOnBackupComplete: true,
          restoreMetadata: true,
          flags: 2,
          databaseFiles: [{ path: 'D:\\Ledger\\Data', filespec: 'books.mdf', backupTypeMask: 0x1 }],
          logFiles: [{ path: 'D:\\Ledger\\Logs', filespec: 'books.ldf' }],
          dependencies: [{ writerId: otherWriterId, logicalPath: 'Shared', componentName: 'Keys' }],
        },
        { name: 'Attachments', logicalPath: 'LEDGER01', caption: 'Scans', files: [{ path: 'D:\\Ledger\\Scans', filespec: '*.pdf', recursive: true }] },
      ],
    },
    { name: 'Contoso Key Writer', writerId: otherWriterId, restoreMethod: null, components: [{ name: 'Keys', logicalPath: 'Shared' }] },
  ],
};

async function gathered(h, scenario = fast) {
  const m = await h.machine(scenario);
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  return { m, session };
}

/** A session on `m` that has gathered writer metadata: where a requester learns the writers' ids. */
async function gatheredOn(h, m) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  return session;
}

/** Creates the snapshot set of `volume` on a session that has gathered metadata; the writer status after DoSnapshotSet. */
async function snapshotStatus(session, volume) {
  await session.startSnapshotSet();
  await session.addToSnapshotSet(volume);
  await session.prepareForBackup();
  await session.doSnapshotSet();
  await session.gatherWriterStatus();
  return session.getWriterStatus();
}

export default [
  {
    name: 'GetWriterMetadata walks every writer: identity, usage, source, components and its own SaveAsXML',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      const writers = await session.getWriterMetadata();
      assert.ok(writers.length >= 9, `${writers.length} writers`);
      const ids = new Set();
      for (const w of writers) {
        assert.match(w.writerId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.match(w.instanceId, /^[0-9a-f-]{36}$/);
        assert.ok(!ids.has(w.instanceId), 'instance ids are unique');
        ids.add(w.instanceId);
        assert.ok(w.name.length > 0);
        assert.notEqual(w.usage, 'unknown', `${w.name} usage ${w.usageCode}`);
        assert.notEqual(w.source, 'unknown', `${w.name} source ${w.sourceCode}`);
        assert.ok(w.xml.includes(w.writerId) || w.xml.toLowerCase().includes(w.writerId), `${w.name}: its XML names its writer id`);
      }
      const system = writers.find((w) => w.name === 'System Writer');
      assert.ok(system && system.components.length >= 2);
      assert.ok(system.components.every((c) => c.type === 'file-group' && c.files.length > 0));
    },
  },
  {
    name: 'IVssWMComponent and IVssWMFiledesc: database and log files, flags, dependencies, caption',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, richScenario);
      const ledger = (await session.getWriterMetadata()).find((w) => w.writerId === customWriterId);
      assert.ok(ledger, 'the custom writer is listed');
      assert.equal(ledger.instanceName, 'LEDGER01');
      assert.equal(ledger.usage, 'user-data');
      assert.equal(ledger.source, 'transacted-db');
      assert.equal(ledger.backupSchema, 0x1f);
      assert.deepEqual(ledger.version, { major: 1, minor: 2 });
      const books = ledger.components.find((c) => c.name === 'Books');
      assert.equal(books.type, 'database');
      assert.equal(books.logicalPath, 'LEDGER01');
      assert.equal(books.caption, 'General ledger');
      assert.equal(books.selectable, true);
      assert.equal(books.selectableForRestore, true);
      assert.equal(books.notifyOnBackupComplete, true);
      assert.equal(books.restoreMetadata, true);
      assert.equal(books.flags, 2);
      assert.deepEqual(books.files, []);
      assert.equal(books.databaseFiles.length, 1);
      assert.equal(books.databaseFiles[0].path, 'D:\\Ledger\\Data');
      assert.equal(books.databaseFiles[0].filespec, 'books.mdf');
      assert.equal(books.databaseFiles[0].backupTypeMask, 0x1);
      assert.equal(books.logFiles[0].filespec, 'books.ldf');
      assert.deepEqual(books.dependencies, [{ writerId: otherWriterId, logicalPath: 'Shared', componentName: 'Keys' }]);
      const attachments = ledger.components.find((c) => c.name === 'Attachments');
      assert.equal(attachments.type, 'file-group');
      assert.equal(attachments.files[0].recursive, true);
      assert.equal(attachments.files[0].filespec, '*.pdf');
    },
  },
  {
    name: 'include and exclude files, exclude-from-snapshot, alternate location mappings and the restore method',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, richScenario);
      const writers = await session.getWriterMetadata();
      const ledger = writers.find((w) => w.writerId === customWriterId);
      assert.equal(ledger.includeFiles.length, 1);
      assert.equal(ledger.includeFiles[0].path, 'D:\\Ledger\\Config');
      assert.equal(ledger.includeFiles[0].recursive, true);
      assert.equal(ledger.excludeFiles[0].path, 'D:\\Ledger\\Temp');
      assert.equal(ledger.excludeFromSnapshot[0].filespec, '*.tmp');
      assert.equal(ledger.alternateLocationMappings.length, 1);
      assert.equal(ledger.alternateLocationMappings[0].alternatePath, 'E:\\Restore\\Ledger');
      assert.equal(ledger.restoreMethod?.method, 'stop-restore-start');
      assert.equal(ledger.restoreMethod?.service, 'LedgerSvc');
      assert.equal(ledger.restoreMethod?.userProcedure, 'Stop the ledger first');
      assert.equal(ledger.restoreMethod?.writerRestore, 'always');
      assert.equal(ledger.restoreMethod?.rebootRequired, true);
      // GetRestoreMethod answers S_FALSE for a writer without one.
      const keys = writers.find((w) => w.writerId === otherWriterId);
      assert.equal(keys.restoreMethod, null);
    },
  },
  {
    name: 'the SQL Server writer: instance name, backup schema and database components as on a real server',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, { base: 'sql-server', ...fast });
      const sql = (await session.getWriterMetadata()).find((w) => w.name === 'SqlServerWriter');
      assert.ok(sql);
      assert.equal(sql.instanceName, 'Microsoft SQL Server 2017:SQLWriter');
      assert.equal(sql.backupSchema, 881);
      assert.deepEqual(
        sql.components.map((c) => c.name),
        ['master', 'model', 'msdb', 'SalesDb'],
      );
      const sales = sql.components.find((c) => c.name === 'SalesDb');
      assert.equal(sales.notifyOnBackupComplete, true);
      assert.deepEqual(
        sales.files.map((f) => f.path[0]),
        ['E', 'F'],
      );
    },
  },
  {
    name: 'FreeWriterMetadata releases the metadata: GetWriterMetadata then fails with VSS_E_BAD_STATE',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      assert.ok((await session.getWriterMetadata()).length > 0);
      await session.freeWriterMetadata();
      await assert.rejects(session.getWriterMetadata(), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'GetWriterStatus matches the metadata writer for writer, with no errors on a healthy machine',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      const metadata = await session.getWriterMetadata();
      await session.gatherWriterStatus();
      const status = await session.getWriterStatus();
      assert.equal(status.length, metadata.length);
      for (const w of metadata) {
        const s = status.find((x) => x.instanceId === w.instanceId);
        assert.ok(s, `status for ${w.name}`);
        assert.equal(s.writerId, w.writerId);
        assert.equal(s.name, w.name);
        assert.equal(s.state, 'stable');
        assert.equal(s.stateCode, 1);
        assert.equal(s.lastError, null);
        assert.equal(s.applicationError, null);
        assert.equal(s.failureMessage, null);
      }
    },
  },
  {
    name: 'FreeWriterStatus releases the status: GetWriterStatus then needs GatherWriterStatus again',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      await session.gatherWriterStatus();
      await session.freeWriterStatus();
      await assert.rejects(session.getWriterStatus(), { code: 'VSS_E_BAD_STATE' });
      await session.gatherWriterStatus();
      assert.ok((await session.getWriterStatus()).length > 0);
    },
  },
  {
    // IVssBackupComponents::EnableWriterClasses: called before GatherWriterMetadata; the ids come
    // from another IVssBackupComponents, as the page directs.
    name: 'EnableWriterClasses before GatherWriterMetadata: only the enabled writer identifies and takes part in the snapshot',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ base: 'sql-server', ...fast });
      const sql = (await (await gatheredOn(h, m)).getWriterMetadata()).find((w) => w.name === 'SqlServerWriter');
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.enableWriterClasses([sql.writerId]);
      await session.gatherWriterMetadata();
      assert.deepEqual((await session.getWriterMetadata()).map((w) => w.name), ['SqlServerWriter']);
      // The other writers heard no event of this session, so it has no status for them.
      assert.deepEqual((await snapshotStatus(session, 'E:\\')).map((s) => [s.name, s.state]), [['SqlServerWriter', 'waiting-for-backup-complete']]);
      await session.backupComplete();
    },
  },
  {
    // IVssBackupComponents::DisableWriterClasses and ::DisableWriterInstances: before GatherWriterMetadata.
    name: 'DisableWriterClasses and DisableWriterInstances before GatherWriterMetadata keep those writers out of every event',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const writers = await (await gatheredOn(h, m)).getWriterMetadata();
      const byClass = writers.find((w) => w.name === 'Registry Writer');
      const byInstance = writers.find((w) => w.name === 'WMI Writer');
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.disableWriterClasses([byClass.writerId]);
      await session.disableWriterInstances([byInstance.instanceId]);
      await session.gatherWriterMetadata();
      const names = (await session.getWriterMetadata()).map((w) => w.name);
      assert.ok(!names.includes('Registry Writer') && !names.includes('WMI Writer'), names.join(', '));
      assert.equal(names.length, writers.length - 2);
      const status = await snapshotStatus(session, 'C:\\');
      assert.equal(status.length, writers.length - 2);
      for (const s of status) assert.equal(s.state, 'waiting-for-backup-complete', s.name);
      await session.backupComplete();
    },
  },
  {
    // The Remarks of DisableWriterClasses, DisableWriterInstances and EnableWriterClasses: "If you call
    // GatherWriterMetadata first and then call [it], the call ... has no effect."
    name: 'writer selection after GatherWriterMetadata is accepted and has no effect: the writer still takes part',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const session = await gatheredOn(h, m);
      const writers = await session.getWriterMetadata();
      const registry = writers.find((w) => w.name === 'Registry Writer');
      await session.disableWriterClasses([registry.writerId]);
      await session.disableWriterInstances([registry.instanceId]);
      await session.enableWriterClasses([writers.find((w) => w.name === 'System Writer').writerId]);
      const status = await snapshotStatus(session, 'C:\\');
      assert.equal(status.length, writers.length);
      for (const s of status) assert.equal(s.state, 'waiting-for-backup-complete', s.name);
      await session.backupComplete();
    },
  },
  {
    // DisableWriterClasses' page: VSS_E_BAD_STATE when "called during a restore operation".
    name: 'writer selection in a restore session or before initialization fails with VSS_E_BAD_STATE',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const fresh = await h.session({ backend: m.backend });
      await assert.rejects(fresh.disableWriterClasses([customWriterId]), { code: 'VSS_E_BAD_STATE', operation: 'DisableWriterClasses' });
      const backup = await gatheredOn(h, m);
      const xml = await backup.saveAsXml();
      const restore = await h.session({ backend: m.backend });
      await restore.initializeForRestore(xml);
      await assert.rejects(restore.disableWriterInstances([customWriterId]), { code: 'VSS_E_BAD_STATE', operation: 'DisableWriterInstances' });
      await assert.rejects(restore.enableWriterClasses([customWriterId]), { code: 'VSS_E_BAD_STATE', operation: 'EnableWriterClasses' });
    },
  },
  {
    name: 'writer selection rejects a malformed id before it reaches VSS',
    where: withWindows,
    async run(h) {
      const { session } = await gathered(h);
      await assert.rejects(session.enableWriterClasses(['not-a-guid']), { code: 'ERR_INVALID_ARG_VALUE' });
      await assert.rejects(session.disableWriterInstances('x'), { code: 'ERR_INVALID_ARG_TYPE' });
      // The session is still usable.
      await session.disableWriterClasses([]);
    },
  },
];

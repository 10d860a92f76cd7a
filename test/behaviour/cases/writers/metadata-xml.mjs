// Writer metadata documents (issue 3, parseWriterMetadata): what the API gathers and
// what its XML says agree, on Linux (simulated backend) and under Wine (the COM
// backend reading IVssExamineWriterMetadata from the emulated vssapi.dll).
// Runner-neutral: see ../../harness.d.ts.
import assert from 'node:assert/strict';

const both = ['linux', 'wine'];

const TRICKY_WRITER = {
  name: 'Tricky <Writer> & "Co"',
  writerId: '11111111-2222-3333-4444-555555555555',
  instanceId: '66666666-7777-8888-9999-aaaaaaaaaaaa',
  instanceName: 'line1\nline2\ttab',
  usage: 'user-data',
  source: 'transacted-db',
  backupSchema: 881,
  version: '2.5',
  restoreMethod: { method: 'stop-restore-start', service: 'MSSQL$X', writerRestore: 'always', rebootRequired: true },
  components: [
    {
      name: 'db1',
      logicalPath: 'Srv\\Inst',
      caption: 'two\nlines',
      type: 'database',
      flags: 2,
      selectableForRestore: true,
      databaseFiles: [{ path: 'E:\\Data', filespec: 'db1.mdf', backupTypeMask: 1 }],
      logFiles: [{ path: 'E:\\Logs', filespec: 'db1.ldf', recursive: true, alternatePath: 'F:\\Alt' }],
      dependencies: [{ writerId: 'e8132975-6f93-4464-a53e-1050253ae220', componentName: 'System Files' }],
    },
  ],
  excludeFiles: [{ path: 'C:\\Tmp', filespec: '*.tmp', recursive: true }],
  alternateLocationMappings: [{ path: 'E:\\Data', filespec: '*.mdf', alternatePath: 'G:\\Restore' }],
};

function withoutXml({ xml: _xml, ...rest }) {
  return rest;
}

async function gathered(h, scenario) {
  const m = await h.machine(scenario);
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  return session.getWriterMetadata();
}

export default [
  {
    name: "every writer's metadata equals parseWriterMetadata of its own XML document",
    where: both,
    async run(h) {
      const writers = await gathered(h);
      assert.ok(writers.length >= 9);
      for (const w of writers) assert.deepEqual(withoutXml(h.vss.parseWriterMetadata(w.xml)), withoutXml(w), w.name);
    },
  },
  {
    name: 'a writer using every field, with escaped characters and line breaks, survives its XML',
    where: both,
    async run(h) {
      const writers = await gathered(h, { writers: [TRICKY_WRITER] });
      const w = writers.find((x) => x.writerId === TRICKY_WRITER.writerId);
      assert.ok(w, 'the scenario writer is listed');
      assert.equal(w.components[0].caption, 'two\nlines');
      assert.deepEqual(withoutXml(h.vss.parseWriterMetadata(w.xml)), withoutXml(w));
    },
  },
  {
    name: 'a machine built by scenarioFromWriterMetadata from those documents reports the same writers',
    where: both,
    async run(h) {
      const original = await gathered(h, { writers: [TRICKY_WRITER] });
      const replayed = await gathered(h, h.vss.scenarioFromWriterMetadata(original.map((w) => w.xml)));
      assert.deepEqual(replayed.map(withoutXml), original.map(withoutXml));
    },
  },
];

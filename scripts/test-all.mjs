// `npm test`: everything, in order — the tools the later stages need (mingw-w64,
// cmake, Wine: installed with apt-get as root on Debian/Ubuntu, else the command
// to run is printed and the run stops), the HRESULT and vocabulary table checks,
// the type-check, the TypeScript build, the package checks (publint,
// are-the-types-wrong), the Linux addon, the Linux suite (vitest, simulated
// backend), the Windows cross-build and the checks of its PE imports, the Wine
// suite inside Windows node.exe, and the packed tarball installed with no
// compiler. Stops at the first failing stage; ends with one summary line.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache');
mkdirSync(cache, { recursive: true });
const onWindows = process.platform === 'win32';
const npm = onWindows ? 'npm.cmd' : 'npm';

let passed = 0;
let failed = 0;

function run(label, command, args, { capture = false } = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], shell: onWindows });
    let output = '';
    if (capture)
      child.stdout.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    child.on('close', (code, signal) => {
      console.log(`=== ${label}: ${code === 0 ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      resolve({ code: code ?? 1, output });
    });
  });
}

// The closing line is what .ci/run reads back from the log (through tee): exit only once it is written.
async function finish(extra = '') {
  if (extra) console.log(extra);
  console.log(`\nall: ${passed} passed, ${failed} failed`);
  await exitWhenFlushed(failed > 0 ? 1 : 0);
}

async function stage(label, command, args) {
  const { code } = await run(label, command, args);
  if (code !== 0) {
    failed++;
    await finish(`stage '${label}' failed`);
  }
}

// First, so that no later stage (the HRESULT test reads mingw-w64's vsserror.h) meets a missing tool.
if (!onWindows) await stage('tools', process.execPath, ['scripts/toolchain.mjs', '--wine']);
await stage('hresult table', process.execPath, ['scripts/gen-hresults.mjs', '--check']);
await stage('event catalogue', process.execPath, ['scripts/gen-events.mjs', '--check']);
await stage('vocabulary table', process.execPath, ['scripts/gen-vocabulary.mjs', '--check']);
await stage('typecheck', npm, ['run', 'typecheck']);
await stage('build:ts', npm, ['run', 'build:ts']);
await stage('package (publint, are-the-types-wrong)', process.execPath, ['scripts/check-package.mjs']);
// binding.gyp lists the sources when node-gyp configures: a .cpp added since (a pull,
// a merge) is missing from an incremental build, which then fails to load with an
// undefined symbol. Rebuild from scratch whenever the list differs from the last build's.
const nativeSources = execFileSync(process.execPath, ['scripts/list-native-sources.mjs'], { cwd: root, encoding: 'utf8' });
const sourcesStamp = join(root, 'build', 'native-sources.txt');
const sameSources = existsSync(sourcesStamp) && readFileSync(sourcesStamp, 'utf8') === nativeSources;
if (!existsSync(join(root, 'build/Release/vss_napi.node')) || !sameSources) {
  await stage('build:native', npm, ['run', 'build:native']);
  writeFileSync(sourcesStamp, nativeSources);
} else await stage('build:native (incremental)', process.execPath, [join(root, 'node_modules/node-gyp/bin/node-gyp.js'), 'build']);

const vitestReport = join(cache, 'vitest-report.json');
const vitest = await run('vitest (linux)', process.execPath, [
  join(root, 'node_modules/vitest/vitest.mjs'),
  'run',
  '--project',
  'linux',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numPendingTests || report.numTodoTests)
    console.log(`vitest: ${report.numPendingTests} skipped, ${report.numTodoTests} todo (not counted as passed)`);
}
if (vitest.code !== 0) {
  if (failed === 0) failed++;
  await finish('stage vitest failed');
}

if (onWindows) await finish('(on Windows the native build above is the real one; the Wine stages run on Linux only)');

await stage('build:win32', npm, ['run', 'build:win32']);
const binary = await run('win32 binary checks', process.execPath, ['scripts/check-win32-binary.mjs'], { capture: true });
const binarySummary = /^win32 binary: (\d+) passed, (\d+) failed$/m.exec(binary.output);
if (binary.code !== 0 || !binarySummary) {
  failed += binarySummary ? Number(binarySummary[2]) : 1;
  await finish('stage win32 binary checks failed');
}
passed += Number(binarySummary[1]);
/** Runs a stage that closes with `<prefix>: N passed, M failed`, and counts its tests. */
async function counted(label, script, prefix) {
  const { code, output } = await run(label, npm, ['run', script], { capture: true });
  const summary = new RegExp(`^${prefix}: (\\d+) passed, (\\d+) failed$`, 'm').exec(output);
  if (summary) {
    passed += Number(summary[1]);
    failed += Number(summary[2]);
  }
  // A stage that exits 0 without its closing count ran an unknown part of its tests: a failure,
  // not a pass of nothing (seen: the Wine stage's output stopping after the emulated suite).
  if (!summary) console.log(`=== ${label}: no '${prefix}: N passed, M failed' line in its output`);
  if (!summary || (code !== 0 && Number(summary[2]) === 0)) failed++;
  if (failed > 0) await finish(`stage ${label} failed`);
}

await counted('test:wine', 'test:wine', 'wine');
// Last: `npm pack` rebuilds the prebuilds (prepack), then the tarball is installed
// and used with no compiler on PATH.
await counted('test:package', 'test:package', 'package');
await finish();

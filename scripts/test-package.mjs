// `node scripts/test-package.mjs` (a stage of `npm test`): packs the package as a
// release would (`npm pack`, whose prepack builds the prebuilds) and installs the
// tarball into an empty folder with no compiler reachable: `cc`, `c++`, `gcc`, `g++`,
// `make`, `cmake`, `python3` and `python` come first on PATH and fail. Then
// `vss writers --simulate`, an ES import and a CommonJS require must work, from the
// prebuilt addon. Prints the tarball's size (the goal is under 5 MB) and closes with
// `package: N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.cache', 'package-test');
const npmCli = process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : undefined;
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}
async function done() {
  console.log(`package: ${passed} passed, ${failed} failed`);
  await exitWhenFlushed(failed ? 1 : 0);
}
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000, ...options });
  return { ...result, status: result.status ?? 1, all: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
const npm = (args, options) => (npmCli ? run(process.execPath, [npmCli, ...args], options) : run('npm', args, options));

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. The tarball, built as `npm publish` would build it.
const pack = npm(['pack', '--json', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
if (pack.status !== 0) {
  check('npm pack', false, `exit ${pack.status}`);
  await done();
}
// The lifecycle scripts print to stdout too: the JSON report is the last thing there.
const [info] = JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('[\n  {')));
const tarball = join(work, info.filename);
const files = info.files.map((f) => f.path);
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(`package: ${info.filename} ${mb(statSync(tarball).size)} packed, ${mb(info.unpackedSize)} unpacked, ${files.length} files`);
check('the tarball is under 5 MB', statSync(tarball).size < 5 * 1024 * 1024, mb(statSync(tarball).size));
for (const prebuild of ['prebuilds/linux-x64/vss-napi.glibc.node', 'prebuilds/win32-x64/vss-napi.node'])
  check(`the tarball holds ${prebuild}`, files.includes(prebuild));
const strays = files.filter((f) => /^(build|test|\.cache|node_modules)\//.test(f));
check('the tarball holds no build output or tests', strays.length === 0, strays.slice(0, 5).join(', '));

// 2. A PATH on which every compiler and build tool fails.
const stubs = join(work, 'no-compiler');
mkdirSync(stubs);
for (const tool of ['cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'make', 'cmake', 'python3', 'python']) {
  writeFileSync(join(stubs, tool), `#!/bin/sh\necho "${tool}: no compiler on this machine (package test)" >&2\nexit 127\n`);
  chmodSync(join(stubs, tool), 0o755);
}
const env = { ...process.env, PATH: `${stubs}:${process.env.PATH}` };
for (const key of Object.keys(env)) if (/^npm_(config_|package_|lifecycle_)/i.test(key) && key !== 'npm_config_cache') delete env[key];
check('cc, g++, make and python3 fail on that PATH', ['cc', 'g++', 'make', 'python3'].every((t) => run('sh', ['-c', `${t} --version`], { env }).status !== 0));

// 3. Install into an empty folder and use it.
const app = join(work, 'app');
mkdirSync(app);
// npm 11 skips a dependency's install scripts unless allowScripts names it; older npm
// runs them always. Allowed here, so the install script (node-gyp-build) runs as it
// does for every user of an older npm, and must find the prebuild instead of compiling.
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '1.0.0', allowScripts: { 'vss-napi': true } }));
const install = npm(['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: app, env });
check('npm install of the tarball, no compiler', install.status === 0, install.status === 0 ? '' : install.all.slice(-2000));
if (install.status !== 0) await done();
const installed = join(app, 'node_modules', 'vss-napi');
{
  const ran = /^> node-gyp-build$/m.test(install.stdout);
  check('the install script ran', ran, ran ? '' : install.stdout.slice(-500));
}
check('nothing was compiled at install (no build/ folder)', !existsSync(join(installed, 'build')));

const vss = run(join(app, 'node_modules', '.bin', 'vss'), ['writers', '--simulate'], { cwd: app, env });
check('vss writers --simulate', vss.status === 0 && /System Writer/.test(vss.stdout), vss.status === 0 ? '' : vss.all.slice(-1000));

const esm = run(process.execPath, ['--input-type=module', '-e', `
  import { listWriters, createSimulator } from 'vss-napi';
  const writers = await listWriters({ backend: createSimulator('windows-server-2022') });
  console.log(writers.length, writers.some((w) => w.name === 'System Writer'));
`], { cwd: app, env });
check('import { listWriters } from "vss-napi"', esm.status === 0 && /^\d+ true$/m.test(esm.stdout), esm.status === 0 ? '' : esm.all.slice(-1000));

const cjs = run(process.execPath, ['-e', `
  const vss = require('vss-napi');
  const addonPath = require('node-gyp-build').path(require('node:path').dirname(require.resolve('vss-napi/package.json')));
  vss.listWriters({ backend: 'simulated' }).then((w) => console.log(w.length, addonPath));
`], { cwd: app, env });
const loaded = /\d+ (.+)$/m.exec(cjs.stdout)?.[1] ?? '';
check('require("vss-napi") works', cjs.status === 0 && loaded !== '', cjs.status === 0 ? '' : cjs.all.slice(-1000));
check('the addon loaded is the prebuild', loaded.endsWith(join('prebuilds', 'linux-x64', 'vss-napi.glibc.node')), loaded);

// The offline parsers read through the addon's XML reader (the engine's): they work from the prebuild too.
const parse = run(process.execPath, ['-e', `
  const { parseWriterMetadata } = require('vss-napi');
  const m = parseWriterMetadata('<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo"><IDENTIFICATION writerId="e8132975-6f93-4464-a53e-1050253ae220" instanceId="ce678d65-95d0-4bea-a43d-2a288bc94500" friendlyName="System Writer"/></WRITER_METADATA>');
  console.log(m.name);
`], { cwd: app, env });
check('parseWriterMetadata from the prebuild', parse.status === 0 && /^System Writer$/m.test(parse.stdout), parse.status === 0 ? '' : parse.all.slice(-1000));
await done();

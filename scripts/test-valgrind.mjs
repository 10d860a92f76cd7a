// `node scripts/test-valgrind.mjs`: runs test/reliability/valgrind-subset.mjs (a
// focused subset: the whole suite would take hours) under valgrind memcheck against
// the normal Linux addon, and fails on any definite leak or invalid access whose
// stack passes through the addon (vss_napi.node). Node's and V8's own reports are
// counted and printed but not ours to fix.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = join(root, '.cache', 'valgrind.log');

if (spawnSync('sh', ['-c', 'command -v valgrind'], { stdio: 'ignore' }).status !== 0) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('installing valgrind with apt-get');
    execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends valgrind'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error('valgrind is missing. Run as root: apt-get install -y valgrind');
    process.exit(1);
  }
}
// npm test's last stage (npm pack through prepack, prebuildify) leaves no build/Release behind:
// build what is missing rather than fail.
if (!existsSync(join(root, 'build', 'Release', 'vss_napi.node'))) {
  // Through npm, so that node-gyp gets npm's configuration (the Node headers it builds against).
  console.log('valgrind: building the addon (npm run build:native)');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:native'], { cwd: root, stdio: 'inherit' });
}
if (!existsSync(join(root, 'dist', 'index.js'))) execFileSync(process.execPath, [join(root, 'scripts', 'build-ts.mjs')], { cwd: root, stdio: 'inherit' });

const started = Date.now();
const result = spawnSync(
  'valgrind',
  [
    '--tool=memcheck',
    '--leak-check=full',
    '--show-leak-kinds=definite',
    '--errors-for-leak-kinds=definite',
    '--num-callers=40',
    `--log-file=${log}`,
    process.execPath,
    '--expose-gc',
    // V8's JIT writes code valgrind cannot follow cheaply; the interpreter keeps the run honest and finishes sooner.
    '--jitless',
    join(root, 'test', 'reliability', 'valgrind-subset.mjs'),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, UV_THREADPOOL_SIZE: '2' } },
);
const text = readFileSync(log, 'utf8');
// Each report is a block of lines; ours are the ones whose stack passes through the addon.
const blocks = text.split(/\n==\d+== \n/);
const isError = (b) => /Invalid (read|write|free)|Mismatched free|uninitialised|Conditional jump|definitely lost in loss record|Source and destination overlap/.test(b);
const errors = blocks.filter(isError);
const ours = errors.filter((b) => b.includes('vss_napi.node') || /vss(napi)?::/.test(b));
for (const b of ours) console.log(`\n--- report through the addon ---\n${b}`);
const summary = /ERROR SUMMARY: (\d+) errors/.exec(text)?.[1];
const definitely = /definitely lost: ([\d,]+) bytes in ([\d,]+) blocks/.exec(text);
console.log(
  `\nvalgrind: ${((Date.now() - started) / 1000).toFixed(0)}s; exit ${result.status}; ${errors.length} reports in all ` +
    `(valgrind's ERROR SUMMARY: ${summary ?? '?'}, definitely lost: ${definitely ? `${definitely[1]} bytes in ${definitely[2]} blocks` : '0'}), ` +
    `${ours.length} through vss_napi.node. Full log: ${log}`,
);
await exitWhenFlushed(ours.length === 0 && result.status === 0 ? 0 : 1);

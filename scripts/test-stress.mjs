// `npm run test:stress` (CI runs it after `npm test`): the slow reliability checks,
// each a stage that prints its own figures —
//   memory   10,000 sessions opened and released, with and without faults, and
//            never released but collected: resident memory growth (printed)
//   asan     the whole Linux suite against an ASan+UBSan build of the addon
//   valgrind a focused subset under valgrind memcheck
//   fuzz     every libFuzzer target for FUZZ_SECONDS (default 60) each
// About 15 minutes on two cores. Stops at nothing: every stage runs, then the
// summary says which failed, and the exit code is non-zero if any did.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const sessions = process.env.SOAK_SESSIONS ?? '10000';
const fuzzSeconds = process.env.FUZZ_SECONDS ?? '60';

const stages = [
  ['build:ts', [join(root, 'scripts', 'build-ts.mjs')]],
  ['memory', ['--expose-gc', join(root, 'test', 'reliability', 'memory-soak.mjs'), sessions]],
  ['asan', [join(root, 'scripts', 'test-asan.mjs')]],
  ['valgrind', [join(root, 'scripts', 'test-valgrind.mjs')]],
  ['fuzz', [join(root, 'scripts', 'fuzz.mjs'), '--seconds', fuzzSeconds]],
];
const only = process.argv.slice(2);

const results = [];
for (const [label, args] of stages) {
  if (only.length && !only.includes(label)) continue;
  console.log(`\n=== stress ${label}: node ${args.map((a) => a.replace(`${root}/`, '')).join(' ')}`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(node, args, { cwd: root, stdio: 'inherit' });
    child.on('close', (c, signal) => resolve(signal ? 1 : (c ?? 1)));
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`=== stress ${label}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds}s`);
  results.push({ label, ok: code === 0, seconds });
}
console.log('\nstress stages:');
for (const r of results) console.log(`  ${r.label.padEnd(10)} ${r.ok ? 'ok' : 'FAILED'}  ${r.seconds}s`);
const failures = results.filter((r) => !r.ok).map((r) => r.label);
console.log(failures.length ? `stress: FAILED stages: ${failures.join(', ')}` : 'stress: every stage ok');
await exitWhenFlushed(failures.length ? 1 : 0);

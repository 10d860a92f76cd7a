// `npm run fuzz`: builds the libFuzzer targets in test/fuzz/targets/ with clang
// (AddressSanitizer + UndefinedBehaviorSanitizer) and runs each for a bounded time
// from the committed seed corpus in test/fuzz/corpus/<target>/. New inputs go to
// .cache/fuzz/corpus/ (never into the repository); a crash stops the run with the
// input saved as .cache/fuzz/crash-<target>-*, to be turned into a regression test.
//
//   node scripts/fuzz.mjs [--seconds 60] [--target fuzz_json] [--jobs 1]
//
// Prints, per target: executions, executions per second, corpus size, crashes.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.cache', 'fuzz');
const targetsDir = join(root, 'test', 'fuzz', 'targets');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const seconds = Number(option('seconds', process.env.FUZZ_SECONDS ?? 60));
const only = option('target', undefined);

// clang from Debian, installed the way scripts/toolchain.mjs installs the Windows tools.
function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
// libFuzzer and the sanitizer runtimes come in a package of their own (libclang-rt-dev).
function hasFuzzerRuntime() {
  if (!has('clang++')) return false;
  const dir = spawnSync('clang++', ['-print-resource-dir'], { encoding: 'utf8' }).stdout.trim();
  return existsSync(join(dir, 'lib', 'linux', 'libclang_rt.fuzzer-x86_64.a'));
}
if (!hasFuzzerRuntime()) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('installing clang and libclang-rt-dev with apt-get');
    execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends clang libclang-rt-dev'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error('fuzz: clang++ or its libFuzzer runtime is missing. Run as root: apt-get install -y clang libclang-rt-dev');
    process.exit(1);
  }
}

const flags = ['-std=c++17', '-g', '-O1', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined'];
const librarySources = ['native/core', 'native/sim'].flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.cpp'))
    .map((name) => join(root, folder, name)),
);
const targets = readdirSync(targetsDir)
  .filter((name) => name.startsWith('fuzz_') && name.endsWith('.cpp'))
  .map((name) => name.replace(/\.cpp$/, ''))
  .filter((name) => !only || name === only);

function run(command, commandArgs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

async function inPairs(items, fn) {
  // Two at a time: the machines have two cores.
  const queue = [...items];
  const results = [];
  await Promise.all(
    [0, 1].map(async () => {
      while (queue.length) {
        const item = queue.shift();
        results.push(await fn(item));
      }
    }),
  );
  return results;
}

mkdirSync(join(work, 'obj'), { recursive: true });
console.log(`fuzz: compiling ${librarySources.length} engine sources and ${targets.length} targets with clang++`);
const objects = await inPairs(librarySources, async (source) => {
  const object = join(work, 'obj', source.slice(root.length + 1).replace(/[\\/]/g, '_').replace(/\.cpp$/, '.o'));
  const result = await run('clang++', [...flags, '-fsanitize=fuzzer-no-link', '-c', source, '-o', object]);
  if (result.code !== 0) {
    console.error(result.output);
    process.exit(1);
  }
  return object;
});
await inPairs(targets, async (target) => {
  const result = await run('clang++', [...flags, '-fsanitize=fuzzer', join(targetsDir, `${target}.cpp`), ...objects, '-o', join(work, target), '-lpthread']);
  if (result.code !== 0) {
    console.error(result.output);
    process.exit(1);
  }
});

const rows = [];
let crashed = 0;
for (const target of targets) {
  const seeds = join(root, 'test', 'fuzz', 'corpus', target);
  const corpus = join(work, 'corpus', target);
  mkdirSync(corpus, { recursive: true });
  if (existsSync(seeds)) cpSync(seeds, corpus, { recursive: true });
  const seedCount = existsSync(seeds) ? readdirSync(seeds).length : 0;
  console.log(`\nfuzz: ${target} for ${seconds}s (${seedCount} seeds)`);
  const result = await run(
    join(work, target),
    [corpus, `-max_total_time=${seconds}`, '-timeout=10', '-rss_limit_mb=2048', '-max_len=65536', '-print_final_stats=1', `-artifact_prefix=${join(work, `crash-${target}-`)}`],
    { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1', UBSAN_OPTIONS: 'print_stacktrace=1' } },
  );
  const stat = (name) => Number(new RegExp(`stat::${name}:\\s+(\\d+)`).exec(result.output)?.[1] ?? 0);
  const failed = result.code !== 0;
  if (failed) {
    crashed++;
    console.log(result.output.split('\n').slice(-60).join('\n'));
  }
  rows.push({
    target,
    executions: stat('number_of_executed_units'),
    perSecond: stat('average_exec_per_sec'),
    corpus: readdirSync(corpus).length,
    crashes: failed ? 1 : 0,
  });
}

console.log(`\n${'target'.padEnd(16)} ${'seconds'.padStart(7)} ${'executions'.padStart(11)} ${'exec/s'.padStart(8)} ${'corpus'.padStart(7)} ${'crashes'.padStart(8)}`);
for (const r of rows)
  console.log(
    `${r.target.padEnd(16)} ${String(seconds).padStart(7)} ${String(r.executions).padStart(11)} ${String(r.perSecond).padStart(8)} ${String(r.corpus).padStart(7)} ${String(r.crashes).padStart(8)}`,
  );
console.log(`\nfuzz: ${rows.length - crashed} of ${rows.length} targets ran clean, ${crashed} crashed`);
await exitWhenFlushed(crashed ? 1 : 0);

// Finds (and on Debian/Ubuntu as root, installs) what the Windows build and the
// Wine suite need: mingw-w64 with POSIX threads (its headers are also what
// test/hresults.test.ts checks the HRESULT table against), cmake, and Wine.
// Anything missing that cannot be installed stops the run with the command to run.
// `node scripts/toolchain.mjs [--wine]` does it as a stage of its own: `npm test`
// runs it first, so no later stage meets a missing tool.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureTools({ wine = false } = {}) {
  const missing = [];
  if (!has('x86_64-w64-mingw32-g++-posix')) missing.push('g++-mingw-w64-x86-64');
  if (!has('cmake')) missing.push('cmake');
  if (wine && !has('wine')) missing.push('wine', 'wine64');
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log(`installing ${missing.join(', ')} with apt-get`);
    execFileSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return;
  }
  console.error(`missing: ${missing.join(', ')}. Run as root:\n  ${command}`);
  process.exit(1);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  ensureTools({ wine: process.argv.includes('--wine') });
  console.log('toolchain: mingw-w64, cmake' + (process.argv.includes('--wine') ? ', wine' : '') + ' present');
}

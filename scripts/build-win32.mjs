// `npm run build:win32`: cross-compiles the addon for win32-x64 with mingw-w64
// into prebuilds/win32-x64/vss-napi.node (where node-gyp-build looks on Windows),
// and with --fixtures also the emulated vssapi.dll the Wine suite uses.
//
// Why plain CMake rather than cmake-js: cmake-js drives the compiler for the
// machine it runs on and fetches Node's headers and import library for that
// platform; a mingw cross-build needs the toolchain file and an import library for
// node.exe made from node-api-headers' .def file, which CMakeLists.txt does itself.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureTools } from './toolchain.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'build-win32');
const fixtures = process.argv.includes('--fixtures');

ensureTools();
mkdirSync(build, { recursive: true });
execFileSync(
  'cmake',
  [
    '-S', root,
    '-B', build,
    `-DCMAKE_TOOLCHAIN_FILE=${join(root, 'cmake/mingw-w64-x86_64.cmake')}`,
    '-DCMAKE_BUILD_TYPE=Release',
    `-DVSS_NAPI_TEST_FIXTURES=${fixtures ? 'ON' : 'OFF'}`,
  ],
  { stdio: 'inherit' },
);
execFileSync('cmake', ['--build', build, '--parallel', '2'], { stdio: 'inherit' });
execFileSync('x86_64-w64-mingw32-strip', [join(build, 'vss-napi.node')]);
const target = join(root, 'prebuilds', 'win32-x64');
mkdirSync(target, { recursive: true });
copyFileSync(join(build, 'vss-napi.node'), join(target, 'vss-napi.node'));
console.log(`built ${join('prebuilds', 'win32-x64', 'vss-napi.node')}`);
if (fixtures) {
  console.log(`built ${join('build-win32', 'vssapi.dll')} (test fixture)`);
  // Every import libvssapi.a lists must be an export of the emulated DLL.
  execFileSync(process.execPath, [join(root, 'scripts', 'check-vssapi-exports.mjs')], { stdio: 'inherit' });
}

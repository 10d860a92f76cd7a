// `prepack` (npm pack, npm publish): puts the prebuilt addons in prebuilds/ so the
// package installs with no compiler (node-gyp-build loads them; the install script
// builds from the shipped sources only where none fits). From Linux:
//   prebuilds/linux-x64/vss-napi.glibc.node  prebuildify --napi --strip --tag-libc
//   prebuilds/win32-x64/vss-napi.node        the mingw-w64 cross-build (npm run build:win32)
// The names are prebuildify's (package name, libc tag), which node-gyp-build parses.
// musl is not built: Debian has no musl C++ toolchain (musl-tools is C only).
//
// The release workflow builds every platform on its own runner and sets
// VSS_PREBUILDS=keep: then nothing is rebuilt, and the pack stops unless every
// prebuild it lists is present.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prebuilds = join(root, 'prebuilds');
const require = createRequire(import.meta.url);
const node = (args, env = {}) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

/** The prebuilds a release must carry (the release workflow's matrix). */
export const RELEASE_PREBUILDS = [
  'linux-x64/vss-napi.glibc.node',
  'linux-arm64/vss-napi.glibc.node',
  'darwin-x64/vss-napi.node',
  'darwin-arm64/vss-napi.node',
  'win32-x64/vss-napi.node',
  'win32-arm64/vss-napi.node',
];

function present() {
  if (!existsSync(prebuilds)) return [];
  return readdirSync(prebuilds, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(prebuilds, d.name)).map((f) => `${d.name}/${f}`));
}

// dist/ is built by `prepare`, which npm runs right after prepack.

if (process.env.VSS_PREBUILDS === 'keep') {
  const have = present();
  const missing = RELEASE_PREBUILDS.filter((p) => !have.includes(p));
  if (missing.length) {
    console.error(`prepack: VSS_PREBUILDS=keep but prebuilds are missing: ${missing.join(', ')}`);
    process.exit(1);
  }
  console.log(`prepack: packing the prebuilds as they are:\n  ${have.join('\n  ')}`);
} else {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error('prepack: the prebuilds are made on linux-x64 (or by the release workflow with VSS_PREBUILDS=keep)');
    process.exit(1);
  }
  // Stale binaries of another build must not ship: start from an empty prebuilds/.
  for (const entry of present().map((p) => p.split('/')[0])) rmSync(join(prebuilds, entry), { recursive: true, force: true });
  node([require.resolve('prebuildify/bin.js'), '--napi', '--strip', '--tag-libc']);
  node([join(root, 'scripts/build-win32.mjs')]);
  console.log(`prepack: ${present().join(', ')}`);
}

// The package as npm publishes it: packs it (without running build scripts: run
// after build:ts), then lints the package with publint and checks that its types
// resolve for every module system with are-the-types-wrong. Exits non-zero on any
// problem, so `npm test` fails where a consumer's install would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'pack');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = JSON.parse(
  execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' }),
);
const tarball = join(out, packed[0].filename);
const bin = (path) => join(root, 'node_modules', path);
try {
  execFileSync(process.execPath, [bin('publint/src/cli.js'), '--strict', root], { stdio: 'inherit', cwd: root });
  execFileSync(process.execPath, [bin('@arethetypeswrong/cli/dist/index.js'), tarball, '--format', 'table-flipped'], { stdio: 'inherit', cwd: root });
} catch {
  process.exit(1);
} finally {
  rmSync(out, { recursive: true, force: true });
}

// Compiles lib/ to dist/ (ES modules with declarations), after regenerating the
// HRESULT table from its C++ source, and marks the CLI executable.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts/gen-hresults.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
const cli = join(root, 'dist/cli/main.js');
if (existsSync(cli)) chmodSync(cli, 0o755);

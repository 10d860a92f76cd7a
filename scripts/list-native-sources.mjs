// Prints the addon's C++ sources for binding.gyp (gyp has no glob): the portable
// core, the simulation engine and the N-API layer everywhere, the COM backend on
// Windows. Paths are relative to the repository root, space-separated.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folders = ['native/core', 'native/sim', 'native/napi'];
if (process.platform === 'win32' || process.argv.includes('--win32')) folders.push('native/com');

const sources = folders.flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.cpp'))
    .sort()
    .map((name) => `${folder}/${name}`),
);
process.stdout.write(sources.join(' '));

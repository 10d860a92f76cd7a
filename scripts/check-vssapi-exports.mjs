// Every function mingw-w64's libvssapi.a imports from vssapi.dll (its `T` symbols) must be
// exported by the emulated vssapi.dll (test/fixtures/vssapi-emu/vssapi.def): a requester or
// writer linked with -lvssapi would otherwise fail to load under Wine. Run by
// scripts/build-win32.mjs --fixtures; exits non-zero and names what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function missingExports(dll = join(root, 'build-win32', 'vssapi.dll')) {
  const library = execFileSync('x86_64-w64-mingw32-gcc', ['-print-file-name=libvssapi.a'], { encoding: 'utf8' }).trim();
  // gcc echoes the bare name back when it has no such file: mingw-w64 without its VSS import library.
  if (!existsSync(library)) throw new Error(`mingw-w64's libvssapi.a was not found (x86_64-w64-mingw32-gcc -print-file-name gave '${library}'); install mingw-w64 (scripts/toolchain.mjs)`);
  const imported = execFileSync('x86_64-w64-mingw32-nm', [library], { encoding: 'utf8', maxBuffer: 16 << 20 })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 3 && fields[1] === 'T')
    .map((fields) => fields[2]);
  if (imported.length === 0) throw new Error(`no T symbols in ${library}`);
  // objdump's export table: "[ n] name" lines after "[Ordinal/Name Pointer] Table".
  const table = execFileSync('x86_64-w64-mingw32-objdump', ['-p', dll], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const start = table.indexOf('[Ordinal/Name Pointer] Table');
  if (start < 0) throw new Error(`${dll} has no export name table`);
  const exported = new Set();
  for (const line of table.slice(start).split('\n').slice(1)) {
    const match = /^\s*\[\s*\d+\]\s+(\S+)/.exec(line);
    if (!match) break;
    exported.add(match[1]);
  }
  return { imported: imported.length, missing: [...new Set(imported)].filter((name) => !exported.has(name)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { imported, missing } = missingExports(process.argv[2]);
  if (missing.length > 0) {
    console.error(`the emulated vssapi.dll lacks ${missing.length} of libvssapi.a's ${imported} imports:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`the emulated vssapi.dll exports all ${imported} functions libvssapi.a imports`);
}

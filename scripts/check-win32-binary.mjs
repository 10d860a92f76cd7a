// Checks the cross-built Windows addon is what node-gyp-build and Windows expect:
// a PE32+ x86-64 DLL that imports N-API from node.exe, links the C++ runtime
// statically (no libstdc++/libgcc/winpthread DLLs to ship), and does NOT import
// vssapi.dll: that is loaded from System32 at run time, so a missing or planted
// copy can never stop the addon loading. Prints each check; exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exitWhenFlushed } from './exit-when-flushed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = process.argv[2] ?? join(root, 'prebuilds', 'win32-x64', 'vss-napi.node');

const checks = [];
const check = (name, ok, detail = '') => checks.push({ name, ok, detail });

check('the addon exists', existsSync(addon), addon);
if (existsSync(addon)) {
  const bytes = readFileSync(addon);
  const peOffset = bytes.readUInt32LE(0x3c);
  const isPe = bytes.toString('latin1', 0, 2) === 'MZ' && bytes.toString('latin1', peOffset, peOffset + 4) === 'PE\0\0';
  check('it is a PE file', isPe);
  if (isPe) {
    const machine = bytes.readUInt16LE(peOffset + 4);
    const characteristics = bytes.readUInt16LE(peOffset + 22);
    const optionalMagic = bytes.readUInt16LE(peOffset + 24);
    check('machine is x86-64 (0x8664)', machine === 0x8664, `0x${machine.toString(16)}`);
    check('it is a DLL (IMAGE_FILE_DLL)', (characteristics & 0x2000) !== 0);
    check('optional header is PE32+', optionalMagic === 0x20b, `0x${optionalMagic.toString(16)}`);
  }
  const dump = execFileSync('x86_64-w64-mingw32-objdump', ['-p', addon], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const imports = [...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase());
  check('imports node.exe (N-API)', imports.includes('node.exe'), imports.join(', '));
  check('does not import vssapi.dll (loaded from System32 at run time)', !imports.includes('vssapi.dll'), imports.join(', '));
  const runtimeDlls = imports.filter((dll) => /^(libstdc\+\+|libgcc|libwinpthread)/.test(dll));
  check('C++ runtime linked statically', runtimeDlls.length === 0, runtimeDlls.join(', '));
  const allowed = new Set(['node.exe', 'kernel32.dll', 'msvcrt.dll', 'ole32.dll', 'oleaut32.dll', 'advapi32.dll', 'user32.dll']);
  const unexpected = imports.filter((dll) => !allowed.has(dll) && !dll.startsWith('api-ms-win-'));
  check('imports only node.exe and system DLLs', unexpected.length === 0, unexpected.join(', '));
  check('exports napi_register_module_v1', /\]\s+napi_register_module_v1\b/.test(dump));
}

for (const { name, ok, detail } of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail && !ok ? ` (${detail})` : ''}`);
const failed = checks.filter((c) => !c.ok).length;
console.log(`win32 binary: ${checks.length - failed} passed, ${failed} failed`);
await exitWhenFlushed(failed ? 1 : 0);

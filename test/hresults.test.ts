import { existsSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { hresultMeaning, hresultName, hresultValue, listHresults, VssError } from '../lib/index.js';
import { loadAddon } from '../lib/native.js';

const MINGW_VSSERROR = '/usr/share/mingw-w64/include/vsserror.h';

describe('the HRESULT table', () => {
  it('names the codes users meet', () => {
    expect(hresultName(0x80042301)).toBe('VSS_E_BAD_STATE');
    expect(hresultName(0x80004001)).toBe('E_NOTIMPL');
    expect(hresultName(0x80070005)).toBe('E_ACCESSDENIED');
    expect(hresultName(0x0004230b)).toBe('VSS_S_ASYNC_CANCELLED');
    expect(hresultName(-2147212543)).toBe('VSS_E_BAD_STATE'); // signed form of 0x80042301
    expect(hresultName(0x8004abcd)).toBe('HRESULT_0x8004ABCD');
    expect(hresultValue('VSS_E_SNAPSHOT_SET_IN_PROGRESS')).toBe(0x80042316);
    expect(hresultMeaning(0x80042316)).toMatch(/only one at a time/);
    expect(hresultMeaning(0x12345678)).toBeUndefined();
  });

  it('has unique names and values', () => {
    const all = listHresults();
    expect(new Set(all.map((h) => h.name)).size).toBe(all.length);
    expect(new Set(all.map((h) => h.value)).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(100);
  });

  it('agrees with every code in mingw-w64 vsserror.h', () => {
      expect(existsSync(MINGW_VSSERROR), `${MINGW_VSSERROR} is missing: apt-get install g++-mingw-w64-x86-64`).toBe(true);
      const header = readFileSync(MINGW_VSSERROR, 'utf8');
      const defines = [...header.matchAll(/#define (VSS_[ES]_\w+) \(\(HRESULT\)(0x[0-9A-Fa-f]+)\)/g)];
      expect(defines.length).toBeGreaterThan(70);
      for (const [, name, value] of defines) {
        expect(hresultValue(name!), name).toBe(Number(value));
        // VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED and VSS_E_... share a low word but differ in severity.
        expect(hresultName(Number(value)), value).toBe(name);
      }
  });

  it('is the same table in the native layer', () => {
    const addon = loadAddon();
    for (const { name, value } of listHresults()) expect(addon.hresultName(value)).toBe(name);
    expect(addon.hresultName(0x8004abcd)).toBe('HRESULT_0x8004ABCD');
  });

  it('builds VssError with code, hresult, operation and a remedy', () => {
    const error = new VssError(0x80070005, undefined, { operation: 'InitializeForBackup' });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('E_ACCESSDENIED');
    expect(error.hresult).toBe(0x80070005);
    expect(error.operation).toBe('InitializeForBackup');
    expect(error.remedy).toMatch(/elevated/);
    expect(error.message).toMatch(/InitializeForBackup failed with E_ACCESSDENIED \(0x80070005\)/);
  });
});

import { describe, expect, it } from 'vitest';

import { normalizeVolume, normalizeVolumeList, splitPath } from '../lib/volumes.js';

describe('volume names', () => {
  it('accepts drives, mount folders and volume GUID paths in canonical form', () => {
    expect(normalizeVolume('c:')).toBe('C:\\');
    expect(normalizeVolume('D:\\')).toBe('D:\\');
    expect(normalizeVolume('\\\\?\\Volume{5C1D2E3F-0000-4000-8000-00000000AB12}\\')).toBe('\\\\?\\Volume{5c1d2e3f-0000-4000-8000-00000000ab12}\\');
    expect(normalizeVolume('c:\\mnt\\data')).toBe('C:\\mnt\\data\\');
    // AddToSnapshotSet's page: "A UNC path that specifies a remote file share, for example, \\Clusterx\Share1\".
    expect(normalizeVolume('\\\\server\\share', 'volume', true)).toBe('\\\\server\\share\\');
    expect(normalizeVolume('\\\\Clusterx\\Share1\\', 'volume', true)).toBe('\\\\Clusterx\\Share1\\');
  });

  it.each([
    ['', 'empty'],
    ['C:\\..\\Windows', 'traversal'],
    ['C:\\mnt\\..', 'traversal at the end'],
    ['\\\\.\\PhysicalDrive0', 'device path'],
    ['\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1', 'shadow device path'],
    ['\\\\server', 'UNC server without a share'],
    ['\\\\server\\share\\folder', 'folder inside a share'],
    ['\\\\server\\..', 'UNC traversal'],
    ['C', 'bare letter'],
    ['CC:\\', 'two letters'],
    ['/dev/sda1', 'POSIX device'],
    ['C:\\bad|name', 'reserved character'],
    ['\\\\?\\Volume{not-a-guid}\\', 'bad volume GUID'],
    ['C:\0\\', 'NUL'],
  ])('rejects %j (%s) with ERR_INVALID_ARG_VALUE', (volume) => {
    expect(() => normalizeVolume(volume, 'volume', true)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }));
  });

  it('takes a share only where VSS does (AddToSnapshotSet), not for the volume-only calls', () => {
    expect(() => normalizeVolume('\\\\server\\share\\')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('UNC paths') }));
  });

  it('rejects non-strings, empty, oversized and duplicate lists', () => {
    expect(() => normalizeVolume(3)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => normalizeVolumeList([])).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }));
    const many = Array.from({ length: 65 }, (_, i) => `C:\\m${i}`);
    expect(() => normalizeVolumeList(many)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(normalizeVolumeList(many.slice(0, 64))).toHaveLength(64);
    expect(() => normalizeVolumeList(['C:\\', 'c:'])).toThrow(/"volumes\[1\]"/);
    expect(normalizeVolumeList('e:')).toEqual(['E:\\']);
  });

  it('splits a path on the longest volume that contains it', () => {
    expect(splitPath('C:\\mnt\\data\\x.db', ['C:\\', 'C:\\mnt\\data\\'])).toEqual({ volume: 'C:\\mnt\\data\\', rest: 'x.db' });
    expect(splitPath('c:\\Windows\\x', ['C:\\'])).toEqual({ volume: 'C:\\', rest: 'Windows\\x' });
    expect(splitPath('D:\\x', ['C:\\'])).toBeNull();
  });
});

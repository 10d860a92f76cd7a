import { describe, expect, it } from 'vitest';

import { diffWriterStatus, type WriterStatus } from '../lib/index.js';

function writer(instanceId: string, state: WriterStatus['state'], lastError: WriterStatus['lastError'] = null): WriterStatus {
  return { name: `w-${instanceId}`, writerId: `c-${instanceId}`, instanceId, instanceName: '', state, stateCode: 0, lastError, applicationError: null, failureMessage: null };
}

describe('diffWriterStatus', () => {
  it('reports state and error changes, appearances and disappearances, and nothing else', () => {
    const before = [writer('a', 'stable'), writer('b', 'waiting-for-freeze'), writer('c', 'stable')];
    const after = [
      writer('a', 'stable'),
      writer('b', 'failed-at-freeze', { hresult: 0x800423f2, name: 'VSS_E_WRITERERROR_TIMEOUT' }),
      writer('d', 'stable'),
    ];
    const changes = diffWriterStatus(before, after);
    expect(changes.map((c) => [c.instanceId, c.kind])).toEqual([
      ['b', 'changed'],
      ['c', 'disappeared'],
      ['d', 'appeared'],
    ]);
    expect(changes[0]!.before?.state).toBe('waiting-for-freeze');
    expect(changes[0]!.after?.lastError?.name).toBe('VSS_E_WRITERERROR_TIMEOUT');
    expect(diffWriterStatus(after, after)).toEqual([]);
  });

  it('rejects non-arrays', () => {
    expect(() => diffWriterStatus(null as never, [])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});

// cold10 F12: a failed writer's VssError carries a remedy for every VSS_E_WRITERERROR_* value,
// with the service that hosts the writer (lib/services.ts), as vss health names it.
import { describe, expect, it } from 'vitest';

import { createSimulator, listVirtualMachines, VssWriterError, type WriterStatus } from '../../lib/index.js';
import { hresultValue } from '../../lib/hresults.js';

const WMI = 'a6ad56c2-b509-4e6c-bb19-49d8f43532f0';

function failed(name: string, writerId: string, error: string): WriterStatus {
  return {
    name,
    writerId,
    instanceId: '11111111-2222-4333-8444-555555555555',
    instanceName: '',
    state: 'failed-at-freeze',
    stateCode: 9,
    lastError: { hresult: hresultValue(error)!, name: error },
    applicationError: null,
    failureMessage: null,
  } as unknown as WriterStatus;
}

const ERRORS = [
  ['VSS_E_WRITERERROR_RETRYABLE', /wait ten minutes and retry/],
  ['VSS_E_WRITERERROR_TIMEOUT', /timed out/],
  ['VSS_E_WRITERERROR_OUTOFRESOURCES', /ran out of memory or other system resources/],
  ['VSS_E_WRITERERROR_NONRETRYABLE', /likely to recur/],
  ['VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT', /lacks a volume the writer needs/],
  ['VSS_E_WRITERERROR_PARTIAL_FAILURE', /some of its components/],
  ['VSS_E_WRITERERROR_RECOVERY_FAILED', /auto-recovery failed/],
] as const;

describe('a failed writer error names what to do and the service to restart (cold10 F12)', () => {
  it.each(ERRORS)('%s: its own remedy, then Winmgmt for the WMI Writer', (error, own) => {
    const e = new VssWriterError(hresultValue(error)!, [failed('WMI Writer', WMI, error)], { operation: 'DoSnapshotSet' });
    expect(e.remedy).toMatch(own);
    expect(e.remedy).toMatch(/Windows Management Instrumentation \(Winmgmt\).*vss writers --restart-failed --yes \(or net stop Winmgmt && net start Winmgmt\)/);
    expect(e.message).toContain(`\nRemedy: ${e.remedy}`);
  });

  it('a writer vss does not know: the remedy says so instead of naming a service', () => {
    const error = 'VSS_E_WRITERERROR_NONRETRYABLE';
    const e = new VssWriterError(hresultValue(error)!, [failed('Ledger Writer', '3b5c3d7e-1f2a-4c8b-9d6e-0a1b2c3d4e5f', error)], { operation: 'DoSnapshotSet' });
    expect(e.remedy).toMatch(/likely to recur.*not known to vss: restart the service or application that hosts this writer/);
  });

  it('listVirtualMachines with the Hyper-V writer failing identify (NONRETRYABLE): vmms in the remedy', async () => {
    const sim = createSimulator({ base: 'hyper-v', timing: { timeScale: 0.01 }, faults: [{ writer: 'Microsoft Hyper-V VSS Writer', phase: 'identify', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });
    const e = (await listVirtualMachines({ backend: sim }).catch((x: unknown) => x)) as VssWriterError;
    expect(e).toBeInstanceOf(VssWriterError);
    expect(e.code).toBe('VSS_E_WRITERERROR_NONRETRYABLE');
    expect(e.remedy).toMatch(/Hyper-V Virtual Machine Management \(vmms\)/);
  });
});

// cold10 F13, F14: a VM's component selects it as it is; correlateEvents: false stops every event query.
import { describe, expect, it, vi } from 'vitest';

import * as events from '../../lib/events.js';
import { createSimulator, createSnapshotSet, listVirtualMachines, VssWriterError } from '../../lib/index.js';

const fast = { timeScale: 0.01 };
const hvFail = () =>
  createSimulator({ base: 'hyper-v', timing: fast, faults: [{ writer: 'Microsoft Hyper-V VSS Writer', phase: 'freeze', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });

describe('listVirtualMachines and selection (cold10 F13)', () => {
  it("selection.include takes a VM's component as listVirtualMachines gives it, and backs up that VM only", async () => {
    const sim = createSimulator({ base: 'hyper-v', timing: fast });
    const vms = await listVirtualMachines({ backend: sim });
    expect(vms.length).toBe(2);
    const set = await createSnapshotSet(['D:\\'], { backend: sim, selection: { include: [vms[0]!.component] } });
    const report = await set.complete({ succeeded: true });
    expect(report.virtualMachines.map((v) => v.name)).toEqual([vms[0]!.name]);
  });

  it('an object with neither writer nor writerId still names what is missing', async () => {
    const sim = createSimulator({ base: 'hyper-v', timing: fast });
    const e = (await createSnapshotSet(['D:\\'], { backend: sim, selection: { include: [{ name: 'x' } as never] } }).catch((x: unknown) => x)) as Error & { code: string };
    expect(e.code).toBe('ERR_INVALID_ARG_TYPE');
    expect(e.message).toMatch(/"options\.selection\.include\[0\]\.writer" argument must be a writer name or id \(string; or writerId\)/);
  });
});

describe('correlateEvents (cold10 F14)', () => {
  it('listVirtualMachines takes correlateEvents: false, and then makes no event query', async () => {
    const sim = createSimulator({ base: 'hyper-v', timing: fast, faults: [{ writer: 'Microsoft Hyper-V VSS Writer', phase: 'identify', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });
    const read = vi.spyOn(events, 'readVssEvents');
    try {
      const on = (await listVirtualMachines({ backend: sim }).catch((x: unknown) => x)) as VssWriterError;
      expect(on.events.map((e) => e.eventId)).toContain(8229);
      expect(read).toHaveBeenCalledTimes(1); // the spy sees the library's queries
      read.mockClear();
      const off = (await listVirtualMachines({ backend: sim, correlateEvents: false }).catch((x: unknown) => x)) as VssWriterError;
      expect(off).toBeInstanceOf(VssWriterError);
      expect(off.events).toEqual([]);
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
    await expect(listVirtualMachines({ backend: sim, correlateEvents: 'no' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  });

  it("createSnapshotSet with correlateEvents: false: neither the error nor the VMs' verdicts query the event log", async () => {
    const on = (await createSnapshotSet(['D:\\'], { backend: hvFail() }).catch((x: unknown) => x)) as VssWriterError;
    expect(on.report?.virtualMachines.some((v) => v.events.length > 0)).toBe(true);
    const read = vi.spyOn(events, 'readVssEvents');
    try {
      const off = (await createSnapshotSet(['D:\\'], { backend: hvFail(), correlateEvents: false }).catch((x: unknown) => x)) as VssWriterError;
      expect(off).toBeInstanceOf(VssWriterError);
      expect(off.events).toEqual([]);
      expect(off.report?.virtualMachines.map((v) => [v.verdict, v.events])).toEqual(off.report?.virtualMachines.map(() => ['failed', []]));
      expect(off.report?.virtualMachines.length).toBeGreaterThan(0);
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });
});

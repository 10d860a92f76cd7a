import { describe, expect, it } from 'vitest';

import { getDefaultSimulator } from '../../lib/backend.js';
import { Interrupted } from '../../lib/cli/interrupt.js';
import { runCli } from '../../lib/cli/program.js';
import { createSimulator, createSnapshotSet, describeEvent, listEventCatalogue, readVssEvents, VssError } from '../../lib/index.js';

const fast = { timeScale: 0.01 };

describe('readVssEvents on the simulated machine', () => {
  it('returns preloaded events with the catalogue meaning and remedy, oldest first', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      events: [
        { provider: 'VSS', eventId: 8193, minutesAgo: 30, message: 'Volume Shadow Copy Service error: Unexpected error calling routine XML document is too long. hr = 0x80070018' },
        { provider: 'VolSnap', eventId: 25, minutesAgo: 60 * 30, message: 'The shadow copies of volume D: were deleted because the shadow copy storage could not grow in time.  Consider reducing the IO load on the system or choose a shadow copy storage volume that is not being shadow copied.' },
      ],
    });
    const all = await readVssEvents({ backend: sim });
    expect(all.map((e) => [e.provider, e.eventId, e.channel, e.level.name])).toEqual([
      ['VolSnap', 25, 'System', 'error'],
      ['VSS', 8193, 'Application', 'error'],
    ]);
    expect(all[1]!.meaning).toMatch(/unexpected error calling a system routine/);
    expect(all[1]!.remedy).toMatch(/KB 3098315/);
    expect(all[1]!.time.getTime()).toBeGreaterThan(Date.now() - 31 * 60_000);
    expect(typeof all[0]!.recordId).toBe('bigint');
    const recent = await readVssEvents({ backend: sim, since: '24h' });
    expect(recent.map((e) => e.eventId)).toEqual([8193]);
    expect(await readVssEvents({ backend: sim, ids: [25] })).toHaveLength(1);
    expect(await readVssEvents({ backend: sim, channels: ['System'] })).toHaveLength(1);
    expect(await readVssEvents({ backend: sim, levels: ['warning'] })).toHaveLength(0);
    expect((await readVssEvents({ backend: sim, max: 1 })).map((e) => e.eventId)).toEqual([8193]);
  });

  it('logs VSS 8229 when a writer vetoes, and VSS 12293 when the provider fails', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }],
    });
    const started = new Date();
    await expect(createSnapshotSet(['C:\\'], { backend: sim })).rejects.toThrow();
    const events = await readVssEvents({ backend: sim, since: started });
    const veto = events.find((e) => e.eventId === 8229)!;
    expect(veto).toBeDefined();
    expect(veto.level.name).toBe('warning');
    // After the code, Windows' own message for it (as a logged 8229 shows), not our HRESULT table's wording.
    expect(veto.message).toMatch(
      /^A VSS writer has rejected an event with error 0x800423f3, The writer experienced a transient error\. If the backup process is retried, the error may not reoccur\.\r\n\. Changes that/,
    );
    expect(veto.data).toMatchObject({ writerName: 'System Writer', operation: 'Freeze Event', hr: '0x800423f3' });

    sim.configure({ faults: [{ provider: 'b5946137-7b9f-4925-af80-51abd60b20d5', phase: 'commit', error: 'VSS_E_PROVIDER_VETO', times: 1 }] });
    const before = new Date();
    const error = await createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
    expect((error as VssError).code).toBe('VSS_E_PROVIDER_VETO');
    const provider = (error as VssError).events.find((e) => e.eventId === 12293)!;
    expect(provider.message).toMatch(/Error calling a routine on a Shadow Copy Provider \{b5946137-7b9f-4925-af80-51abd60b20d5\}.*hr = 0x80042306/);
    expect((await readVssEvents({ backend: sim, since: before, ids: [12293] })).length).toBe(1);
  });

  it("a scenario event without a message gets the catalogue's message template; a message that is not a string is refused (cold8 F5)", async () => {
    const sim = createSimulator({ base: 'windows-server-2022', events: [{ provider: 'VSS', eventId: 8229, minutesAgo: 30 }] } as never);
    const [event] = await readVssEvents({ backend: sim });
    expect(event!.eventId).toBe(8229);
    expect(event!.message).toBe(listEventCatalogue().find((e) => e.provider === 'VSS' && e.eventId === 8229)!.message);
    expect(event!.message).toMatch(/^A VSS writer has rejected an event with error %1/);
    expect(() => createSimulator({ events: [{ provider: 'VSS', eventId: 8229, message: 5 }] } as never)).toThrow(/events\[0\]\.message: expected a string/);
  });

  it('every event id the engine writes is in the catalogue', async () => {
    const catalogue = new Set(listEventCatalogue().map((e) => `${e.provider}/${e.eventId}`));
    const sim = createSimulator({ base: 'windows-server-2022', timing: fast });
    sim.configure({ faults: [{ writer: 'WMI Writer', phase: 'prepare-snapshot', error: 'VSS_E_WRITERERROR_NONRETRYABLE', times: 1 }] });
    await createSnapshotSet(['C:\\'], { backend: sim }).catch(() => undefined);
    for (const e of await readVssEvents({ backend: sim })) expect(catalogue.has(`${e.provider}/${e.eventId}`), `${e.provider} ${e.eventId}`).toBe(true);
    expect(describeEvent('volsnap', 33)?.provider).toBe('VolSnap');
  });

  it('rejects bad options with typed errors', async () => {
    await expect(readVssEvents({ backend: 'simulated', since: 'yesterday' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(readVssEvents({ backend: 'simulated', ids: [70000] })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(readVssEvents({ backend: 'simulated', max: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(readVssEvents({ backend: 'simulated', levels: ['fatal' as never] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(readVssEvents({ backend: 'simulated', channels: [] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(readVssEvents({ backend: 'simulated', since: new Date(), until: new Date(0) })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    expect(() => createSimulator({ events: [{ provider: 'VSS', eventId: 1234, message: 'x' }] } as never)).toThrow(/not in the event catalogue/);
  });
});

describe('correlation', () => {
  it('a failed createSnapshotSet carries the events logged while it ran', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      events: [{ provider: 'VSS', eventId: 8193, minutesAgo: 120, message: 'an old error, outside the window' }],
      faults: [{ writer: 'Registry Writer', phase: 'prepare-snapshot', error: 'VSS_E_WRITERERROR_NONRETRYABLE', times: 1 }],
    });
    const error = await createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VssError);
    const events = (error as VssError).events;
    expect(events.map((e) => [e.provider, e.eventId])).toEqual([['VSS', 8229]]);
    expect(events[0]!.data.writerName).toBe('Registry Writer');
  });

  it('correlateEvents: false leaves events empty; listWriters correlates too', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      faults: [{ writer: 'WMI Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }],
    });
    const off = await createSnapshotSet(['C:\\'], { backend: sim, correlateEvents: false }).catch((e: unknown) => e);
    expect((off as VssError).events).toEqual([]);
    await expect(createSnapshotSet(['C:\\'], { backend: sim, correlateEvents: 'yes' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    const other = createSimulator({ base: 'windows-server-2022', timing: fast, snapshotSetInProgress: true });
    const busy = await createSnapshotSet(['C:\\'], { backend: other }).catch((e: unknown) => e);
    expect((busy as VssError).code).toBe('VSS_E_SNAPSHOT_SET_IN_PROGRESS');
    expect((busy as VssError).events).toEqual([]); // nothing was logged in its window
  });
});

describe('vss events --follow', () => {
  it('prints each new event as one JSON line as it is logged, each once, until Ctrl-C (exit 130, and no error object after the lines)', async () => {
    const sim = getDefaultSimulator();
    sim.configure({ timing: fast, faults: [{ writer: 'System Writer', phase: 'prepare-snapshot', error: 'VSS_E_WRITERERROR_OUTOFRESOURCES', times: 1 }] });
    const ac = new AbortController();
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
    const running = runCli(['events', '--simulate', '--follow', '--json', '--since', '1m'], io, { signal: ac.signal });
    // Whether the veto lands before following began (then in the --since window) or after, it shows once.
    await expect(createSnapshotSet(['C:\\'], { backend: 'simulated' })).rejects.toThrow();
    for (let i = 0; i < 100 && !stdout.includes('"eventId":8229'); i++) await new Promise((r) => setTimeout(r, 50));
    ac.abort(new Interrupted('SIGINT'));
    expect(await running).toBe(130);
    // Ctrl-C is how following ends: nothing was cut short, so no {"error":...} on stderr.
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    const vetoes = lines.map((l) => JSON.parse(l) as { eventId: number; recordId: string }).filter((e) => e.eventId === 8229);
    expect(vetoes).toHaveLength(1);
    expect(typeof vetoes[0]!.recordId).toBe('string');
  });
});

// cold10 F11, F19: the library refuses an event window no record can be in, with the option's
// path and ERR_OUT_OF_RANGE, and shows the dates it compared.
import { describe, expect, it } from 'vitest';

import { checkHealth, createSimulator, readVssEvents } from '../../lib/index.js';

const fast = { timeScale: 0.01 };
const sim = () => createSimulator({ base: 'windows-server-2022', timing: fast });

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  return (await p.then(
    () => {
      throw new Error('resolved');
    },
    (e: unknown) => e,
  )) as Error & { code?: string };
}

describe('event windows no record can be in (cold10 F11, F19)', () => {
  it('readVssEvents refuses a since in the future, as the CLI does', async () => {
    const e = await rejection(readVssEvents({ backend: sim(), since: new Date(Date.now() + 86_400_000) }));
    expect(e.code).toBe('ERR_OUT_OF_RANGE');
    expect(e.message).toMatch(/"options\.since" is out of range\. It must be at or before now \(\d{4}-\d\d-\d\dT[\d:.]+Z\).*Received \d{4}-\d\d-\d\dT/);
  });

  it('checkHealth refuses a since in the future before any VSS call', async () => {
    const e = await rejection(checkHealth({ backend: sim(), since: new Date(Date.now() + 3_600_000) }));
    expect(e.code).toBe('ERR_OUT_OF_RANGE');
    expect(e.message).toMatch(/"options\.since"/);
  });

  it('until before since: the message shows both dates', async () => {
    const e = await rejection(readVssEvents({ backend: sim(), since: new Date('2026-01-02T00:00:00Z'), until: new Date('2026-01-01T00:00:00Z') }));
    expect(e.code).toBe('ERR_OUT_OF_RANGE');
    expect(e.message).toContain('at or after options.since (2026-01-02T00:00:00.000Z)');
    expect(e.message).toContain('Received 2026-01-01T00:00:00.000Z');
  });

  it.each(['300000000d', '99999999999999999999w', '0001-01-01'])('since %s (before 1601, or no date at all) is ERR_OUT_OF_RANGE, not an Invalid Date', async (since) => {
    const e = await rejection(readVssEvents({ backend: sim(), since }));
    expect(e.code).toBe('ERR_OUT_OF_RANGE');
    expect(e.message).toMatch(/at or after 1601-01-01T00:00:00\.000Z/);
    const h = await rejection(checkHealth({ backend: sim(), since }));
    expect(h.code).toBe('ERR_OUT_OF_RANGE');
  });

  it('a long but possible window still reads, and the report says where it starts', async () => {
    const report = await checkHealth({ backend: sim(), since: '36500d' });
    expect(Number.isNaN(report.since.getTime())).toBe(false);
    expect(Date.now() - report.since.getTime()).toBeGreaterThanOrEqual(36500 * 86_400_000);
  });

  it('a zoneless ISO date-time is UTC, as vss prints times (cold10 F1)', async () => {
    const report = await checkHealth({ backend: sim(), since: '2026-01-02 03:04' });
    expect(report.since.toISOString()).toBe('2026-01-02T03:04:00.000Z');
    const dateOnly = await checkHealth({ backend: sim(), since: '2026-01-02' });
    expect(dateOnly.since.toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });
});

// The simulated event log beside the state file (native/sim/state_file.h): the state names the
// generation "<file>.events.<N>" that holds the log, a call that does not change the log leaves
// that file alone, a change writes generation N+1 before the state that names it, and files of the
// older format (records inline in the state) still load. Two simulators on one file stand for two
// processes: each keeps its own copy of the machine and meets the other's changes through the file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createSimulator, createSnapshotSet, listWriters, readVssEvents } from '../../lib/index.js';

const fast = { timeScale: 0.01 };
const veto = { writer: 'WMI Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' } as const;
const scenario = { base: 'windows-server-2022', timing: fast, faults: [veto] } as const;

function fresh(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vss-evfile-'));
  return { dir, file: join(dir, 'm.json') };
}
const logFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('m.json.events.')).sort();
const state = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { eventsFile?: { generation: string }; events?: unknown };

describe('the event log beside the state file', () => {
  it('lives in its own file named by the state; a call that logs nothing leaves it untouched; one that logs writes the next generation and removes the old', async () => {
    const { dir, file } = fresh();
    const a = createSimulator(scenario, { stateFile: file });
    await listWriters({ backend: a });
    // No record yet: no log file, generation 0.
    expect(logFiles(dir)).toEqual([]);
    expect(state(file).eventsFile).toEqual({ generation: '0' });
    expect(state(file).events).toBeUndefined();

    await createSnapshotSet(['C:\\'], { backend: a, correlateEvents: false }).catch(() => undefined);
    expect(logFiles(dir)).toEqual(['m.json.events.1']);
    expect(state(file).eventsFile).toEqual({ generation: '1' });
    const first = statSync(join(dir, 'm.json.events.1'));

    // Another "process" reads the writers, then the log: neither writes the log again.
    const b = createSimulator(scenario, { stateFile: file });
    await listWriters({ backend: b });
    expect((await readVssEvents({ backend: b })).map((e) => e.eventId)).toEqual([8229]);
    const after = statSync(join(dir, 'm.json.events.1'));
    expect([after.ino, after.mtimeMs, after.size]).toEqual([first.ino, first.mtimeMs, first.size]);

    // It logs one more: generation 2 holds both, generation 1 is gone, and the first sees both.
    await createSnapshotSet(['C:\\'], { backend: b, correlateEvents: false }).catch(() => undefined);
    expect(logFiles(dir)).toEqual(['m.json.events.2']);
    expect(state(file).eventsFile).toEqual({ generation: '2' });
    const both = await readVssEvents({ backend: a });
    expect(both.map((e) => e.eventId)).toEqual([8229, 8229]);
    expect(new Set(both.map((e) => String(e.recordId))).size).toBe(2);
  });

  it('a log generation left by a process that died before writing the state is ignored and removed at the next change', async () => {
    const { dir, file } = fresh();
    const a = createSimulator(scenario, { stateFile: file });
    await createSnapshotSet(['C:\\'], { backend: a, correlateEvents: false }).catch(() => undefined);
    // As if a process had written generation 2 and died before the state named it.
    writeFileSync(join(dir, 'm.json.events.2'), '[{"recordId":"99","time":"0","channel":"Application","provider":"VSS","eventId":8193,"level":2,"message":"orphan","data":{}}]\n');
    const b = createSimulator(scenario, { stateFile: file });
    expect((await readVssEvents({ backend: b })).map((e) => e.eventId)).toEqual([8229]);
    await createSnapshotSet(['C:\\'], { backend: b, correlateEvents: false }).catch(() => undefined);
    expect(logFiles(dir)).toEqual(['m.json.events.2']);
    expect((await readVssEvents({ backend: a })).map((e) => e.message).some((m) => m === 'orphan')).toBe(false);
  });

  it('a state file of the older format (records inline) loads with its records, which move to a log file; a missing log file is a LoadState error naming it', async () => {
    const { dir, file } = fresh();
    const a = createSimulator(scenario, { stateFile: file });
    await createSnapshotSet(['C:\\'], { backend: a, correlateEvents: false }).catch(() => undefined);
    const [logged] = await readVssEvents({ backend: a });
    // Rewrite it as an earlier version did: the records inline, no eventsFile.
    const old = state(file) as Record<string, unknown>;
    const records = JSON.parse(readFileSync(join(dir, 'm.json.events.1'), 'utf8')) as unknown[];
    delete old.eventsFile;
    old.events = records;
    writeFileSync(file, JSON.stringify(old));
    const b = createSimulator(scenario, { stateFile: file });
    const read = await readVssEvents({ backend: b });
    expect(read.map((e) => [e.eventId, String(e.recordId), e.message])).toEqual([[8229, String(logged!.recordId), logged!.message]]);
    expect(state(file).events).toBeUndefined();
    expect(logFiles(dir)).toEqual(['m.json.events.1']);

    // The file the state names taken away: reading the log says so, with the file's name.
    const gen = state(file).eventsFile!.generation;
    writeFileSync(join(dir, `m.json.events.${gen}`), '');
    const c = createSimulator(scenario, { stateFile: file });
    await expect(readVssEvents({ backend: c })).rejects.toMatchObject({ code: 'E_INVALIDARG', message: expect.stringMatching(/m\.json\.events\.1 is missing or empty/) });
    expect(existsSync(file)).toBe(true);
  });
});

// cold10 F1, F17, F18, F19: vss events / vss health times in one clock (UTC, marked Z), list
// options split on commas, a missing channel as a usage error, the filters named when nothing matched.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../lib/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'vss-ev11-'));
const scenario = join(dir, 'broken.json');
writeFileSync(
  scenario,
  JSON.stringify({
    base: 'windows-server-2022',
    timing: { timeScale: 0.01 },
    events: [
      { provider: 'VSS', eventId: 8229, minutesAgo: 30 },
      { provider: 'VSS', eventId: 12289, minutesAgo: 120 },
      { provider: 'VolSnap', eventId: 33, minutesAgo: 3000 },
      { provider: 'SQLWRITER', eventId: 24583, minutesAgo: 10 },
    ],
  }),
);

async function vss(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => ((out += t), true) }, stderr: { write: (t: string) => ((err += t), true) } };
  const code = await runCli(args, io);
  return { code, out, err };
}

const headers = (text: string) => text.split('\n').filter((l) => /^\d{4}-/.test(l));

// Tokyo is never UTC: a local reading of a zoneless time would be nine hours off.
let zone: string | undefined;
beforeAll(() => {
  zone = process.env.TZ;
  process.env.TZ = 'Asia/Tokyo';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('vss events: one clock (cold10 F1)', () => {
  it('prints times in UTC marked Z, and a time copied from the list selects from there on', async () => {
    const all = headers((await vss('events', `--simulate=${scenario}`)).out);
    expect(all.map((l) => / VSS 12289 | VSS 8229 | SQLWRITER 24583 /.exec(l)?.[0].trim())).toEqual(['VSS 12289', 'VSS 8229', 'SQLWRITER 24583']);
    for (const line of all) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  /);
    const copied = all[1]!.slice(0, 19); // without the Z: read as UTC all the same
    const from = await vss('events', `--simulate=${scenario}`, '--since', copied);
    expect(headers(from.out).map((l) => l.split('  ')[2])).toEqual(['VSS 8229', 'SQLWRITER 24583']);
    const withZ = await vss('events', `--simulate=${scenario}`, '--since', all[1]!.slice(0, 20));
    expect(headers(withZ.out).length).toBe(2);
  });

  it('a date alone is UTC midnight, and one still to come is refused in UTC', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const r = await vss('events', `--simulate=${scenario}`, '--since', tomorrow);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`--since ${tomorrow} is in the future \\(now ${new Date().toISOString().slice(0, 10)} \\d\\d:\\d\\d:\\d\\dZ; times are UTC\\)`));
    // A zoneless date-time one hour ahead in UTC is in the future, whatever the local zone.
    const soon = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect((await vss('events', `--simulate=${scenario}`, '--since', soon)).code).toBe(2);
    const nagios = await vss('health', `--simulate=${scenario}`, '--since', soon, '--nagios');
    expect(nagios.code).toBe(3);
    expect(nagios.out).toMatch(/^VSS UNKNOWN - --since .* is in the future \(now .*Z; times are UTC\): no event could be counted/);
  });

  it('vss list and vss create print Created in UTC marked Z', async () => {
    const created = await vss('create', 'C:', `--simulate=${scenario}`);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^\S+\s+C:\\\s+(\d{4}-\d\d-\d\d \d\d:\d\dZ)\s+ShadowCopy/m);
    const utc = new Date().toISOString().slice(0, 13).replace('T', ' ');
    expect(/(\d{4}-\d\d-\d\d \d\d):\d\dZ/.exec(created.out)?.[1]).toBe(utc);
  });
});

describe('vss events: list options and usage errors (cold10 F17, F18, F19)', () => {
  it('--level and --channel take commas as --id does', async () => {
    const levels = await vss('events', `--simulate=${scenario}`, '--since', '3d', '--level', 'warning,error');
    expect(levels.code).toBe(0);
    expect(headers(levels.out).length).toBe(3);
    const channels = await vss('events', `--simulate=${scenario}`, '--since', '3d', '--channel', 'System,Application');
    expect(channels.code).toBe(0);
    expect(headers(channels.out).length).toBe(4);
  });

  it('a channel this machine lacks is a usage error in the command\'s words; --json keeps the code', async () => {
    const r = await vss('events', `--simulate=${scenario}`, '--channel', 'System,Nope');
    expect(r.code).toBe(2);
    expect(r.err).toBe("vss: --channel 'Nope': no such event log channel on this machine (ERROR_EVT_CHANNEL_NOT_FOUND; wevtutil el lists them)\n");
    const j = await vss('events', `--simulate=${scenario}`, '--channel', 'Nope', '--json');
    expect(j.code).toBe(2);
    expect((JSON.parse(j.err) as { error: { code: string; exitCode: number } }).error).toMatchObject({ code: 'ERROR_EVT_CHANNEL_NOT_FOUND', exitCode: 2 });
  });

  it('with nothing found, the line names the filters', async () => {
    const r = await vss('events', `--simulate=${scenario}`, '--since', '3d', '--id', '8229', '--level', 'error');
    expect(r.out).toBe('no VSS-related events matching --id 8229 --level error since 3d ago\n');
  });

  it.each([['events'], ['health']])('vss %s: a --since before any event log could exist is refused in its words', async (command) => {
    for (const since of ['300000000d', '99999999999999999999w']) {
      const r = await vss(command, `--simulate=${scenario}`, '--since', since);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--since ${since} goes back before 1601-01-01 00:00:00Z, before any event log could exist`);
    }
  });
});

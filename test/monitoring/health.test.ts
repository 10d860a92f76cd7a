import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from '../../lib/cli/program.js';
import { checkHealth, createSimulator, formatNagios, formatPrometheus, hostingServiceOf } from '../../lib/index.js';
import { writerServiceAdvice } from '../../lib/services.js';

const fast = { timeScale: 0.01 };
const MB = 1024 * 1024;

function capture() {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

describe('checkHealth', () => {
  it('is OK on a healthy machine', async () => {
    const report = await checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast }) });
    expect([report.status, report.exitCode, report.summary]).toEqual(['OK', 0, '9 writers stable']);
    expect(report.problems).toEqual([]);
  });

  it('a failed writer is CRITICAL with its hosting service in the remedy; a busy one WARNING', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      writers: [
        { name: 'System Writer', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' },
        { name: 'WMI Writer', state: 'waiting-for-backup-complete' },
      ],
    });
    const report = await checkHealth({ backend: sim });
    expect(report.status).toBe('CRITICAL');
    expect(report.summary).toBe(
      '1 of 9 writers failing: System Writer ([9] failed-at-freeze, VSS_E_WRITERERROR_TIMEOUT); a backup is in progress: 1 of 9 writers [5] waiting-for-backup-complete',
    );
    expect(report.problems[0]!.remedy).toMatch(/Cryptographic Services \(CryptSvc\)/);
    const ignored = await checkHealth({ backend: sim, ignore: ['system writer', 'a6ad56c2-b509-4e6c-bb19-49d8f43532f0'] });
    expect([ignored.status, ignored.checkedWriters]).toEqual(['OK', 7]);
  });

  // cold10 F20: a backup in progress gave one WARNING block per writer, each with the same remedy, and named all in the plugin line.
  it('writers mid-backup are one problem with one remedy, counted by state; unstable counts the writers', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      writers: [
        { name: 'System Writer', state: 'waiting-for-freeze' },
        { name: 'Registry Writer', state: 'waiting-for-freeze' },
        { name: 'WMI Writer', state: 'waiting-for-backup-complete' },
      ],
    });
    const report = await checkHealth({ backend: sim });
    const busy = report.problems.filter((p) => p.kind === 'writer-busy');
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({ status: 'WARNING', message: 'a backup is in progress: 3 of 9 writers waiting (2 [2] waiting-for-freeze, 1 [5] waiting-for-backup-complete)', remedy: 'Wait for the backup to end; check again later.' });
    expect(busy[0]!.instanceIds).toHaveLength(3);
    expect(report.summary).toBe(busy[0]!.message);
    expect(formatNagios(report)).toMatch(/^VSS WARNING - a backup is in progress: 3 of 9 writers waiting \(.*\) \| .* unstable=3;0;;0;9 /);
    const file = join(mkdtempSync(join(tmpdir(), 'vss-busy-')), 'busy.json');
    writeFileSync(file, JSON.stringify({ base: 'windows-server-2022', writers: [{ name: 'System Writer', state: 'waiting-for-freeze' }, { name: 'Registry Writer', state: 'waiting-for-freeze' }] }));
    const run = capture();
    expect(await runCli(['health', `--simulate=${file}`], run.io)).toBe(3);
    expect(run.stdout.match(/^WARNING: /gm)).toEqual(['WARNING: ']);
    expect(run.stdout).toContain('WARNING: a backup is in progress: 2 of 9 writers [2] waiting-for-freeze\n  Wait for the backup to end; check again later.\n');
    expect(run.stdout.split('\n').filter((l) => / \[2\] waiting-for-freeze /.test(l))).toHaveLength(2); // both in the table
  });

  it('a missing expected writer is CRITICAL; no writers at all is CRITICAL', async () => {
    const report = await checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast }), expect: ['SqlServerWriter', 'System Writer'] });
    expect([report.status, report.summary]).toEqual(['CRITICAL', 'expected writer SqlServerWriter is missing']);
    const empty = await checkHealth({ backend: createSimulator('empty') });
    expect([empty.status, empty.summary]).toEqual(['CRITICAL', 'no VSS writers answered']);
  });

  // cold10 F9: an expected in-box writer was reported missing twice; --expect X --ignore X let ignore win silently.
  it('an expected in-box writer that is missing is one problem; a writer both expected and ignored is refused', async () => {
    const nosys = () => createSimulator({ base: 'windows-server-2022', timing: fast, writers: [{ name: 'System Writer', remove: true }] });
    for (const key of ['e8132975-6f93-4464-a53e-1050253ae220', '{E8132975-6F93-4464-A53E-1050253AE220}', 'system writer']) {
      const report = await checkHealth({ backend: nosys(), expect: [key] });
      expect([report.status, report.summary], key).toEqual(['CRITICAL', 'in-box writer System Writer is missing']);
      expect(report.problems.filter((p) => p.kind === 'writer-missing')).toHaveLength(1);
    }
    const sim = createSimulator({ base: 'windows-server-2022', timing: fast });
    const refused = { code: 'ERR_INVALID_ARG_VALUE', message: `The "options.expect[0]" argument must be a writer that "options.ignore" does not also name. Received 'System Writer'` };
    await expect(checkHealth({ backend: sim, expect: ['System Writer'], ignore: ['system writer'] })).rejects.toMatchObject(refused);
    await expect(checkHealth({ backend: sim, expect: ['System Writer'], ignore: ['{e8132975-6f93-4464-a53e-1050253ae220}'] })).rejects.toMatchObject(refused);
    // A writer that is not in-box, named by name on one side and class id on the other: known once listed.
    await expect(checkHealth({ backend: sim, expect: ['WMI Writer'], ignore: ['a6ad56c2-b509-4e6c-bb19-49d8f43532f0'] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    const cli = capture();
    expect(await runCli(['health', '--simulate', '--expect', 'System Writer', '--ignore', 'System Writer'], cli.io)).toBe(2);
    expect(cli.stderr).toBe(`vss: --expect must be a writer that --ignore does not also name. Received 'System Writer'\n`);
    const nagios = capture();
    expect(await runCli(['health', '--simulate', '--nagios', '--expect', 'System Writer', '--ignore', 'System Writer'], nagios.io)).toBe(3);
    expect(nagios.stdout).toMatch(/^VSS UNKNOWN - --expect must be a writer that --ignore does not also name/);
  });

  it('recent error events warn; older ones fall outside --since', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      events: [
        { provider: 'VSS', eventId: 12289, minutesAgo: 10, message: 'Volume Shadow Copy Service error: Unexpected error DeviceIoControl.' },
        { provider: 'VolSnap', eventId: 33, minutesAgo: 5, message: 'The oldest shadow copy of volume C: was deleted.' },
        { provider: 'VolSnap', eventId: 25, minutesAgo: 60 * 48, message: 'old' },
      ],
    });
    const report = await checkHealth({ backend: sim });
    expect([report.status, report.summary]).toEqual(['WARNING', '1 VSS-related error event (VSS 12289)']);
    expect(report.events.map((e) => e.eventId)).toEqual([12289]); // information-level VolSnap 33 is not counted
    expect((await checkHealth({ backend: sim, since: '5m' })).status).toBe('OK');
  });

  // cold10 F16: HealthStatus's docs said warning events warn and error events are CRITICAL; the code does neither.
  it('warning events change no verdict; error events warn, never CRITICAL (as HealthStatus documents)', async () => {
    const at = (eventId: number) =>
      checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast, events: [{ provider: 'VSS', eventId, minutesAgo: 10, message: 'logged' }] }) });
    const warning = await at(8229); // a warning in the catalogue (a writer vetoed)
    expect([warning.status, warning.events.map((e) => e.level.name)]).toEqual(['OK', ['warning']]);
    const error = await at(12289);
    expect([error.status, error.events.map((e) => e.level.name)]).toEqual(['WARNING', ['error']]);
  });

  // cold10 F7: the events were read with max 1000, so 1500 errors counted 1000 in every format, said nowhere.
  it('counts every event of the window, past 1000', async () => {
    const events = Array.from({ length: 1500 }, (_, i) => ({ provider: 'VSS', eventId: 12289, minutesAgo: 1 + i / 2 }));
    const report = await checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast, events }) });
    expect([report.events.length, report.summary]).toEqual([1500, '1500 VSS-related error events (VSS 12289)']);
    expect(formatNagios(report)).toMatch(/ events=1500;;;0 error_events=1500;0;;0$/);
    expect(formatPrometheus(report)).toContain('\nvss_events_total{provider="VSS",level="error"} 1500\n');
  });

  it('shadow storage near its maximum warns, then is critical', async () => {
    const shadows = (n: number) => Array.from({ length: n }, () => ({ volume: 'C:\\' }));
    const at = async (n: number) =>
      checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast, volumes: [{ name: 'C:\\', diffAreaMaximum: 100 * MB }], shadows: shadows(n) }) });
    expect((await at(2)).status).toBe('OK'); // 64 of 100 MB
    const warning = await at(1 + 2); // 96 MB
    expect(warning.status).toBe('CRITICAL');
    // By drive letter, not the GUID path VSS gives (cold8 F21).
    expect(warning.summary).toBe('shadow storage of C:\\ 96% used');
    expect(warning.storage[0]).toMatchObject({ usedBytes: BigInt(96 * MB), maximumBytes: BigInt(100 * MB), usedPercent: 96 });
    const custom = await checkHealth({
      backend: createSimulator({ base: 'windows-server-2022', timing: fast, volumes: [{ name: 'C:\\', diffAreaMaximum: 100 * MB }], shadows: shadows(2) }),
      storageWarningPercent: 50,
    });
    expect(custom.status).toBe('WARNING');
    // cold10 F10: at exactly a threshold the verdict is what the perfdata's warn;crit say: a range N
    // alerts outside 0..N, endpoints included (Monitoring Plugins development guidelines), so 64 of 64 is OK.
    const at64 = (thresholds: { storageWarningPercent?: number; storageCriticalPercent?: number }) =>
      checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast, volumes: [{ name: 'C:\\', diffAreaMaximum: 100 * MB }], shadows: shadows(2) }), ...thresholds });
    const boundary = await at64({ storageWarningPercent: 64 });
    expect(boundary.status).toBe('OK');
    expect(formatNagios(boundary, { storageWarningPercent: 64, storageCriticalPercent: 95 })).toMatch(/ storage_used=64%;64;95;0;100$/);
    expect((await at64({ storageWarningPercent: 63.9 })).status).toBe('WARNING');
    expect((await at64({ storageWarningPercent: 50, storageCriticalPercent: 64 })).status).toBe('WARNING');
    expect((await at64({ storageWarningPercent: 50, storageCriticalPercent: 63.9 })).status).toBe('CRITICAL');
  });

  it('--probe catches a writer that fails only when asked to identify', async () => {
    const sim = createSimulator({ base: 'windows-server-2022', timing: fast, faults: [{ writer: 'Task Scheduler Writer', phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
    const report = await checkHealth({ backend: sim, probe: true });
    expect(report.status).toBe('CRITICAL');
    expect(report.problems.map((p) => p.kind)).toContain('writer-failed');
  });

  // cold10 F5: a writer that failed the probe's identify and then identified on the check's own pass
  // was a stable writer with a last error (WARNING): the probe made a CRITICAL milder.
  it('--probe: a writer that failed the probe is CRITICAL writer-failed, even when stable on the next identify', async () => {
    const sim = () =>
      createSimulator({ base: 'windows-server-2022', timing: fast, faults: [{ writer: 'WMI Writer', phase: 'identify', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE', times: 1 }] });
    const plain = await checkHealth({ backend: sim() });
    expect([plain.status, plain.summary]).toEqual(['CRITICAL', '1 of 9 writers failing: WMI Writer ([6] failed-at-identify, VSS_E_WRITERERROR_NONRETRYABLE)']);
    const probed = await checkHealth({ backend: sim(), probe: true });
    expect(probed.writers.find((w) => w.name === 'WMI Writer')!.state).toBe('stable');
    expect(probed.status).toBe('CRITICAL');
    expect(probed.problems.map((p) => p.kind)).toEqual(['writer-failed']);
    expect(probed.summary).toBe('1 of 9 writers failing: WMI Writer ([6] failed-at-identify, VSS_E_WRITERERROR_NONRETRYABLE) when the identify probe asked it, [1] stable when asked again; identify probe: WMI Writer failed to identify');
    expect(probed.problems[0]!.remedy).toMatch(/Windows Management Instrumentation \(Winmgmt\)/);
    expect(formatNagios(probed)).toMatch(/^VSS CRITICAL - .* failed=1;;0;0;9 /);
    expect(formatPrometheus(probed)).toMatch(/\nvss_writer_failed\{writer="WMI Writer",[^}]*\} 1\n[\s\S]*\nvss_writers_failed 1\n/);
  });

  // cold10 F6: the help said --probe "also" asks writers to identify, as if the plain check did not.
  it('without --probe the check already identifies every writer; the help says what --probe adds', async () => {
    const sim = createSimulator({ base: 'windows-server-2022', timing: fast, faults: [{ writer: 'WMI Writer', phase: 'identify', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });
    expect((await checkHealth({ backend: sim })).summary).toBe('1 of 9 writers failing: WMI Writer ([6] failed-at-identify, VSS_E_WRITERERROR_NONRETRYABLE)');
    const help = capture();
    await runCli(['health', '--help'], help.io);
    expect((help.stdout + help.stderr).replace(/\s+/g, ' ')).toContain('--probe identify every writer a second time, in a session of its own (every check asks once)');
  });

  it('rejects bad options with typed errors', async () => {
    await expect(checkHealth({ backend: 'simulated', ignore: 'System Writer' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    // An empty name is said as such (cold8 F21: it was "must be an array ... Received an array").
    await expect(checkHealth({ backend: 'simulated', expect: ['SqlServerWriter', ''] })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: `The "options.expect[1]" argument must be a writer name or class id, not empty. Received ''`,
    });
    await expect(checkHealth({ backend: 'simulated', since: 'soon' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(checkHealth({ backend: 'simulated', probe: 1 as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expect(checkHealth({ backend: 'simulated', storageWarningPercent: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(checkHealth({ backend: 'simulated', storageWarningPercent: 99, storageCriticalPercent: 90 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  });
});

describe('health output formats', () => {
  it('Nagios: one line, status and perfdata; Prometheus: valid text format', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      volumes: [{ name: 'C:\\', diffAreaMaximum: 400 * MB }],
      shadows: [{ volume: 'C:\\' }],
      writers: [{ name: 'Registry Writer', state: 'failed-at-prepare-snapshot', lastError: 'VSS_E_WRITERERROR_NONRETRYABLE' }],
    });
    const report = await checkHealth({ backend: sim });
    expect(formatNagios(report)).toBe(
      'VSS CRITICAL - 1 of 9 writers failing: Registry Writer ([8] failed-at-prepare-snapshot, VSS_E_WRITERERROR_NONRETRYABLE) | writers=9;;;0 failed=1;;0;0;9 unstable=0;0;;0;9 events=0;;;0 error_events=0;0;;0 storage_used=8%;80;95;0;100',
    );
    const prom = formatPrometheus(report);
    // Every line is a comment or `name{labels} value`.
    for (const line of prom.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|[a-z_]+(\{[a-z_]+="(?:[^"\\]|\\.)*"(,[a-z_]+="(?:[^"\\]|\\.)*")*\})? -?\d+(\.\d+)?)$/);
    expect(prom).toMatch(/\nvss_writer_failed\{writer="Registry Writer",writer_id="afbab4a2-367d-4d15-a586-71dbb18f8485",instance_id="[0-9a-f-]{36}"\} 1\n/);
    expect(prom).toMatch(/\nvss_writer_state\{writer="Registry Writer",writer_id="afbab4a2-367d-4d15-a586-71dbb18f8485",instance_id="[0-9a-f-]{36}"\} 8\n/);
    expect(prom).toContain('vss_health_status 2');
    expect(prom).toMatch(/vss_shadow_storage_used_bytes\{volume="\\\\\\\\\?\\\\Volume\{[0-9a-f-]+\}\\\\",diff_area_volume="[^"]+"\} 33554432/);
  });

  // cold10 F4: two instances of one class gave the same series twice (windows_exporter fails the whole
  // scrape on that: prometheus-community/windows_exporter #755), and the text could not tell them apart.
  it('two instances of one writer class: one series each (instance_id, instance_name), and the instance named in the text', async () => {
    const ledger = { name: 'Ledger Writer', writerId: '3b5c3d7e-1f2a-4c8b-9d6e-0a1b2c3d4e5f' };
    const scenario = {
      base: 'windows-server-2022',
      writers: [
        { ...ledger, instanceId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', instanceName: 'LEDGER:Main' },
        { ...ledger, instanceId: '1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e', instanceName: 'LEDGER:Archive', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' },
      ],
    };
    const report = await checkHealth({ backend: createSimulator({ ...scenario, timing: fast } as never) });
    const series = formatPrometheus(report).split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/ \S+$/, ''));
    expect(series.length).toBe(new Set(series).size);
    const prom = formatPrometheus(report);
    expect(prom).toContain('vss_writer_state{writer="Ledger Writer",writer_id="3b5c3d7e-1f2a-4c8b-9d6e-0a1b2c3d4e5f",instance_id="9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",instance_name="LEDGER:Main"} 1\n');
    expect(prom).toContain('vss_writer_state{writer="Ledger Writer",writer_id="3b5c3d7e-1f2a-4c8b-9d6e-0a1b2c3d4e5f",instance_id="1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e",instance_name="LEDGER:Archive"} 9\n');
    expect(report.summary).toBe('1 of 11 writers failing: Ledger Writer, instance LEDGER:Archive ([9] failed-at-freeze, VSS_E_WRITERERROR_TIMEOUT)');
    expect(formatNagios(report)).toMatch(/^VSS CRITICAL - 1 of 11 writers failing: Ledger Writer, instance LEDGER:Archive \(\[9\]/);
    // The person output lists the failed instance only, not the stable one that shares its name.
    const dir = mkdtempSync(join(tmpdir(), 'vss-twoinst-'));
    writeFileSync(join(dir, 'twoinst.json'), JSON.stringify(scenario));
    const run = capture();
    expect(await runCli(['health', `--simulate=${join(dir, 'twoinst.json')}`], run.io)).toBe(3);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('Ledger Writer'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^Ledger Writer, instance LEDGER:Archive +\[9\] failed-at-freeze +VSS_E_WRITERERROR_TIMEOUT/);
    expect(run.stdout).toContain('CRITICAL: Ledger Writer, instance LEDGER:Archive ([9] failed-at-freeze, VSS_E_WRITERERROR_TIMEOUT)\n');
  });

  it("Nagios: a writer name with '|' or a line break stays inside the one status line (cold8 F18)", async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      timing: fast,
      writers: [{ name: 'Odd|Writer x\ny', writerId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }],
    } as never);
    const line = formatNagios(await checkHealth({ backend: sim }));
    expect(line.split('\n')).toHaveLength(1);
    expect(line.split('|')).toHaveLength(2);
    expect(line).toMatch(/^VSS CRITICAL - .*Odd\/Writer x y .* \| writers=\d+;;;0 /);
  });

  // cold8 F21: --ignore 'Nope Writer' (a typo) was accepted silently and ignored nothing.
  it('an --ignore name that matches no writer is listed in unmatchedIgnore and warned about on stderr (the verdict unchanged); --expect \'\' is a usage error in its own words', async () => {
    const sim = createSimulator({ base: 'windows-server-2022', timing: fast });
    const report = await checkHealth({ backend: sim, ignore: ['Nope Writer', 'wmi writer', '{E8132975-6F93-4464-A53E-1050253AE220}', 'Registry Writer'] });
    expect(report.unmatchedIgnore).toEqual(['Nope Writer']);
    expect([report.status, report.checkedWriters]).toEqual(['OK', 6]);
    // An in-box writer the machine lacks is no typo: ignoring it is how its absence is accepted.
    const bare = await checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast, writers: [{ name: 'COM+ REGDB Writer', remove: true }] }), ignore: ['COM+ REGDB Writer'] });
    expect([bare.status, bare.unmatchedIgnore]).toEqual(['OK', []]);
    // By class id in braces, as vssadmin list writers prints it (cold10 F8: the in-box filter missed it).
    for (const key of ['{542DA469-D3E1-473C-9F4F-7847F01FC64F}', '{542da469-d3e1-473c-9f4f-7847f01fc64f}', '542DA469-D3E1-473C-9F4F-7847F01FC64F']) {
      const braced = await checkHealth({ backend: createSimulator({ base: 'windows-server-2022', timing: fast, writers: [{ name: 'COM+ REGDB Writer', remove: true }] }), ignore: [key] });
      expect([braced.status, braced.missingInBoxWriters, braced.unmatchedIgnore], key).toEqual(['OK', [], []]);
    }
    for (const format of [[], ['--nagios'], ['--json']]) {
      const run = capture();
      expect(await runCli(['health', '--simulate', '--ignore', 'Nope Writer', 'WMI Writer', ...format], run.io)).toBe(0);
      expect(run.stderr).toBe("vss: warning: --ignore 'Nope Writer' matches no writer on this machine (name or class id, as vss writers shows them); it ignores nothing\n");
      if (format[0] === '--nagios') expect(run.stdout).toMatch(/^VSS OK - 8 writers stable \|/);
      if (format[0] === '--json') expect(JSON.parse(run.stdout)).toMatchObject({ unmatchedIgnore: ['Nope Writer'], checkedWriters: 8 });
    }
    const empty = capture();
    expect(await runCli(['health', '--simulate', '--expect', ''], empty.io)).toBe(2);
    expect(empty.stderr).toBe("vss: --expect must be a writer name or class id, not empty. Received ''\n");
  });

  it('vss health --nagios exit codes, usage errors are UNKNOWN (3); --prometheus --output writes the file atomically', async () => {
    const unknown = capture();
    expect(await runCli(['health', '--simulate', '--nagios', '--storage-warning', '120'], unknown.io)).toBe(3);
    expect(unknown.stdout).toMatch(/^VSS UNKNOWN - --storage-warning takes a percentage/);
    const both = capture();
    expect(await runCli(['health', '--simulate', '--nagios', '--json'], both.io)).toBe(3);
    const plain = capture();
    expect(await runCli(['health', '--simulate', '--since', 'later'], plain.io)).toBe(2);
    expect(plain.stderr).toMatch(/--since takes a duration/);
    // A date still to come is refused (it counted no event and looked like a quiet machine); --nagios: UNKNOWN.
    const future = capture();
    expect(await runCli(['health', '--simulate', '--since', '2999-01-01'], future.io)).toBe(2);
    expect(future.stderr).toMatch(/--since 2999-01-01 is in the future/);
    const futureNagios = capture();
    expect(await runCli(['health', '--simulate', '--nagios', '--since', '2999-01-01'], futureNagios.io)).toBe(3);
    expect(futureNagios.stdout).toMatch(/^VSS UNKNOWN - --since 2999-01-01 is in the future/);
    const noFormat = capture();
    expect(await runCli(['health', '--simulate', '--output', '/tmp/x.prom'], noFormat.io)).toBe(2);

    const dir = mkdtempSync(join(tmpdir(), 'vss-prom-'));
    const out = capture();
    expect(await runCli(['health', '--simulate', '--prometheus', '--output', join(dir, 'vss.prom')], out.io)).toBe(0);
    expect(out.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['vss.prom']); // no temporary file left
    expect(readFileSync(join(dir, 'vss.prom'), 'utf8')).toContain('# TYPE vss_health_status gauge\nvss_health_status 0\n');
    const missing = capture();
    // A folder that is not there: one line naming the user's path (not the temporary file), no
    // stack, usage exit 2; under --nagios the plugin's UNKNOWN line on stdout, exit 3.
    const wanted = join(dir, 'no-such-dir', 'vss.prom');
    expect(await runCli(['health', '--simulate', '--prometheus', '--output', wanted], missing.io)).toBe(2);
    expect(missing.stderr).toBe(`vss: --output ${wanted}: its folder cannot be written (ENOENT)\n`);
    const missingJson = capture();
    expect(await runCli(['health', '--simulate', '--json', '--output', wanted], missingJson.io)).toBe(2);
    expect(JSON.parse(missingJson.stderr).error).toEqual({ code: 'ERR_FILE_NOT_WRITABLE', name: 'UsageError', exitCode: 2, message: `--output ${wanted}: its folder cannot be written (ENOENT)` });
    const missingNagios = capture();
    expect(await runCli(['health', '--simulate', '--nagios', '--output', wanted], missingNagios.io)).toBe(3);
    expect(missingNagios.stdout).toBe(`VSS UNKNOWN - --output ${wanted}: its folder cannot be written (ENOENT)\n`);
    // A folder given as the file: refused by the same check, before anything is checked.
    const folder = capture();
    expect(await runCli(['health', '--simulate', '--prometheus', '--output', dir], folder.io)).toBe(2);
    expect(folder.stderr).toBe(`vss: --output ${dir}: is a folder, not a file\n`);
    expect(readdirSync(dir)).toEqual(['vss.prom']);
  });

  // cold10 F3: a check that could not run left the last good .prom file (vss_health_status 0) in place.
  it('--prometheus --output: a check that cannot run writes vss_health_status 3 with the error code and the time over the last OK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vss-prom-'));
    const file = join(dir, 'vss.prom');
    expect(await runCli(['health', '--simulate', '--prometheus', '--output', file], capture().io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('\nvss_health_status 0\n');
    const bad = capture();
    const before = Math.floor(Date.now() / 1000);
    expect(await runCli(['health', '--simulate', '--prometheus', '--output', file, '--storage-warning', '120'], bad.io)).toBe(2);
    expect(bad.stderr).toMatch(/^vss: --storage-warning takes a percentage/);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# HELP vss_health_status .*\n# TYPE vss_health_status gauge\nvss_health_status 3\n/);
    expect(text).toContain('\nvss_health_check_error{code="ERR_USAGE"} 1\n');
    expect(Number(/vss_health_checked_timestamp_seconds (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(before);
    expect(readdirSync(dir)).toEqual(['vss.prom']);
    if (process.platform !== 'win32') {
      // VSS unreachable (the native backend off Windows): the same, with its code; the error still exits 1.
      const native = capture();
      expect(await runCli(['health', '--prometheus', '--output', file], native.io)).toBe(1);
      const unreachable = readFileSync(file, 'utf8');
      expect(unreachable).toContain('\nvss_health_status 3\n');
      expect(unreachable).toContain('\nvss_health_check_error{code="ERR_VSS_UNSUPPORTED_PLATFORM"} 1\n');
    }
  });

  // cold10 F2: commander's own parse errors exited 2 (CRITICAL to Nagios) with no plugin line.
  it('vss health --nagios: an unknown option, a missing argument or an extra argument is UNKNOWN (3) on one plugin line', async () => {
    for (const [args, message] of [
      [['--bogus'], "unknown option '--bogus'"],
      [['--since'], "option '--since <duration>' argument missing"],
      [['extra-arg'], 'too many arguments for'],
    ] as const) {
      const run = capture();
      expect(await runCli(['health', '--simulate', '--nagios', ...args], run.io)).toBe(3);
      expect(run.stdout).toMatch(new RegExp(`^VSS UNKNOWN - ${message.replace(/[<>]/g, '.')}[^\n]*\n$`));
      expect(run.stderr).toBe('');
    }
    // Without --nagios: the usual usage error, exit 2.
    const plain = capture();
    expect(await runCli(['health', '--simulate', '--bogus'], plain.io)).toBe(2);
    expect(plain.stderr).toMatch(/^vss: unknown option '--bogus'/);
  });

  it('the hosting service table knows the in-box writers', () => {
    expect(hostingServiceOf({ name: 'WMI Writer' })?.service).toBe('Winmgmt');
    expect(hostingServiceOf({ writerId: '66841cd4-6ded-4f4b-8f17-fd23f8ddc3de' })?.service).toBe('vmms');
    expect(hostingServiceOf({ writerId: 'a65faa63-5ea8-4ebc-9dbd-a0c4db26912a' })?.service).toBe('SQLWriter');
    expect(hostingServiceOf({ name: 'Nobody' })).toBeUndefined();
  });

  it("writerServiceAdvice: --restart-failed only for a failed state (it restarts nothing else); net stop/start for a stable writer with a last error or one in the unknown state; a writer the table lacks gets no invented service (health10 finding 3)", () => {
    const wmi = { name: 'WMI Writer', writerId: 'a6ad56c2-b509-4e6c-bb19-49d8f43532f0' };
    expect(writerServiceAdvice({ ...wmi, state: 'failed-at-freeze', lastError: { name: 'VSS_E_WRITERERROR_TIMEOUT' } })).toBe(
      'Restart the service that hosts it, Windows Management Instrumentation (Winmgmt), from an elevated prompt: vss writers --restart-failed --yes (or net stop Winmgmt && net start Winmgmt)',
    );
    expect(writerServiceAdvice({ ...wmi, state: 'unknown', lastError: null })).toBe(
      'Restart the service that hosts it, Windows Management Instrumentation (Winmgmt), from an elevated prompt: net stop Winmgmt && net start Winmgmt (vss writers --restart-failed restarts only writers in a failed state)',
    );
    expect(writerServiceAdvice({ ...wmi, state: 'stable', lastError: { name: 'VSS_E_WRITERERROR_OUTOFRESOURCES' } })).toMatch(/^Its last backup failed with VSS_E_WRITERERROR_OUTOFRESOURCES, which may not recur: retry/);
    expect(writerServiceAdvice({ name: 'Contoso Writer', writerId: '0c0c0c0c-1111-4222-8333-444444444444', state: 'stable', lastError: { name: 'VSS_E_WRITERERROR_NONRETRYABLE' } })).toBe(
      "Its last backup failed with VSS_E_WRITERERROR_NONRETRYABLE, which is likely to recur: look at its application's events (vss events) and restart its service. Restart the service or application that hosts this writer, then run vss writers again.",
    );
  });
});

// checkWriter and `vss check-writer`: every built-in writer passes; for each rule, a
// simulated writer that breaks it is reported failing exactly that rule (and what
// follows from it); JUnit output has the common schema's shape; a recorded run replays
// with the same verdicts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runProcess } from './helpers/run-process.mjs';

import { builtInScenarios, checkWriter, createSimulator, listWriters, recordedScenario, toJUnit, WRITER_RULES, type CheckWriterReport } from '../lib/index.js';
import { readXmlTree, type XmlTreeElement as XmlElement } from '../lib/metadata/parse.js';

// The JUnit report is read by the project's one XML reader.
const readXml = (xml: string) => ({ root: readXmlTree(xml) });
const attributeOf = (element: XmlElement, name: string): string | undefined => element.attributes[name];

const fast = { timing: { timeScale: 0.01 } };
const W = 'Registry Writer';
const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'vss-check-writer-'));

function machine(scenario: Record<string, unknown> = {}) {
  const timing = { ...fast.timing, ...((scenario.timing as object) ?? {}) };
  return createSimulator({ ...scenario, timing });
}

/** The failed rules as `rule[@phase]`, in order. */
function failed(report: CheckWriterReport): string[] {
  return report.rules.filter((r) => r.outcome === 'fail').map((r) => `${r.rule}${r.phase ? `@${r.phase}` : ''}`);
}

function verdicts(report: CheckWriterReport): string {
  return report.rules.map((r) => `${r.rule}${r.phase ? `@${r.phase}` : ''}:${r.outcome}`).join(' ');
}

async function vss(...args: string[]) {
  const result = await runProcess(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioFile(name: string, scenario: object): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('checkWriter: the built-in machines', () => {
  it('passes every built-in writer of every built-in scenario, aborted at every phase and restored', async () => {
    let checked = 0;
    for (const scenario of builtInScenarios()) {
      const sim = machine({ base: scenario });
      for (const w of await listWriters({ backend: sim })) {
        const report = await checkWriter(w.name, { backend: sim, abortAt: 'all', restore: true });
        expect(failed(report), `${scenario}: ${w.name}\n${JSON.stringify(report.rules, null, 1)}`).toEqual([]);
        expect(report.outcome).toBe('pass');
        // Rules 1-4 and 6 (per phase) always apply to a writer with metadata.
        for (const r of report.rules.filter((x) => [1, 2, 3, 4, 6].includes(x.rule))) expect(r.outcome, `${w.name} rule ${r.rule}`).toBe('pass');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(29);
  }, 120_000);

  it('checks backup stamps only where the writer keeps them (VSS_BS_TIMESTAMPED), and finds them on the SQL writer', async () => {
    const sim = machine({ base: 'sql-server' });
    const sql = await checkWriter('SqlServerWriter', { backend: sim });
    expect(sql.rules[4]).toMatchObject({ rule: 5, outcome: 'pass' });
    expect(sql.rules[4]!.evidence.slice(1).every((e) => /stamp '.+'/.test(e))).toBe(true);
    expect(sql.volumes.sort()).toEqual(['E:\\', 'F:\\']);
    const system = await checkWriter('System Writer', { backend: sim });
    expect(system.rules[4]).toMatchObject({ rule: 5, outcome: 'not-applicable' });
  });

  it('watches the writer through GatherWriterStatus after every step, and counts each call', async () => {
    const sim = machine();
    const report = await checkWriter('System Writer', { backend: sim, abortAt: 'all', restore: true });
    const observed = report.steps.filter((s) => s.after !== null).length;
    expect(report.statusGathers).toBe(observed);
    // before (1) + backup (5: metadata, start, prepare, snapshot, complete) + per phase an abort
    // run (2, 3 or 4 steps, then AbortBackup) and a full run (5) + restore (3: metadata, pre, post).
    // And one after the backup's session is released (OnBackupShutdown).
    expect(report.statusGathers).toBe(1 + 5 + 1 + (3 + 5) + (4 + 5) + (5 + 5) + 3);
    expect(report.rules.map((r) => r.rule)).toEqual([1, 2, 3, 4, 5, 6, 6, 6, 7]);
    expect(Object.keys(report.phaseDurations)).toEqual(['GatherWriterMetadata', 'StartSnapshotSet', 'PrepareForBackup', 'DoSnapshotSet', 'BackupComplete']);
    expect(report.freezeWindow).toEqual([{ volume: 'C:\\', atMostMs: report.phaseDurations.DoSnapshotSet }]);
  });

  it('cites Microsoft documentation for every rule', () => {
    expect(WRITER_RULES.map((r) => r.rule)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const r of WRITER_RULES) expect(r.sources.length).toBeGreaterThan(0);
  });
});

// Each broken writer, and the rules it must fail (a writer that fails a phase also ends with
// a last error, rule 1, and a failed state, rule 3; rules 6 and 7 are then not judged).
const broken: [string, Record<string, unknown>, string[], { writer?: string; restore?: boolean }?][] = [
  ['leaves a last error (stable with VSS_E_WRITERERROR_RETRYABLE before the run)', { writers: [{ name: W, lastError: 'VSS_E_WRITERERROR_RETRYABLE', failureMessage: 'left over' }] }, ['1']],
  ['fails OnBackupShutdown (seen only once the session is released)', { faults: [{ writer: W, phase: 'backup-shutdown', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }, ['1']],
  ['changes its metadata between identifies', { faults: [{ writer: W, phase: 'identify', kind: 'metadata' }] }, ['2']],
  ['skips waiting-for-backup-complete', { faults: [{ writer: W, phase: 'post-snapshot', kind: 'state', state: 'stable' }] }, ['3']],
  ['has its volume held past the 10-second flush-and-hold window', { timing: { commitMs: 11_000 } }, ['4']],
  ['has its volume not flushed within the 10-second flush-and-hold window (VSS_E_FLUSH_WRITES_TIMEOUT)', { timing: { flushMs: 11_000 } }, ['4']],
  ['holds its freeze past its own timeout', { writers: [{ name: W, freezeTimeoutMs: 5000 }], faults: [{ writer: W, phase: 'freeze', kind: 'slow', delayMs: 8000 }] }, ['1', '3', '4']],
  ['hangs at freeze past the response timeout', { timing: { responseTimeoutMs: 3000 }, faults: [{ writer: W, phase: 'freeze', kind: 'hang' }] }, ['1', '3', '4']],
  // A failure left from before the run is rule 1's alone: the run's own states and freeze are judged on what changed (cold8 F25).
  ['was failed-at-freeze with a timeout before the run, then froze and thawed in time', { writers: [{ name: W, state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT', failureMessage: 'timed out last night' }] }, ['1']],
  ['was failed-at-freeze with a timeout before the run and times out at freeze again in it', { writers: [{ name: W, state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT', freezeTimeoutMs: 5000 }], faults: [{ writer: W, phase: 'freeze', kind: 'slow', delayMs: 8000 }] }, ['1', '3', '4']],
  ['fails a phase (prepare-backup)', { faults: [{ writer: W, phase: 'prepare-backup', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }, ['1', '3']],
  ['loses its backup stamp', { base: 'sql-server', faults: [{ writer: 'SqlServerWriter', phase: 'post-snapshot', kind: 'no-stamp' }] }, ['5'], { writer: 'SqlServerWriter' }],
  // After DoSnapshotSet no Abort reaches the writer (CVssWriter::OnAbort: not called after OnPostSnapshot).
  ['stays waiting-for-backup-complete after AbortBackup', { faults: [{ writer: W, phase: 'abort', kind: 'state', state: 'waiting-for-backup-complete' }] }, ['6@prepare-for-backup']],
  ['fails PreRestore', { faults: [{ writer: W, phase: 'pre-restore', kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }, ['7']],
];

describe('checkWriter: a writer that breaks a rule', () => {
  for (const [what, scenario, rules, options] of broken) {
    it(`reports exactly rule ${rules.join(', ')} for a writer that ${what}, and replays it from a recording`, async () => {
      const writer = options?.writer ?? W;
      const report = await checkWriter(writer, { backend: machine(scenario), abortAt: 'all', restore: true });
      expect(failed(report), JSON.stringify(report.rules, null, 1)).toEqual(rules);
      for (const r of report.rules.filter((x) => x.outcome === 'fail')) expect(r.evidence.length).toBeGreaterThan(0);
      // The recording replays on a fresh machine with the same verdicts.
      const recorded = recordedScenario(report);
      expect(recorded).toHaveProperty('writers.0.metadataXml');
      const replay = await checkWriter(writer, { backend: machine(recorded), abortAt: 'all', restore: true });
      expect(verdicts(replay)).toBe(verdicts(report));
    });
  }

  it('names the state seen and the state documented', async () => {
    const report = await checkWriter(W, { backend: machine(broken.find(([what]) => what.startsWith('skips'))![1]) });
    expect(report.rules[2]!.evidence[0]).toBe('after DoSnapshotSet the writer is stable, where VSS documents waiting-for-backup-complete');
  });

  it('rejects an unknown writer with VSS_E_OBJECT_NOT_FOUND naming the writers there are, and bad options with TypeError', async () => {
    await expect(checkWriter('No Such Writer', { backend: machine() })).rejects.toMatchObject({ code: 'VSS_E_OBJECT_NOT_FOUND', message: expect.stringContaining('System Writer') });
    await expect(checkWriter('', { backend: machine() })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(checkWriter(W, { backend: machine(), abortAt: ['freeze' as never] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('do-snapshot-set') });
  });

  it('rejects, rather than passes, a writer it could not drive: another requester holds the snapshot set, or the provider fails', async () => {
    await expect(checkWriter(W, { backend: machine({ faults: [{ machine: 'snapshot-set-in-progress' }] }) })).rejects.toMatchObject({
      code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS',
      operation: 'StartSnapshotSet',
    });
    const provider = 'b5946137-7b9f-4925-af80-51abd60b20d5';
    await expect(checkWriter(W, { backend: machine({ faults: [{ provider, phase: 'commit', error: 'VSS_E_UNEXPECTED_PROVIDER_ERROR' }] }) })).rejects.toMatchObject({
      code: 'VSS_E_UNEXPECTED_PROVIDER_ERROR',
    });
  });

  it('refuses the new fault kinds where no writer could break that way', () => {
    expect(() => createSimulator({ faults: [{ writer: W, phase: 'freeze', kind: 'no-stamp' }] })).toThrow(/post-snapshot/);
    expect(() => createSimulator({ faults: [{ writer: W, phase: 'freeze', kind: 'metadata' }] })).toThrow(/identify/);
    expect(() => createSimulator({ faults: [{ writer: W, phase: 'freeze', kind: 'state' }] })).toThrow(/needs the state/);
    expect(() => createSimulator({ faults: [{ writer: W, phase: 'abort', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] })).toThrow(/only be left in the wrong state/);
    expect(() => createSimulator({ faults: [{ writer: W, phase: 'freeze', kind: 'state', state: 'sleeping' }] })).toThrow(/state/);
  });
});

// The attributes the common JUnit schema (Ant's junit.xsd as Jenkins publishes it) allows.
const JUNIT_ATTRIBUTES: Record<string, string[]> = {
  testsuites: ['name', 'time', 'tests', 'failures', 'disabled', 'errors', 'skipped'],
  testsuite: ['name', 'tests', 'failures', 'errors', 'group', 'time', 'disabled', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url', 'version'],
  properties: [],
  property: ['name', 'value'],
  testcase: ['name', 'assertions', 'time', 'classname', 'status', 'group', 'file', 'line'],
  failure: ['message', 'type'],
  error: ['message', 'type'],
  skipped: ['message'],
  'system-out': [],
  'system-err': [],
};
const JUNIT_CHILDREN: Record<string, string[]> = {
  testsuites: ['testsuite'],
  testsuite: ['properties', 'testcase', 'system-out', 'system-err'],
  properties: ['property'],
  testcase: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
};

function checkJUnitShape(element: XmlElement): void {
  expect(Object.keys(JUNIT_ATTRIBUTES), `element <${element.name}>`).toContain(element.name);
  const names = Object.keys(element.attributes);
  for (const n of names) expect(JUNIT_ATTRIBUTES[element.name], `attribute ${n} of <${element.name}>`).toContain(n);
  for (const child of element.children) {
    expect(JUNIT_CHILDREN[element.name] ?? [], `<${child.name}> in <${element.name}>`).toContain(child.name);
    checkJUnitShape(child);
  }
}

describe('toJUnit', () => {
  it('gives one test case per rule and phase, counts that match, and the schema`s names, with hostile text escaped', async () => {
    const name = 'Ledger & <Books> "Writer" \'x\' \u0001';
    const sim = machine({
      writers: [
        {
          name,
          writerId: '6f1b3a1e-2c4d-4e5f-8a9b-0c1d2e3f4a5b',
          restoreMethod: { method: 'restore-if-can-replace' },
          components: [{ name: 'Books]]>', files: [{ path: 'C:\\Ledger', filespec: '*.ldb' }] }],
        },
      ],
      faults: [{ writer: name, phase: 'post-snapshot', kind: 'state', state: 'stable' }],
    });
    const report = await checkWriter(name, { backend: sim, abortAt: 'all' });
    const xml = toJUnit(report);
    const { root } = readXml(xml);
    expect(root.name).toBe('testsuites');
    checkJUnitShape(root);
    expect(root.children).toHaveLength(1);
    const suite = root.children[0]!;
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(cases).toHaveLength(report.rules.length);
    expect(cases).toHaveLength(9);
    const count = (kind: string) => cases.filter((c) => c.children.some((x) => x.name === kind)).length;
    for (const el of [root, suite]) {
      expect(attributeOf(el, 'tests')).toBe(String(cases.length));
      expect(attributeOf(el, 'failures')).toBe(String(count('failure')));
      expect(attributeOf(el, 'skipped')).toBe(String(count('skipped')));
      expect(attributeOf(el, 'errors')).toBe('0');
      expect(Number(attributeOf(el, 'time'))).toBeGreaterThanOrEqual(0);
    }
    expect(count('failure')).toBe(report.rules.filter((r) => r.outcome === 'fail').length);
    expect(count('failure')).toBe(1);
    for (const c of cases) {
      expect(attributeOf(c, 'classname')).toMatch(/^vss\.check-writer\.\w+$/);
      expect(attributeOf(c, 'time')).toMatch(/^\d+\.\d{3}$/);
    }
    expect(attributeOf(suite, 'name')).toBe(`check-writer ${name.replace('\u0001', '\ufffd')}`);
    const failure = cases.flatMap((c) => c.children).find((x) => x.name === 'failure')!;
    expect(attributeOf(failure, 'message')).toBe('after DoSnapshotSet the writer is stable, where VSS documents waiting-for-backup-complete');
    expect(failure.text).toContain('source: VSS_WRITER_STATE');
    expect(attributeOf(cases[5]!, 'name')).toBe(`rule 6 abort at start-snapshot-set: ${WRITER_RULES[5]!.title}`);
  });
});

describe('vss check-writer', () => {
  const good = scenarioFile('good.json', { ...fast });
  const skipping = scenarioFile('skipping.json', { ...fast, faults: [{ writer: W, phase: 'post-snapshot', kind: 'state', state: 'stable' }] });

  it('prints a table and a summary, and exits 0 when every rule passes', async () => {
    const r = await vss('check-writer', 'System Writer', `--simulate=${good}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Rule +Result +Evidence\n/);
    expect(r.stdout).toMatch(/^3 states +pass +as documented after each step: GatherWriterMetadata stable, StartSnapshotSet stable, PrepareForBackup stable, DoSnapshotSet waiting-for-backup-complete, BackupComplete stable$/m);
    expect(r.stdout).toMatch(/System Writer \(e8132975-6f93-4464-a53e-1050253ae220\): 4 passed, 0 failed, 3 not applicable; 7 GatherWriterStatus calls/);
  });

  it('exits 1 with the evidence when a rule fails, and writes JUnit XML and a recording that replays the same', async () => {
    const junit = join(scratch, 'check.xml');
    const record = join(scratch, 'recorded.json');
    const r = await vss('check-writer', W, `--simulate=${skipping}`, '--abort-at', 'all', '--junit', junit, '--record', record);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rule 3 states failed: goes through the documented states in order, never to a failed state');
    expect(readXml(readFileSync(junit, 'utf8')).root.name).toBe('testsuites');
    const json = await vss('check-writer', W, `--simulate=${skipping}`, '--abort-at', 'all', '--json');
    const replay = await vss('check-writer', W, `--simulate=${record}`, '--abort-at', 'all', '--json');
    expect(json.code).toBe(1);
    expect(replay.code).toBe(1);
    const outcomes = (text: string) => (JSON.parse(text) as CheckWriterReport).rules.map((x) => `${x.rule}:${x.outcome}`);
    expect(outcomes(replay.stdout)).toEqual(outcomes(json.stdout));
  });

  it('is one line and exit 2 for a bad --abort-at or an unwritable --junit, and exit 3 for a writer it cannot find', async () => {
    const bad = await vss('check-writer', W, `--simulate=${good}`, '--abort-at', 'freeze');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('vss: --abort-at freeze: not a phase; use start-snapshot-set, prepare-for-backup, do-snapshot-set (comma-separated) or all\n');
    const badJson = await vss('check-writer', W, `--simulate=${good}`, '--abort-at', 'freeze', '--json');
    expect(JSON.parse(badJson.stderr).error.code).toBe('ERR_INVALID_ABORT_PHASE');
    const junit = await vss('check-writer', W, `--simulate=${good}`, '--junit', '/nonexistent-folder/x.xml', '--json');
    expect(junit.code).toBe(2);
    expect(JSON.parse(junit.stderr).error).toMatchObject({ code: 'ERR_FILE_NOT_WRITABLE', exitCode: 2 });
    const busy = await vss('check-writer', W, `--simulate=${scenarioFile('busy.json', { ...fast, faults: [{ machine: 'snapshot-set-in-progress' }] })}`, '--json');
    expect(busy.code).toBe(3);
    expect(JSON.parse(busy.stderr).error).toMatchObject({ code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS', exitCode: 3 });
    const missing = await vss('check-writer', 'Nope Writer', `--simulate=${good}`);
    expect(missing.code).toBe(3);
    expect(missing.stderr.split('\n')).toHaveLength(2);
    expect(missing.stderr).toMatch(/^vss: No writer named Nope Writer on this machine; it has: Task Scheduler Writer, /);
    expect(missing.stdout).toBe('');
  });
});

/**
 * `vss check-writer NAME`: checks one writer against the contract VSS documents for
 * writers (lib/check-writer.ts), as a table, JSON or JUnit XML, and records it for replay.
 * @internal
 * @module
 */
import { resolve } from 'node:path';

import type { Command } from 'commander';

import { ABORT_PHASES, WRITER_RULES, checkWriter, recordedScenario, type AbortPhase, type CheckWriterReport } from '../check-writer.js';
import { AbortError } from '../errors.js';
import { toJUnit } from '../junit.js';
import { checkOutputFile, writeFileAtomic } from './output-file.js';
import type { Output } from './output.js';
import { act, backendFrom, commandSignal, setExitCode, UsageError, withCommon, type CommonOptions } from './program.js';
import { errorJson, reportError } from './report.js';

/** check-writer's own exit codes (the issue's contract for CI): 0 every rule passed, 1 a rule failed, 2 usage, 3 the writer could not be driven. */
export const CheckWriterExit = { Passed: 0, RuleFailed: 1, Usage: 2, NotDriven: 3 } as const;

interface CheckWriterCliOptions extends CommonOptions {
  restore?: boolean;
  abortAt?: string;
  junit?: string;
  record?: string;
}

function abortPhases(value: string | undefined): 'all' | AbortPhase[] {
  if (value === undefined) return [];
  if (value === 'all') return 'all';
  const list = value.split(',').map((p) => p.trim());
  for (const p of list)
    if (!(ABORT_PHASES as readonly string[]).includes(p))
      throw new UsageError(`--abort-at ${p}: not a phase; use ${ABORT_PHASES.join(', ')} (comma-separated) or all`, 'ERR_INVALID_ABORT_PHASE');
  return list as AbortPhase[];
}

/** A file the check will write must be writable before hours of VSS work, not after. */
const OUTCOME = { pass: 'pass', fail: 'FAIL', 'not-applicable': 'n/a' } as const;

function printReport(out: Output, report: CheckWriterReport): void {
  out.table(
    report.rules,
    [
      { header: 'Rule', value: (r) => `${r.rule} ${r.id}${r.phase ? ` @${r.phase}` : ''}`, minWidth: 12 },
      { header: 'Result', value: (r) => OUTCOME[r.outcome], style: (v) => (v === 'FAIL' ? 'red' : v === 'pass' ? 'green' : null) },
      { header: 'Evidence', value: (r) => r.evidence[0] ?? '', minWidth: 30 },
    ],
    'no rules',
  );
  for (const r of report.rules.filter((x) => x.outcome === 'fail')) {
    out.print(`\nrule ${r.rule} ${r.id}${r.phase ? ` at ${r.phase}` : ''} failed: ${r.title}`);
    for (const line of r.evidence) out.print(`  ${line}`);
    out.print(`  (${r.sources.join('; ')})`);
  }
  const count = (o: string) => report.rules.filter((r) => r.outcome === o).length;
  const durations = Object.entries(report.phaseDurations)
    .map(([step, ms]) => `${step} ${ms.toFixed(0)} ms`)
    .join(', ');
  out.print(
    `\n${report.writer.name} (${report.writer.writerId}): ${count('pass')} passed, ${count('fail')} failed, ${count('not-applicable')} not applicable; ` +
      `${report.statusGathers} GatherWriterStatus calls; components ${report.components.join(', ') || 'none'}; volumes ${report.volumes.join(' ')}` +
      `${durations ? `; ${durations}` : ''}`,
  );
}

const RULES_HELP = WRITER_RULES.map((r) => `  ${r.rule}. ${r.title}\n     (${r.sources.join('; ')})`).join('\n');

export function addCheckWriterCommand(program: Command): void {
  const command = program
    .command('check-writer')
    .argument('<name>', 'the writer: its name, class id or instance id')
    .description("check one writer against VSS's writer contract: a component-mode backup of its components, watched through GatherWriterStatus after every step")
    .option('--restore', 'also restore its components from the document just made (PreRestore, PostRestore; no file is copied back)')
    .option('--abort-at <phase>', `also abort a backup right after ${ABORT_PHASES.join(', ')} (comma-separated) or all, then run a full backup`)
    .option('--junit <file>', 'also write the result as JUnit XML (one test case per rule and phase)')
    .option('--record <file>', 'also write a scenario fragment replaying this writer (--simulate=FILE or createSimulator)')
    .addHelpText(
      'after',
      `\nRules (each from the Microsoft documentation named):\n${RULES_HELP}\n\n` +
        'Only the writer checked takes part (EnableWriterClasses); GatherWriterStatus runs after every\n' +
        'step, and the count is printed. The states inside DoSnapshotSet (waiting for freeze, thaw,\n' +
        'post-snapshot) cannot be observed by a requester; the freeze window is bounded by DoSnapshotSet.\n' +
        'Exit codes: 0 every rule passed, 1 a rule failed, 2 bad usage, 3 the writer could not be driven\n' +
        '(no such writer, VSS unavailable).',
    );
  withCommon(command, [
    "vss check-writer 'System Writer' --simulate",
    "vss check-writer SqlServerWriter --simulate=sql-server --abort-at all --restore --junit check.xml",
    "vss check-writer 'Registry Writer' --json | jq '.rules[] | select(.outcome == \"fail\")'",
    "vss check-writer 'Microsoft Hyper-V VSS Writer' --record hyperv-writer.json",
  ]).action(
    act(async (out, options: CheckWriterCliOptions, name: string) => {
      const abortAt = abortPhases(options.abortAt);
      checkOutputFile('--junit', options.junit);
      checkOutputFile('--record', options.record);
      const backend = backendFrom(options);
      let report: CheckWriterReport;
      try {
        report = await checkWriter(name, {
          backend,
          restore: options.restore ?? false,
          abortAt,
          signal: commandSignal(),
          onStep: (s) => out.progress.phase(`checking ${name}: ${s.run} run, ${s.step} done`),
        });
      } catch (error) {
        if (error instanceof AbortError || error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) throw error;
        // No such writer, VSS unavailable or refusing: the writer could not be driven.
        out.progress.done();
        if (options.json) out.io.stderr.write(`${JSON.stringify({ error: { ...errorJson(error), exitCode: CheckWriterExit.NotDriven } })}\n`);
        else reportError(error, out.io.stderr, { paint: out.paintErr });
        setExitCode(CheckWriterExit.NotDriven);
        return;
      }
      out.progress.done();
      if (options.junit) writeFileAtomic(resolve(options.junit), toJUnit(report), '--junit');
      if (options.record) writeFileAtomic(resolve(options.record), `${JSON.stringify(recordedScenario(report), null, 2)}\n`, '--record');
      if (options.json) {
        // The metadata document can be megabytes (the System Writer lists ~19,000 files): --record keeps it.
        const { metadata, ...rest } = report;
        out.json({ ...rest, metadata: metadata ? { components: metadata.components.length, backupSchema: metadata.backupSchema } : null });
      } else printReport(out, report);
      setExitCode(report.outcome === 'pass' ? CheckWriterExit.Passed : CheckWriterExit.RuleFailed);
    }),
  );
}

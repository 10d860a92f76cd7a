/**
 * `vss health`: a monitoring check of writer states, recent VSS-related error
 * events and shadow storage pressure, for a person, a Nagios/Icinga plugin run,
 * or windows_exporter's textfile collector (Prometheus format).
 * @internal
 * @module
 */
import { Command, Option } from 'commander';

import { parseDuration } from '../events.js';
import { checkHealth, formatNagios, formatNagiosUnknown, formatPrometheus, formatPrometheusUnknown, HealthExitCodes, type HealthReport, writerName } from '../health.js';
import type { Output } from './output.js';
import { checkOutputFile, FILE_NOT_WRITABLE, writeFileAtomic } from './output-file.js';
import { UsageError } from './report.js';
import { COMMON_WORDS, inCliWords } from './words.js';
import { sinceFlag } from './events.js';
import { act, backendFrom, commandSignal, setExitCode, useWords, withCommon, writerRows, type CommonOptions } from './program.js';

interface HealthCliOptions extends CommonOptions {
  nagios?: boolean;
  prometheus?: boolean;
  output?: string;
  since: string;
  ignore?: string[];
  expect?: string[];
  probe?: boolean;
  storageWarning: string;
  storageCritical: string;
}

const HEALTH_WORDS = { 'options.ignore[]': '--ignore', 'options.expect[]': '--expect', 'options.ignore': '--ignore' };

function percent(text: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0 || Number(text) > 100) throw new UsageError(`${flag} takes a percentage above 0 and at most 100, not '${text}'`);
  return Number(text);
}

function personReport(report: HealthReport, out: Output): void {
  const lines: string[] = [];
  // By instance id, not by name: a name matched every instance of a class, the stable one too (cold10 F4).
  const writers = report.writers.filter((w) => report.problems.some((p) => p.instanceIds?.includes(w.instanceId)));
  if (writers.length) {
    writerRows(writers.map((w) => ({ ...w, name: writerName(w, report.writers) })), out);
    out.print('');
  }
  // Every problem, with its remedy where there is one (one without, such as a protection state
  // that could not be read with no known remedy, was left out of this list).
  for (const p of report.problems) lines.push(`${p.status}: ${p.message}`, ...(p.remedy ? [`  ${p.remedy}`] : []));
  if (lines.length) lines.push('');
  const summary = `VSS ${report.status} - ${report.summary}`;
  const style = report.status === 'CRITICAL' || report.status === 'UNKNOWN' ? 'red' : report.status === 'WARNING' ? 'yellow' : null;
  lines.push(style ? out.paint(style, summary) : summary);
  out.print(lines.join('\n'));
}

/** The JSON form: the report, plus the verdict fields earlier versions printed. */
function jsonReport(report: HealthReport): object {
  // Without the ignored writers, as the verdict (an ignored failed writer is not "failing" here).
  const checked = report.writers.filter((w) => !report.ignoredWriters.includes(w.name));
  const failing = checked.filter((w) => w.state.startsWith('failed-') || w.state === 'unknown');
  const busy = checked.filter((w) => !failing.includes(w) && w.state !== 'stable');
  // exitCode is what this command exits with (0 healthy, 3 not: README's exit codes); the plugin's
  // code, which only --nagios exits with, is nagiosExitCode. One field with two meanings misled.
  return { ...report, exitCode: cliExitCode(report), nagiosExitCode: report.exitCode, healthy: report.status === 'OK', failing, busy };
}

/** Without --nagios or --prometheus: 0 only when OK, 3 when not (the machine is not healthy). */
function cliExitCode(report: HealthReport): number {
  return report.status === 'OK' ? 0 : 3;
}

export function addHealthCommand(program: Command): void {
  withCommon(
    program
      .command('health')
      .description('monitoring check: writer states, recent VSS-related error events, shadow storage use')
      .option('--nagios', 'Nagios/Icinga plugin output with performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN')
      .option('--prometheus', 'Prometheus text format (for the windows_exporter textfile collector); exits 0 once written: the verdict is vss_health_status')
      .option('--output <file>', 'write the output to this file atomically (with --prometheus: a .prom file in the collector folder)')
      .option('--since <duration>', 'the event window: 30m, 24h, 7d, or an ISO date (UTC unless it names a zone)', '24h')
      .option('--ignore <writer...>', 'leave these writers (names or class ids) out of the verdict')
      .option('--expect <writer...>', 'these writers must exist: a missing one is CRITICAL')
      .option('--probe', 'identify every writer a second time, in a session of its own (every check asks once): catches a writer that fails only some of the time')
      .addOption(new Option('--storage-warning <percent>', 'shadow storage use above which the check warns').default('80'))
      .addOption(new Option('--storage-critical <percent>', 'shadow storage use above which the check is critical').default('95')),
    ['vss health --simulate', 'vss health --nagios', 'vss health --prometheus --output vss.prom', 'vss health --expect "SqlServerWriter" --since 7d'],
  ).action(
    act(async (out, options: HealthCliOptions) => {
    const monitoring = options.nagios || options.prometheus;
    useWords(HEALTH_WORDS);
    let report: HealthReport;
    try {
      if ([options.nagios, options.prometheus, options.json].filter(Boolean).length > 1) throw new UsageError('choose one of --nagios, --prometheus and --json');
      if (options.output !== undefined && !options.prometheus && !options.nagios && !options.json) throw new UsageError('--output goes with --prometheus, --nagios or --json');
      // Read as vss events reads it (UTC unless zoned, cold10 F1); refused when not a time, before
      // any event log could exist (F19), or still to come (it would count no event and pass for a quiet machine).
      const sinceTime = sinceFlag(options.since, 'be counted');
      const storageWarningPercent = percent(options.storageWarning, '--storage-warning');
      const storageCriticalPercent = percent(options.storageCritical, '--storage-critical');
      if (storageWarningPercent > storageCriticalPercent) throw new UsageError('--storage-warning must not be above --storage-critical');
      checkOutputFile('--output', options.output);
      if (monitoring) out.progress.done();
      report = await checkHealth({
        backend: backendFrom(options),
        since: parseDuration(options.since) !== undefined ? options.since : sinceTime,
        ignore: options.ignore,
        expect: options.expect,
        probe: options.probe ?? false,
        storageWarningPercent,
        storageCriticalPercent,
        signal: commandSignal(),
      }).finally(() => out.progress.done());
    } catch (error) {
      // The collector reads whatever file is there: a check that could not run writes UNKNOWN (3)
      // rather than leave the last run's OK in place (cold10 F3); then the error as usual.
      if (options.prometheus && (error as { code?: unknown }).code !== FILE_NOT_WRITABLE) {
        try {
          emit(out, options, formatPrometheusUnknown(error).trimEnd());
        } catch {
          // The file cannot be written either: the error below says why the check did not run.
        }
      }
      // A plugin answers UNKNOWN (3) for anything that kept it from checking, usage errors included.
      if (!options.nagios) throw error;
      // A bad option's library message in the command's words, as without --nagios ("--expect must be ...").
      const said = error instanceof TypeError || error instanceof RangeError ? inCliWords(error.message, { ...COMMON_WORDS, ...HEALTH_WORDS }) : error;
      if ((error as { code?: unknown }).code === FILE_NOT_WRITABLE) out.print(formatNagiosUnknown(said));
      else emit(out, options, formatNagiosUnknown(said));
      setExitCode(HealthExitCodes.UNKNOWN);
      return;
    }
    // A name that matches no writer ignores nothing: said, not refused (one configuration serves
    // machines with and without a writer). stderr, so that --nagios and --prometheus output stay clean.
    for (const name of report.unmatchedIgnore)
      out.io.stderr.write(`vss: warning: --ignore '${name}' matches no writer on this machine (name or class id, as vss writers shows them); it ignores nothing\n`);
    let written = true;
    if (options.nagios) written = emit(out, options, formatNagios(report, { storageWarningPercent: Number(options.storageWarning), storageCriticalPercent: Number(options.storageCritical) }));
    else if (options.prometheus) emit(out, options, formatPrometheus(report).trimEnd());
    else if (options.json) {
      if (options.output) emit(out, options, JSON.stringify(jsonReport(report), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
      else out.json(jsonReport(report));
    } else personReport(report, out);
    // Exit codes: the plugin's with --nagios; with --prometheus 0 once the metrics are written (the
    // verdict is in vss_health_status; a scheduled task that exits non-zero only adds noise);
    // otherwise 0 only when OK, 3 (not healthy) when not.
    if (options.nagios) {
      if (written) setExitCode(report.exitCode);
    } else if (!options.prometheus && cliExitCode(report) !== 0) setExitCode(cliExitCode(report));
    }),
  );
}

/** Prints or writes the output; false when --nagios had to answer UNKNOWN instead (the file could not be written). */
function emit(out: Output, options: HealthCliOptions, text: string): boolean {
  if (!options.output) {
    out.print(text);
    return true;
  }
  try {
    writeFileAtomic(options.output, `${text}\n`);
    return true;
  } catch (error) {
    // A plugin still prints its one line: UNKNOWN, because the check's output was lost.
    if (!options.nagios) throw error;
    out.print(formatNagiosUnknown(error));
    setExitCode(HealthExitCodes.UNKNOWN);
    return false;
  }
}

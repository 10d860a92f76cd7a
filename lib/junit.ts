/**
 * A writer check as JUnit XML, the report format every CI system reads (Jenkins, GitLab,
 * Azure DevOps): one `<testcase>` per rule, and per phase for rule 6.
 * @module
 */
import type { CheckWriterReport, RuleResult } from './check-writer.js';

/** Characters XML 1.0 cannot hold at all (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escape(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/** Element text keeps its line breaks (a CI page shows the evidence line by line). */
function escapeText(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The time a rule's test case took: the run it judged (rule 1: the first look, rule 3: the backup run, 6: its two runs, 7: the restore). */
function ruleTime(report: CheckWriterReport, r: RuleResult): number {
  const runs =
    r.rule === 1 ? ['before'] : r.rule === 3 ? ['backup'] : r.rule === 6 && r.phase ? [`abort-at-${r.phase}`, `after-abort-${r.phase}`] : r.rule === 7 ? ['restore'] : [];
  return report.steps.filter((s) => runs.includes(s.run)).reduce((sum, s) => sum + s.durationMs, 0);
}

function caseName(r: RuleResult): string {
  return `rule ${r.rule} ${r.id}${r.phase ? ` at ${r.phase}` : ''}: ${r.title}`;
}

/**
 * The report as JUnit XML: `<testsuites>` holding one `<testsuite>` for the writer, with one
 * `<testcase>` per rule (rule 6: per phase aborted at); a failed rule has a `<failure>` whose
 * text is the evidence, a rule that does not apply is `<skipped>`. Names and attributes follow
 * the common JUnit schema (Ant's and Jenkins' junit.xsd).
 * @example
 * const report = await checkWriter('System Writer', { backend: createSimulator({ timing: { timeScale: 0.01 } }) });
 * await fs.promises.writeFile('check-writer.xml', toJUnit(report));
 */
export function toJUnit(report: CheckWriterReport): string {
  const failures = report.rules.filter((r) => r.outcome === 'fail').length;
  const skipped = report.rules.filter((r) => r.outcome === 'not-applicable').length;
  const tests = report.rules.length;
  const time = seconds(report.durationMs);
  const suite = `check-writer ${report.writer.name}`;
  const classname = `vss.check-writer.${report.writer.name.replace(/[^A-Za-z0-9_]+/g, '_')}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vss check-writer" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${escape(suite)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${report.startedAt.toISOString().replace(/\.\d+Z$/, '')}">`,
    '    <properties>',
    `      <property name="writerId" value="${escape(report.writer.writerId)}"/>`,
    `      <property name="instanceId" value="${escape(report.writer.instanceId)}"/>`,
    `      <property name="backend" value="${escape(report.backend)}"/>`,
    `      <property name="statusGathers" value="${report.statusGathers}"/>`,
    `      <property name="volumes" value="${escape(report.volumes.join(' '))}"/>`,
    '    </properties>',
  ];
  for (const r of report.rules) {
    const open = `    <testcase classname="${escape(classname)}" name="${escape(caseName(r))}" time="${seconds(ruleTime(report, r))}"`;
    const evidence = [...r.evidence, `source: ${r.sources.join('; ')}`].join('\n');
    if (r.outcome === 'pass') {
      lines.push(`${open}>`, `      <system-out>${escapeText(evidence)}</system-out>`, '    </testcase>');
    } else if (r.outcome === 'fail') {
      lines.push(`${open}>`, `      <failure message="${escape(r.evidence[0] ?? 'failed')}" type="WriterContractViolation">${escapeText(evidence)}</failure>`, '    </testcase>');
    } else {
      lines.push(`${open}>`, `      <skipped message="${escape(r.evidence[0] ?? 'not applicable')}"/>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

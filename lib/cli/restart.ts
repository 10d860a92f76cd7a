/**
 * `vss writers --restart-failed [--yes]`: restarts the service that hosts each
 * failed writer (lib/restart.ts), after asking on a terminal, and shows each
 * writer's state afterwards.
 * @internal
 * @module
 */
import { listWriters } from '../writers.js';
import { isFailedWriter, restartFailedWriters, WritersBusyError, type RestartReport } from '../restart.js';
import { hostingServiceOf } from '../services.js';
import type { Output } from './output.js';
import { backendFrom, commandSignal, setExitCode, UsageError, type CommonOptions } from './program.js';
import { ExitCode, errorJson } from './report.js';

export interface RestartOptions extends CommonOptions {
  restartFailed?: boolean;
  yes?: boolean;
}

function refuseBusy(out: Output, error: WritersBusyError, json: boolean): void {
  if (json) out.io.stderr.write(`${JSON.stringify({ error: { ...errorJson(error), writers: error.writers.map((w) => ({ name: w.name, state: w.state })), exitCode: ExitCode.VssFailure } })}\n`);
  else out.io.stderr.write(`vss: ${error.message}\n`);
  setExitCode(ExitCode.VssFailure);
}

export async function restartFailedCommand(out: Output, options: RestartOptions): Promise<void> {
  const backend = backendFrom(options);
  const signal = commandSignal();
  const json = options.json === true;
  // What would be restarted, so that the question names it.
  const writers = await listWriters({ backend, signal, correlateEvents: false });
  const busy = writers.filter((w) => w.state.startsWith('waiting-'));
  if (busy.length > 0) return refuseBusy(out, new WritersBusyError(busy), json);
  const failed = writers.filter(isFailedWriter);
  if (failed.length === 0) {
    if (json) return out.json({ services: [], writers: [] } satisfies RestartReport);
    return out.print('no failed writers: nothing to restart');
  }
  const plan = new Map<string, string[]>();
  for (const w of failed) {
    const row = hostingServiceOf(w);
    const key = row ? `${row.service} (${row.displayName})` : '';
    if (key) plan.set(key, [...(plan.get(key) ?? []), w.name]);
  }
  if (!options.yes) {
    if (!out.io.confirm) throw new UsageError('--restart-failed restarts Windows services: add --yes to confirm (nothing is asked when not on a terminal)');
    const question = `restart ${plan.size === 1 ? 'this service' : `these ${plan.size} services`}?\n${[...plan].map(([s, w]) => `  ${s}, for ${w.join(', ')}`).join('\n')}\n[y/N] `;
    if (plan.size === 0 || !(await out.io.confirm(question))) {
      out.note('vss: nothing restarted');
      setExitCode(ExitCode.VssFailure);
      return;
    }
  }
  let report: RestartReport;
  try {
    report = await restartFailedWriters({ backend, signal });
  } catch (error) {
    // A backup started between the look and the restart.
    if (error instanceof WritersBusyError) return refuseBusy(out, error, json);
    throw error;
  }
  const stillFailing = report.writers.some((w) => w.stateAfter !== 'stable');
  if (stillFailing) setExitCode(ExitCode.WriterFailure);
  if (json) return out.json({ services: report.services.map((s) => ({ ...s, error: s.error ? errorJson(s.error) : null })), writers: report.writers });
  out.table(
    report.writers,
    [
      { header: 'Writer', value: (w) => w.name, minWidth: 14 },
      { header: 'Service', value: (w) => w.service ?? '(unknown: not restarted)' },
      // With the numbers, as vss writers and vssadmin show them.
      { header: 'Before', value: (w) => `[${w.stateBeforeCode}] ${w.stateBefore}` },
      { header: 'After', value: (w) => (w.stateAfter === null ? '(not listed)' : `[${w.stateAfterCode}] ${w.stateAfter}`) },
    ],
    'no failed writers',
  );
  for (const s of report.services) {
    if (s.restarted) out.note(`${s.wasRunning ? 'restarted' : 'started'} ${s.service} (${s.displayName})${s.wasRunning ? '' : ', which was stopped'}${s.dependents.length ? `, and the services that depend on it: ${s.dependents.join(', ')}` : ''}`);
    else out.io.stderr.write(`vss: could not restart ${s.service} (${s.displayName}): ${s.error?.code ?? 'unknown error'}: ${s.error?.message ?? ''}\n`);
  }
}

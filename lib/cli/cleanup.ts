/**
 * `vss cleanup`: deletes the snapshot sets vss-napi made whose process died before it could
 * delete them (the leak journal's orphans); `--dry-run` only lists them.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { machineKey } from '../journal.js';
import { cleanupOrphans } from '../orphans.js';
import { UsageError } from './report.js';
import { act, backendFrom, commandSignal, withCommon, type CommonOptions } from './program.js';

export function addCleanupCommand(program: Command): void {
  withCommon(
    program
      .command('cleanup')
      .description("delete the persistent snapshot sets vss-napi made whose process is gone (killed or crashed) and that were not kept")
      .option('--dry-run', 'only list them')
      .option('--journal <file>', 'the leak journal to read (default: VSS_NAPI_JOURNAL, else the per-user state folder)'),
    ['vss cleanup --dry-run', 'vss cleanup --json', 'vss cleanup --simulate --state machine.json'],
  ).action(
    act(async (out, options: CommonOptions & { dryRun?: boolean; journal?: string }) => {
      const backend = backendFrom(options);
      if (machineKey(backend) === null)
        throw new UsageError('--simulate without --state: that simulated machine lives only as long as this command, so it has no orphans; name its state file with --state');
      const result = await cleanupOrphans({
        backend,
        signal: commandSignal(),
        dryRun: options.dryRun ?? false,
        ...(options.journal !== undefined ? { journal: options.journal } : {}),
      });
      if (options.json) return out.json(result);
      const action = (setId: string, present: number) =>
        result.dryRun ? (present > 0 ? 'would delete' : 'would forget (already gone)') : result.deleted.some((d) => d.setId === setId) ? 'deleted' : 'forgotten (already gone)';
      out.table(
        result.orphans,
        [
          { header: 'Snapshot set', value: (o) => o.setId, minWidth: 36 },
          { header: 'Process', value: (o) => `${o.pid} (${o.why === 'pid-reused' ? 'id reused' : 'gone'})` },
          { header: 'Created', value: (o) => o.createdAt },
          { header: 'Shadow copies', value: (o) => `${o.present.length} of ${o.shadowIds.length}` },
          { header: 'Exposed', value: (o) => o.exposures.map((x) => x.name).join(' ') || '-' },
          { header: 'Action', value: (o) => action(o.setId, o.present.length) },
        ],
        'no orphaned snapshot sets',
      );
      out.note(`journal: ${result.journal}`);
    }),
  );
}

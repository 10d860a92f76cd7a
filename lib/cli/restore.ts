/**
 * `vss restore --document F`: a restore from a saved Backup Components Document, in the order
 * of VShadow's `-r`: InitializeForRestore → GatherWriterMetadata → GatherWriterStatus →
 * [SetRestoreState] → SetSelectedForRestore → PreRestore → `--exec CMD` (the caller's copy
 * step) → SetFileRestoreStatus → PostRestore → the writers' status.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { restore, type RestoreOptions } from '../restore.js';
import type { ComponentRef } from '../types.js';
import { act, backendFrom, commandSignal, runCommand, withCommon, type CommonOptions } from './program.js';
import { CommandFailedError, UsageError } from './report.js';

const RESTORE_TYPES = ['by-copy', 'import', 'other'];

function componentPath(c: ComponentRef): string {
  return c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name;
}

export function addRestoreCommand(program: Command): void {
  withCommon(
    program
      .command('restore')
      .description('restore from a saved Backup Components Document: PreRestore, your copy step (--exec), PostRestore, then the writers\' status')
      .requiredOption('--document <file>', 'the Backup Components Document the backup saved (vss create --save-document)')
      .option('--component <name...>', 'restore only these components (name, logicalPath\\name, or a writer name); default: every component backed up')
      .option('--restore-type <type>', `SetRestoreState before PreRestore: ${RESTORE_TYPES.join(', ')}`)
      .option(
        '--exec <command>',
        'put the files back with this shell command between PreRestore and PostRestore (VSS_RESTORE_COMPONENT_1, ... in its environment); a failure marks the files failed',
      ),
    ['vss restore --document backup.xml --exec "robocopy D:\\\\backup E:\\\\data /E"', 'vss restore --document backup.xml --component SalesDb --json'],
  ).action(
    act(async (out, options: CommonOptions & { document: string; component?: string[]; restoreType?: string; exec?: string }) => {
      if (options.restoreType !== undefined && !RESTORE_TYPES.includes(options.restoreType))
        throw new UsageError(`--restore-type must be one of ${RESTORE_TYPES.join(', ')}`);
      if (options.exec !== undefined && options.exec.trim() === '') throw new UsageError('--exec needs a command');
      let document: string;
      try {
        document = readFileSync(options.document, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the document ${options.document}: ${(error as Error).message}`);
      }
      const { exec } = options;
      const copy: RestoreOptions['copy'] = exec
        ? async ({ components }) => {
            const variables: Record<string, string> = { VSS_RESTORE_COUNT: String(components.length) };
            components.forEach((c, i) => (variables[`VSS_RESTORE_COMPONENT_${i + 1}`] = componentPath(c)));
            // The command owns the terminal while it runs: no progress line over its output.
            out.progress.done();
            const code = await runCommand(exec, variables, Boolean(options.json));
            if (code !== 0) throw new CommandFailedError(`the command exited with ${code}; the writers were told the restore failed (PostRestore ran)`);
          }
        : undefined;
      const result = await restore(document, {
        backend: backendFrom(options),
        signal: commandSignal(),
        components: options.component,
        restoreType: options.restoreType as RestoreOptions['restoreType'],
        copy,
        onProgress: out.progress.onProgress,
      });
      out.progress.done('restored');
      if (options.json) return out.json(result);
      out.print(`Restored ${result.components.length} component${result.components.length === 1 ? '' : 's'} (file restore status: ${result.fileRestoreStatus})`);
      out.table(
        result.writers,
        [
          { header: 'Writer', value: (w) => w.name, minWidth: 16 },
          { header: 'State', value: (w) => w.state, minWidth: 12 },
          { header: 'Last error', value: (w) => w.lastError?.name ?? '' },
        ],
        'no writer took part',
      );
      if (!exec) out.note('(no --exec: nothing was copied; the writers were told no file was restored)');
    }),
  );
}

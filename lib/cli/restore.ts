/**
 * `vss restore --document F`: a restore from a saved Backup Components Document, in the order
 * of VShadow's `-r`: InitializeForRestore → GatherWriterMetadata → GatherWriterStatus →
 * [SetRestoreState] → SetSelectedForRestore → [AddRestoreSubcomponent] → PreRestore →
 * [AddAlternativeLocationMapping] → `--exec CMD` (the caller's copy step) → [SetRangesFilePath] →
 * SetFileRestoreStatus → PostRestore → the writers' status.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { restore, type RestoreOptions } from '../restore.js';
import type { ComponentRef } from '../types.js';
import { restoreDetailLines } from './component-details.js';
import { act, backendFrom, commandEnding, commandSignal, runCommand, stateWithNumber, withCommon, type CommonOptions } from './program.js';
import { CommandFailedError, UsageError } from './report.js';

const RESTORE_TYPES = ['by-copy', 'import', 'other'];

function componentPath(c: ComponentRef): string {
  return c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name;
}

type RestoreCommandOptions = CommonOptions & {
  document: string;
  component?: string[];
  restoreType?: string;
  subcomponent?: string[];
  alternateLocation?: boolean;
  rangesFile?: string[];
  allowMissingWriters?: boolean;
  exec?: string;
};

// `[COMPONENT#]INDEX=PATH`; without COMPONENT, the one component restored (--component).
function rangesFileOf(spec: string, components: string[] | undefined): { component: string; partialFile: number; path: string } {
  const match = /^(?:(.+)#)?(\d+)=(.+)$/.exec(spec);
  if (!match) throw new UsageError(`--ranges-file ${spec}: expected [COMPONENT#]INDEX=PATH, e.g. SalesDb#0=E:\\restore\\data.ranges`);
  const component = match[1] ?? (components?.length === 1 ? components[0]! : undefined);
  if (component === undefined) throw new UsageError(`--ranges-file ${spec}: name the component (COMPONENT#INDEX=PATH) unless one --component is restored`);
  return { component, partialFile: Number(match[2]), path: match[3]! };
}

export function addRestoreCommand(program: Command): void {
  withCommon(
    program
      .command('restore')
      .description('restore from a saved Backup Components Document: PreRestore, your copy step (--exec), PostRestore, then the writers\' status')
      .requiredOption('--document <file>', 'the Backup Components Document the backup saved (vss create --save-document)')
      .option('--component <name...>', 'restore only these components (name, logicalPath\\name, or a writer name); default: every component backed up')
      .option('--restore-type <type>', `SetRestoreState before PreRestore: ${RESTORE_TYPES.join(', ')}`)
      .option('--subcomponent <path...>', 'also restore these subcomponents on their own (AddRestoreSubcomponent), each as its full logical path')
      .option(
        '--alternate-location',
        "restore to the writers' alternate locations (AddAlternativeLocationMapping for each matching file set; VSS_ALTERNATE_* for --exec)",
      )
      .option(
        '--allow-missing-writers',
        'restore components whose writer is not on this machine (no writer hears PreRestore/PostRestore for them); without it such a restore is refused',
      )
      .option('--ranges-file <spec...>', 'a partial file\'s ranges file restored elsewhere (SetRangesFilePath): [COMPONENT#]INDEX=PATH')
      .option(
        '--exec <command>',
        'put the files back with this shell command between PreRestore and PostRestore (VSS_RESTORE_COMPONENT_1, ... in its environment); a failure marks the files failed',
      ),
    ['vss restore --document backup.xml --exec "robocopy D:\\\\backup E:\\\\data /E"', 'vss restore --document backup.xml --component SalesDb --json'],
  ).action(
    act(async (out, options: RestoreCommandOptions) => {
      if (options.restoreType !== undefined && !RESTORE_TYPES.includes(options.restoreType))
        throw new UsageError(`--restore-type must be one of ${RESTORE_TYPES.join(', ')}`);
      if (options.exec !== undefined && options.exec.trim() === '') throw new UsageError('--exec needs a command');
      let document: string;
      try {
        document = readFileSync(options.document, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the document ${options.document}: ${(error as Error).message}`);
      }
      const rangesFiles = (options.rangesFile ?? []).map((spec) => rangesFileOf(spec, options.component));
      const { exec } = options;
      const copy: RestoreOptions['copy'] = exec
        ? async ({ components, alternateLocations }) => {
            const variables: Record<string, string> = { VSS_RESTORE_COUNT: String(components.length) };
            components.forEach((c, i) => (variables[`VSS_RESTORE_COMPONENT_${i + 1}`] = componentPath(c)));
            variables.VSS_ALTERNATE_COUNT = String(alternateLocations.length);
            alternateLocations.forEach((a, i) => {
              variables[`VSS_ALTERNATE_COMPONENT_${i + 1}`] = componentPath(a.component);
              variables[`VSS_ALTERNATE_PATH_${i + 1}`] = a.path;
              variables[`VSS_ALTERNATE_FILESPEC_${i + 1}`] = a.filespec;
              variables[`VSS_ALTERNATE_DESTINATION_${i + 1}`] = a.destination;
            });
            // The command owns the terminal while it runs: no progress line over its output.
            out.progress.done();
            const end = await runCommand(exec, variables, Boolean(options.json));
            if (end.exitCode !== 0) throw new CommandFailedError(`the command ${commandEnding(end).text}; the writers were told the restore failed (PostRestore ran)`, commandEnding(end).details);
          }
        : undefined;
      const result = await restore(document, {
        backend: backendFrom(options),
        signal: commandSignal(),
        components: options.component,
        restoreType: options.restoreType as RestoreOptions['restoreType'],
        subcomponents: options.subcomponent,
        alternateLocations: options.alternateLocation,
        rangesFiles,
        allowMissingWriters: options.allowMissingWriters,
        copy,
        onProgress: out.progress.onProgress,
      });
      out.progress.done('restored');
      if (options.json) return out.json(result);
      out.print(`Restored ${result.components.length} component${result.components.length === 1 ? '' : 's'} (file restore status: ${result.fileRestoreStatus})`);
      for (const path of result.subcomponents) out.print(`Subcomponent restored on its own: ${path}`);
      for (const a of result.alternateLocations) out.print(`Alternate location: ${a.path}\\${a.filespec} -> ${a.destination} (${componentPath(a.component)})`);
      const chosenByWriters = restoreDetailLines(result.restoredComponents);
      if (chosenByWriters.length > 0) {
        out.print('What the writers asked for in PreRestore:');
        for (const line of chosenByWriters) out.print(line);
      }
      if (options.alternateLocation && result.alternateLocations.length === 0) out.note('(--alternate-location: no writer declared an alternate location for these components)');
      out.table(
        result.writers,
        [
          { header: 'Writer', value: (w) => w.name, minWidth: 16 },
          // As vss writers prints them: vssadmin's number in front, 'none' for no error.
          { header: 'State', value: stateWithNumber, minWidth: 12 },
          { header: 'Last error', value: (w) => w.lastError?.name ?? 'none' },
        ],
        'no writer took part',
      );
      for (const w of result.missingWriters)
        out.note(`(--allow-missing-writers: ${w.name ?? 'writer'} (class ${w.writerId}) is not on this machine; it heard of no restore of ${w.components.join(', ')})`);
      if (!exec) out.note('(no --exec: nothing was copied; the writers were told no file was restored)');
    }),
  );
}

/**
 * `vss import FILE`: brings in the transportable snapshot set a saved Backup Components Document
 * describes (vshadow -i, diskshadow's `load metadata` + `import`).
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { importShadowCopySet } from '../transport.js';
import { act, backendFrom, commandEnding, commandSignal, runCommand, shadowRows, withCommon, withPathNames, type CommonOptions } from './program.js';
import { CommandFailedError, UsageError } from './report.js';

export function addImportCommand(program: Command): void {
  withCommon(
    program
      .command('import')
      .description("import a transportable snapshot set from the Backup Components Document 'vss create --transportable --save-document' wrote")
      .argument('<document>', 'the saved Backup Components Document')
      .option(
        '--exec <command>',
        'run this shell command while the imported shadow copies exist (VSS_SHADOW_SET, and per copy VSS_SHADOW_VOLUME_1, VSS_SHADOW_1, VSS_SHADOW_DEVICE_1, VSS_SHADOW_PATH_1, ... in its environment, as create --exec; a failure exits 4): an auto-release set is gone when the command ends',
      ),
    ['vss import transport.xml', 'vss import transport.xml --exec "robocopy ..."', 'vss import transport.xml --json'],
  ).action(
    act(async (out, options: CommonOptions & { exec?: string }, file: string) => {
      if (options.exec !== undefined && options.exec.trim() === '') throw new UsageError('--exec needs a command');
      let document: string;
      try {
        document = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the document ${file}: ${(error as Error).message}`);
      }
      const backend = backendFrom(options);
      await using set = await importShadowCopySet(document, { backend, signal: commandSignal(), onProgress: out.progress.onProgress });
      out.progress.done('snapshot set imported');
      if (options.exec !== undefined) {
        // The same variables as create --exec: the volume each copy is of (as the set's description names
        // it) and a path to the copy's root, under its device (an imported copy has no other content here).
        const variables: Record<string, string> = { VSS_SHADOW_SET: set.setId };
        set.snapshots.forEach((s, i) => {
          variables[`VSS_SHADOW_VOLUME_${i + 1}`] = s.originalVolume;
          variables[`VSS_SHADOW_${i + 1}`] = s.snapshotId;
          variables[`VSS_SHADOW_DEVICE_${i + 1}`] = s.deviceObject;
          variables[`VSS_SHADOW_PATH_${i + 1}`] = `${s.deviceObject}\\`;
        });
        const end = await runCommand(options.exec, variables, Boolean(options.json));
        // An error like any other (one JSON object under --json), as for create --exec.
        if (end.exitCode !== 0)
          throw new CommandFailedError(`the command ${commandEnding(end).text}${set.persistent ? `; the imported set ${set.setId} stays` : ''}`, {
            ...commandEnding(end).details,
            setId: set.setId,
            persistent: set.persistent,
          });
      }
      const copies = withPathNames(set.snapshots, backend);
      if (options.json) return out.json({ setId: set.setId, persistent: set.persistent, snapshots: copies });
      out.print(`Imported snapshot set ${set.setId}`);
      shadowRows(copies, out);
      if (!set.persistent) out.note('(auto-release set: released when this command ended; --exec runs a command while it exists)');
    }),
  );
}

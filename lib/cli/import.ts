/**
 * `vss import FILE`: brings in the transportable snapshot set a saved Backup Components Document
 * describes (vshadow -i, diskshadow's `load metadata` + `import`).
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { importShadowCopySet } from '../transport.js';
import { act, backendFrom, commandSignal, runCommand, setExitCode, shadowRows, withCommon, withPathNames, type CommonOptions } from './program.js';
import { ExitCode, UsageError } from './report.js';

export function addImportCommand(program: Command): void {
  withCommon(
    program
      .command('import')
      .description("import a transportable snapshot set from the Backup Components Document 'vss create --transportable --save-document' wrote")
      .argument('<document>', 'the saved Backup Components Document')
      .option(
        '--exec <command>',
        'run this shell command while the imported shadow copies exist (VSS_SHADOW_SET, VSS_SHADOW_1, VSS_SHADOW_DEVICE_1, ... in its environment): an auto-release set is gone when the command ends',
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
        const variables: Record<string, string> = { VSS_SHADOW_SET: set.setId };
        set.snapshots.forEach((s, i) => {
          variables[`VSS_SHADOW_${i + 1}`] = s.snapshotId;
          variables[`VSS_SHADOW_DEVICE_${i + 1}`] = s.deviceObject;
        });
        const code = await runCommand(options.exec, variables, Boolean(options.json));
        if (code !== 0) {
          out.io.stderr.write(`vss: the command exited with ${code}\n`);
          setExitCode(ExitCode.CommandFailed);
        }
      }
      const copies = withPathNames(set.snapshots, backend);
      if (options.json) return out.json({ setId: set.setId, persistent: set.persistent, snapshots: copies });
      out.print(`Imported snapshot set ${set.setId}`);
      shadowRows(copies, out);
      if (!set.persistent) out.note('(auto-release set: released when this command ended; --exec runs a command while it exists)');
    }),
  );
}

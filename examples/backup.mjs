#!/usr/bin/env node
// A backup script: snapshot a volume with every writer taking part, stream files out
// of the shadow copy into a folder, save the Backup Components Document beside them,
// and mark the backup succeeded. On Windows it backs up real files from C:\ (run it
// elevated); with --simulate it runs on a simulated machine whose C:\ is a host folder.
//
//   node examples/backup.mjs --simulate <source-folder> <target-folder>
//   node examples/backup.mjs C:\data <target-folder>            (Windows)
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

import { createSimulator, withSnapshotSet } from 'vss-napi';

const USAGE = `usage: backup.mjs [--simulate] <source> <target>

Snapshots the volume of <source> with every writer taking part, copies <source>
out of the shadow copy into <target>, and saves the Backup Components Document
there as backup-components.xml.

  --simulate   run on a simulated machine whose C:\\ is the host folder <source>
  --help       print this and exit`;

// A mistake in the arguments is one line and exit 2, never a stack trace.
function usageError(message) {
  console.error(`backup.mjs: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ options: { simulate: { type: 'boolean' }, help: { type: 'boolean' } }, allowPositionals: true });
} catch (error) {
  usageError(error.message.replace(/\. To specify .*$/, '').replace(/^Unknown/, 'unknown'));
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const simulate = parsed.values.simulate ?? false;
const [source, target, ...extra] = parsed.positionals;
if (!source || !target || extra.length > 0) {
  console.error('usage: backup.mjs [--simulate] <source> <target>');
  process.exit(2);
}
// The simulated C:\\ is backed by <source>: it must be a folder.
if (simulate && !statSync(source, { throwIfNoEntry: false })?.isDirectory()) usageError(`${source} is not a folder`);

// On the simulator, C:\ is backed by the source folder: the shadow copy is a frozen copy of it.
const backend = simulate ? createSimulator({ base: 'windows-server-2022', volumes: [{ name: 'C:\\', path: source }] }) : 'native';
const root = simulate ? 'C:\\' : source;
const volume = simulate ? 'C:\\' : `${source.slice(0, 2)}\\`;

// Restores need the final Backup Components Document (written after BackupComplete): keep it with the backup.
const onReport = (report) => writeFile(join(target, 'backup-components.xml'), report.document);
let copied;
try {
  copied = await withSnapshotSet([volume], { backend, backupType: 'full', onReport }, async (set) => {
    await mkdir(target, { recursive: true });
    let count = 0;
    // Walk the folder inside the shadow copy, not the live one: files are consistent and unlocked.
    async function copyTree(windowsPath, outDir) {
      const inShadow = set.pathFor(windowsPath);
      for (const entry of await readdir(inShadow, { withFileTypes: true })) {
        const childWindows = `${windowsPath.replace(/\\$/, '')}\\${entry.name}`;
        const childOut = join(outDir, entry.name);
        if (entry.isDirectory()) {
          await mkdir(childOut, { recursive: true });
          await copyTree(childWindows, childOut);
        } else if (entry.isFile()) {
          await pipeline(createReadStream(set.pathFor(childWindows)), createWriteStream(childOut));
          count++;
        }
      }
    }
    await copyTree(root, target);
    return count;
  });
} catch (error) {
  // VSS and the file system say what went wrong; the code names it (e.g. E_ACCESSDENIED: run elevated).
  console.error(`backup.mjs: ${error.code ? `${error.code}: ` : ''}${error.message.split('\n')[0]}`);
  process.exit(1);
}
console.log(`backed up ${copied} files to ${target}`);

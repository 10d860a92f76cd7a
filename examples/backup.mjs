#!/usr/bin/env node
// A backup script: snapshot a volume with every writer taking part, stream files out
// of the shadow copy into a folder, save the Backup Components Document beside them,
// and mark the backup succeeded. On Windows it backs up real files from C:\ (run it
// elevated); with --simulate it runs on a simulated machine whose C:\ is a host folder.
//
//   node examples/backup.mjs --simulate <source-folder> <target-folder>
//   node examples/backup.mjs C:\data <target-folder>            (Windows)
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { createSimulator, withSnapshotSet } from 'vss-napi';

const args = process.argv.slice(2);
const simulate = args[0] === '--simulate';
const [source, target] = simulate ? args.slice(1) : args;
if (!source || !target) {
  console.error('usage: backup.mjs [--simulate] <source> <target>');
  process.exit(2);
}

// On the simulator, C:\ is backed by the source folder: the shadow copy is a frozen copy of it.
const backend = simulate ? createSimulator({ base: 'windows-server-2022', volumes: [{ name: 'C:\\', path: source }] }) : 'native';
const root = simulate ? 'C:\\' : source;
const volume = simulate ? 'C:\\' : `${source.slice(0, 2)}\\`;

// Restores need the final Backup Components Document (written after BackupComplete): keep it with the backup.
const onReport = (report) => writeFile(join(target, 'backup-components.xml'), report.document);
const copied = await withSnapshotSet([volume], { backend, backupType: 'full', onReport }, async (set) => {
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
console.log(`backed up ${copied} files to ${target}`);

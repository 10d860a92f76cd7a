import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runCli } from '../../lib/cli/program.js';
import { HYPERV_WRITER_ID, virtualMachinesFrom, type WriterMetadata } from '../../lib/index.js';

// diskshadow "list writers detailed" for one Hyper-V VM, from KB 3098315 (../shared/reference).
const EXCERPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'reference', 'tool-output', 'diskshadow-list-writers-detailed-hyperv-sql-components.md');

/** The Hyper-V block of the excerpt as writer metadata (markdown escapes removed as SOURCES.md says). */
function metadataFromExcerpt(): WriterMetadata {
  const text = readFileSync(EXCERPT, 'utf8').split('SQL example')[0]!.replace(/\\\\/g, '\\').replace(/^\\[- ]\s?/gm, '- ');
  const field = (name: string) => new RegExp(`^- ${name}: ?(.*?)\\s*$`, 'm').exec(text)?.[1] ?? '';
  const files = [...text.matchAll(/^- File List: Path = (.*?), Filespec = (.*?)\s*$/gm)].map(([, path, filespec]) => ({
    path: path!,
    filespec: filespec!,
    recursive: false,
    alternatePath: '',
    backupTypeMask: 0,
  }));
  const component = {
    name: field('Name'),
    logicalPath: field('Logical path'),
    caption: field('Caption'),
    type: 'file-group',
    typeCode: 2,
    files,
    databaseFiles: [],
    logFiles: [],
  };
  return { name: 'Microsoft Hyper-V VSS Writer', writerId: HYPERV_WRITER_ID, instanceId: '00000000-0000-0000-0000-000000000001', components: [component] } as unknown as WriterMetadata;
}

describe('Hyper-V virtual machines', () => {
  it('reads the real per-VM component diskshadow lists (KB 3098315)', () => {
    expect(existsSync(EXCERPT), `${EXCERPT} is missing`).toBe(true);
    const [vm, ...rest] = virtualMachinesFrom(metadataFromExcerpt());
    expect(rest).toEqual([]);
    expect(vm).toMatchObject({
      id: '006f792f-99ea-4a4a-a241-f8853a3b0cb6',
      name: 'i$',
      caption: 'Offline\\i$',
      backupMethod: 'offline',
      consistency: 'crash-consistent',
      volumes: ['D:\\'],
    });
    expect(vm!.files.map((f) => f.kind)).toEqual(['configuration', 'configuration', 'other']);
  });

  it('leaves out components that are not virtual machines', () => {
    const m = metadataFromExcerpt();
    const host = { ...m.components[0]!, name: 'Initial Store', caption: 'Initial Store' };
    expect(virtualMachinesFrom({ ...m, components: [host] })).toEqual([]);
  });

  it('vss hyperv prints one row per VM; --json the full records', async () => {
    let out = '';
    const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } };
    expect(await runCli(['hyperv', '--simulate=hyper-v'], io)).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^Virtual machine\s+Backup\s+Disks\s+Volumes\s+Id$/);
    expect(out).toMatch(/^WEB01\s+online \(application-consistent\)\s+1\s+D:\\\s+8e3a3a9c-7b1f-4a52-9e0f-2c4d6b8a1f35$/m);
    expect(out).toMatch(/^DB01\s+offline \(crash-consistent\)\s+2\s+D:\\\s+2d9b5f61-0c3e-48a7-b1d4-6f8e0a2c4b97$/m);
    out = '';
    expect(await runCli(['hyperv', '--simulate=hyper-v', '--json'], io)).toBe(0);
    expect((JSON.parse(out) as unknown[]).length).toBe(2);
    out = '';
    expect(await runCli(['hyperv', '--simulate'], io)).toBe(0);
    expect(out).toMatch(/^no virtual machines/);
  });

  it("vss create --exec failing on the Hyper-V host: the error (exit 4) names each VM failed, in --json as virtualMachines and in the person's output as the verdict table", async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
    expect(await runCli(['create', '--simulate=hyper-v', 'D:\\', '--exec', 'exit 5', '--json'], io)).toBe(4);
    const { error } = JSON.parse(stderr) as { error: { commandExitCode: number; virtualMachines: { name: string; verdict: string; writerError: unknown }[] } };
    expect([error.commandExitCode, error.virtualMachines.map((v) => [v.name, v.verdict, v.writerError])]).toEqual([5, [['WEB01', 'failed', null], ['DB01', 'failed', null]]]);
    stderr = '';
    expect(await runCli(['create', '--simulate=hyper-v', 'D:\\', '--exec', 'exit 5'], io)).toBe(4);
    expect(stderr).toMatch(/^vss: the command exited with 5; the backup was marked failed\nVirtual machines of the backup \(2\):\n.*\n.*\nWEB01 +failed +online +backup aborted or not marked backed up +-\n/);
  });
});

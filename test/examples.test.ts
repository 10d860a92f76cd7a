// The scripts in examples/ run against the simulator as a user would run them
// (node examples/x.mjs, importing 'vss-napi' from dist/), and do what they say.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from './helpers/run-process.mjs';

const root = join(__dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'vss-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function example(name: string, ...args: string[]) {
  const result = await runProcess(process.execPath, [join(root, 'examples', name), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (result.status === null) throw new Error(`${name} died of ${result.signal}: ${result.stderr}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('examples/backup.mjs', () => {
  it('snapshots the volume and streams every file out of the shadow copy, with the Backup Components Document', async () => {
    const source = join(scratch, 'source');
    const target = join(scratch, 'target');
    mkdirSync(join(source, 'data', 'nested'), { recursive: true });
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    writeFileSync(join(source, 'data', 'app.db'), big);
    writeFileSync(join(source, 'data', 'nested', 'log.txt'), 'line 1\nline 2\n');
    writeFileSync(join(source, 'readme.txt'), 'hello');

    const { code, stdout, stderr } = await example('backup.mjs', '--simulate', source, target);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`backed up 3 files to ${target}`);
    expect(readFileSync(join(target, 'data', 'app.db')).equals(big)).toBe(true);
    expect(readFileSync(join(target, 'data', 'nested', 'log.txt'), 'utf8')).toBe('line 1\nline 2\n');
    expect(readFileSync(join(target, 'readme.txt'), 'utf8')).toBe('hello');
    expect(readdirSync(target).sort()).toEqual(['backup-components.xml', 'data', 'readme.txt']);
    expect(readFileSync(join(target, 'backup-components.xml'), 'utf8')).toMatch(/^<BACKUP_COMPONENTS[\s>]/);
  });

  it('without arguments prints usage and exits 2', async () => {
    const { code, stderr } = await example('backup.mjs');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: backup\.mjs/);
  });
});

describe('examples/harness.mjs', () => {
  it('walks a healthy writer through every phase', async () => {
    const { code, stdout } = await example('harness.mjs', '--simulate', 'Registry Writer');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('ok   ')).map((l) => l.split(' ')[3])).toEqual([
      'gatherWriterMetadata',
      'prepareForBackup',
      'doSnapshotSet',
      'backupComplete',
    ]);
    expect(stdout).toMatch(/^ok {3}doSnapshotSet \(\d+ ms\): Registry Writer is waiting-for-backup-complete$/m);
    expect(stdout).toContain('  Registry Writer: stable -> waiting-for-backup-complete');
    expect(lines.at(-1)).toBe('Registry Writer: passed every phase');
  });

  it('names the step where an injected fault made the writer fail, with its error, and exits 1', async () => {
    const { code, stdout } = await example('harness.mjs', '--simulate', 'Registry Writer', '--fault', 'prepare-backup');
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^FAIL prepareForBackup \(\d+ ms\): Registry Writer is failed-at-prepare-backup \(expected stable\), last error VSS_E_WRITERERROR_RETRYABLE, "injected at prepare-backup"$/m,
    );
    expect(stdout).not.toMatch(/doSnapshotSet/);
    expect(stdout.trim().split('\n').at(-1)).toBe('Registry Writer: FAILED at prepareForBackup');
  });

  it('an unknown writer is a usage error listing the writers', async () => {
    const { code, stderr } = await example('harness.mjs', '--simulate', 'Nope Writer');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no writer named Nope Writer; this machine has: .*System Writer/);
  });
});

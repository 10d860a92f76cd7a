// Security (issue 6): an access failure names the privilege that is missing, and
// nothing the library prints or logs holds file content.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import * as vss from '../../lib/index.js';
import { runProcess } from '../helpers/run-process.mjs';

const SYSTEM_PROVIDER = 'b5946137-7b9f-4925-af80-51abd60b20d5';
const MARKER = 'MARKER-7f3a9c-do-not-log';
const scratch = mkdtempSync(join(tmpdir(), 'vss-security-'));
const volume = join(scratch, 'volume');
mkdirSync(join(volume, 'secret'), { recursive: true });
writeFileSync(join(volume, 'secret', 'payroll.txt'), `salary table ${MARKER}\n`.repeat(50));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('access denied', () => {
  // The scenario format cannot fail InitializeForBackup itself (faults name a writer,
  // a provider, a volume or the machine), so E_ACCESSDENIED comes from the provider at commit.
  it('E_ACCESSDENIED is a VssError whose remedy names SeBackupPrivilege and elevation', async () => {
    const sim = vss.createSimulator({ timing: { timeScale: 0 }, faults: [{ provider: SYSTEM_PROVIDER, error: 'E_ACCESSDENIED' }] });
    const error = await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vss.VssError);
    const e = error as vss.VssError;
    expect(e.code).toBe('E_ACCESSDENIED');
    expect(e.hresult).toBe(0x80070005);
    expect(e.operation).toBe('DoSnapshotSet');
    expect(e.remedy).toMatch(/SeBackupPrivilege/);
    expect(e.remedy).toMatch(/elevated|Administrator/);
    expect(e.message).toContain(e.remedy!);
    expect(sim.describe().shadows).toHaveLength(0);
  });

  it('the CLI prints the remedy and exits 1', async () => {
    const file = join(scratch, 'denied.json');
    writeFileSync(file, JSON.stringify({ faults: [{ provider: SYSTEM_PROVIDER, error: 'E_ACCESSDENIED' }] }));
    const cli = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
    const result = await runProcess(process.execPath, [cli, 'create', 'C:\\', `--simulate=${file}`], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/E_ACCESSDENIED/);
    expect(result.stderr).toMatch(/SeBackupPrivilege/);
  });
});

describe('logs hold no file content', () => {
  it('NODE_DEBUG=vss logs every call but never the content of a file in a shadow copy', async () => {
    const result = await runProcess(process.execPath, [join(__dirname, 'log-child.mjs'), volume, MARKER], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_DEBUG: 'vss' },
    });
    expect(result.status, result.stderr).toBe(0);
    // Logging was on (so the check below means something) ...
    expect(result.stderr).toMatch(/^VSS \d+: DoSnapshotSet -> S_OK/m);
    expect(result.stderr).toMatch(/expected failure/);
    expect(result.stdout).toMatch(/read \d+ characters from the shadow copy/);
    // ... and no byte of the file reached it.
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    expect(result.stdout + result.stderr).not.toContain('salary table');
  });

  it('the CLI with NODE_DEBUG=vss and a content-backed volume prints no file content', async () => {
    const file = join(scratch, 'backed.json');
    writeFileSync(file, JSON.stringify({ volumes: [{ name: 'C:\\', path: volume }] }));
    const cli = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
    const result = await runProcess(process.execPath, [cli, 'create', 'C:\\', `--simulate=${file}`, '--json'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_DEBUG: 'vss' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^VSS \d+: /m);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
  });
});

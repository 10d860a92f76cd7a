import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');

function vss(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the vss CLI', () => {
  it('vss writers --simulate --json prints the writer list', () => {
    const { code, stdout } = vss('writers', '--simulate', '--json');
    expect(code).toBe(0);
    const writers = JSON.parse(stdout) as { name: string; state: string; writerId: string }[];
    expect(writers.map((w) => w.name)).toContain('System Writer');
    expect(writers.find((w) => w.name === 'Registry Writer')?.writerId).toBe('afbab4a2-367d-4d15-a586-71dbb18f8485');
    expect(writers.every((w) => w.state === 'stable')).toBe(true);
  });

  it('vss writers --simulate prints an aligned table within 80 columns', () => {
    const { code, stdout } = vss('writers', '--simulate');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Writer\s+State\s+Last error\s+Writer id/);
    expect(lines.some((l) => l.startsWith('System Writer'))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('vss writers without --simulate off Windows fails with the unsupported-platform error', () => {
    const { code, stderr } = vss('writers');
    expect(code).toBe(1);
    expect(stderr).toMatch(/needs Windows/);
    expect(stderr).toMatch(/--simulate/);
  });

  it('an unknown command or scenario is a usage error (exit 2)', () => {
    expect(vss('frobnicate').code).toBe(2);
    const unknownScenario = vss('writers', '--simulate=no-such-machine');
    expect(unknownScenario.code).toBe(2);
    expect(unknownScenario.stderr).toMatch(/unknown scenario 'no-such-machine'/);
  });

  it('--help works on every command', () => {
    for (const command of [[], ['writers'], ['health']]) {
      const { code, stdout } = vss(...command, '--help');
      expect(code, command.join(' ')).toBe(0);
      expect(stdout).toMatch(/Usage: vss/);
    }
  });

  it('vss health exits 0 and prints one summary line when every writer is stable', () => {
    const { code, stdout } = vss('health', '--simulate', '--nagios');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^VSS OK - \d+ writers stable$/);
  });
});

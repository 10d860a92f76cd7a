// `vss events` as a real process, where the process matters: --follow piped into
// `head -1` (the pipe's reader goes away while vss waits for the next event, which
// may never come), and Ctrl-C ending --follow --json. Spawned as users run it
// (dist/cli/main.js, built by the global setup).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runProcess } from '../helpers/run-process.mjs';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'vss-events-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Two records in the default 24-hour window, one older.
const HISTORY = join(scratch, 'history.json');
writeFileSync(
  HISTORY,
  JSON.stringify({
    events: [
      { provider: 'VolSnap', eventId: 25, minutesAgo: 30 * 60 },
      { provider: 'VSS', eventId: 8193, minutesAgo: 30, data: { routine: 'CoCreateInstance', hr: '0x80040154' } },
      { provider: 'SQLWRITER', eventId: 24583, minutesAgo: 10 },
    ],
  }),
);

const env = { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined };

describe('vss events --follow in a pipe', () => {
  // One event in the window (--id 8193: a second one's write would meet EPIPE, which ended vss
  // before the fix too), and nothing more is logged on this machine: before the fix vss waited
  // for a next event that never came, until the timeout killed it (a hang bound, not a timing).
  it('| head -1 ends vss at once when head exits (the closed pipe is noticed without a write): exit 0, nothing on stderr', async () => {
    for (const json of [[], ['--json']]) {
      const command = `"${process.execPath}" "${cli}" events --simulate="${HISTORY}" --follow --id 8193 ${json.join(' ')} | head -1; echo "node=\${PIPESTATUS[0]}" >&2`;
      const result = await runProcess('bash', ['-c', command], { encoding: 'utf8', timeout: 30_000, killGraceMs: 1000, env });
      expect(result.error?.code, `${command}: still running after 30 s`).toBeUndefined();
      expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(result.stdout).toMatch(json.length ? /^\{"time":.*"eventId":8193,/ : /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}Error {2}VSS 8193 /);
      expect(result.stderr.trim()).toBe('node=0');
    }
  });

  it('--max 1 with --follow ends by itself after the one event (exit 0)', async () => {
    const result = await runProcess(process.execPath, [cli, 'events', `--simulate=${HISTORY}`, '--follow', '--max', '1', '--json'], { encoding: 'utf8', timeout: 30_000, env });
    expect(result.error?.code).toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { eventId: number }).eventId)).toEqual([24583]);
  });
});

describe('vss events --follow --json and Ctrl-C', () => {
  it('SIGINT ends it with exit 130 as documented, stdout whole JSON Lines and stderr empty (no error object)', async () => {
    const proc = spawn(process.execPath, [cli, 'events', `--simulate=${HISTORY}`, '--follow', '--json'], { env });
    let stdout = '';
    let stderr = '';
    let sent = false;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const bound = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`no exit after SIGINT; stderr: ${stderr}`));
      }, 30_000);
      proc.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Both events of the window are out: following has begun.
        if (!sent && stdout.split('\n').length > 2) sent = proc.kill('SIGINT');
      });
      proc.on('exit', (c) => {
        clearTimeout(bound);
        resolve(c);
      });
    });
    expect(code).toBe(130);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { eventId: number }).eventId)).toEqual([8193, 24583]);
  });
});

// No test blocks its vitest worker on a child process: a worker that waits in spawnSync
// (or execSync, execFileSync) runs no event loop, and under test:asan, where each CLI
// process is slow, back-to-back waits kept one worker silent for minutes, past vitest's
// 60 s RPC deadline ("[vitest-worker]: Timeout calling onTaskUpdate"). Tests await
// runProcess (./run-process.mjs) instead.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

const testDir = join(__dirname, '..');

/**
 * Files allowed a synchronous child process, and why.
 * - global-setup.ts runs in vitest's main process before any worker starts.
 * - run-process.test.ts compares runProcess with spawnSync on a few processes of milliseconds.
 */
const allowed = new Set(['global-setup.ts', 'helpers/run-process.test.ts', 'helpers/no-sync-spawn.test.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mts|cts|mjs|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.d.mts') ? [path] : [];
  });
}

describe('child processes in tests', () => {
  it('no test file calls spawnSync, execSync or execFileSync (they await runProcess)', () => {
    const files = sources(testDir);
    // The walk found the suite (the behaviour cases, which the Wine runner loads too, included).
    expect(files.map((f) => relative(testDir, f).replaceAll('\\', '/'))).toEqual(
      expect.arrayContaining(['cli.test.ts', 'reliability/bad-input.test.ts', 'behaviour/cases/writers/semantics.mjs', 'helpers/run-process.mjs']),
    );
    const offenders = files
      .filter((f) => !allowed.has(relative(testDir, f).replaceAll('\\', '/')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(testDir, f)}:${i + 1}` }))
          // A call or an import of one; a mention in a comment is fine.
          .filter(({ line }) => !/^\s*(\/\/|\/\*|\*)/.test(line) && /\b(spawnSync|execSync|execFileSync)\b/.test(line))
          .map(({ line, at }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

// Issue 9 item 13 (remainder): progress during DoSnapshotSet names the writers' phase and, when
// one writer holds the phase up, that writer; the CLI's progress line shows them.
import { describe, expect, it } from 'vitest';

import { createSimulator, createSnapshotSet, type ProgressEvent } from '../lib/index.js';
import { Progress, progressLabel } from '../lib/cli/progress.js';
import { painterFor } from '../lib/cli/terminal.js';

describe('progress names the phase and the writer (issue 9 item 13)', () => {
  it('DoSnapshotSet reports prepare-snapshot, freeze, commit, thaw and post-snapshot in order, and the slow writer at freeze', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.05 }, faults: [{ writer: 'Registry Writer', phase: 'freeze', kind: 'slow', delayMs: 3000 }] });
    const events: ProgressEvent[] = [];
    const set = await createSnapshotSet('C:\\', { backend: sim, onProgress: (e) => events.push(e) });
    await set.complete({ succeeded: true });
    const phases = events.filter((e) => e.operation === 'DoSnapshotSet').map((e) => e.phase);
    expect([...new Set(phases)]).toEqual(['prepare-snapshot', 'freeze', 'commit', 'thaw', 'post-snapshot']);
    const waitedFor = new Set(events.filter((e) => e.writer).map((e) => `${e.phase}:${e.writer}`));
    expect([...waitedFor]).toEqual(['freeze:Registry Writer']);
    expect(events.find((e) => e.operation === 'GatherWriterMetadata')?.phase).toBe('identify');
    // elapsedMs still never goes back within a call.
    const elapsed = events.filter((e) => e.operation === 'DoSnapshotSet').map((e) => e.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
  });

  it('the terminal line shows the phase and the writer, and clears what a longer line left', () => {
    expect(progressLabel({ operation: 'DoSnapshotSet', elapsedMs: 1, phase: 'freeze', writer: 'SqlServerWriter' })).toBe(
      'creating the shadow copies (writers frozen) [DoSnapshotSet]: freeze, waiting for SqlServerWriter',
    );
    expect(progressLabel({ operation: 'DoSnapshotSet', elapsedMs: 1 })).toBe('creating the shadow copies (writers frozen) [DoSnapshotSet]');
    let text = '';
    const progress = new Progress({ write: (t: string) => (text += t), isTTY: true, columns: 200 }, true, painterFor(false));
    progress.onProgress!({ operation: 'DoSnapshotSet', elapsedMs: 1, phase: 'freeze', writer: 'Registry Writer' });
    progress.onProgress!({ operation: 'DoSnapshotSet', elapsedMs: 2, phase: 'thaw' });
    progress.done();
    const frames = text.split('\r\x1b[K').filter(Boolean);
    expect(frames[0]).toMatch(/freeze, waiting for Registry Writer$/);
    expect(frames[1]).toMatch(/\[DoSnapshotSet\]: thaw$/);
  });
});

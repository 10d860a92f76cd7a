// The CLI's terminal layer on its own: when colour is on, how wide tables may be,
// how API argument names become the CLI's words, and the progress line's drawing.
import { describe, expect, it, vi } from 'vitest';

import { Progress, phaseLabel } from '../../lib/cli/progress.js';
import { formatTable } from '../../lib/cli/table.js';
import { colourEnabled, painterFor, tableWidth } from '../../lib/cli/terminal.js';
import { inCliWords } from '../../lib/cli/words.js';

describe('colour', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };
  it('on a terminal only, unless NO_COLOR or FORCE_COLOR say otherwise (FORCE_COLOR wins, as in Node)', () => {
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('a coloured cell keeps the columns aligned', () => {
    const rows = [{ s: 'failed-at-freeze' }, { s: 'stable' }];
    const plain = formatTable(rows, [{ header: 'State', value: (r) => r.s }, { header: 'X', value: () => 'x' }], Infinity);
    const painted = formatTable(rows, [{ header: 'State', value: (r) => r.s, style: (v) => (v.startsWith('failed') ? 'red' : null) }, { header: 'X', value: () => 'x' }], Infinity, painterFor(true));
    expect(painted.replace(/\x1b\[\d+m/g, '')).toBe(plain);
    expect(painted).toContain('\x1b[31mfailed-at-freeze\x1b[0m  x');
  });
});

describe('table cells', () => {
  // cold8 F21: a writer name with a newline (third-party software names its writers) split its row.
  it('a cell with a newline, a tab or an escape sequence stays on its row, the characters shown escaped', () => {
    const rows = [{ n: 'Odd\nWriter\tx\x1b[31m' }, { n: 'System Writer' }];
    const table = formatTable(rows, [{ header: 'Writer', value: (r) => r.n }, { header: 'State', value: () => 'stable' }], Infinity);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('Odd\\nWriter\\tx\\x1b[31m  stable');
    expect(lines[3]).toMatch(/^System Writer +stable$/);
  });
});

describe('table width', () => {
  it('a terminal\'s columns (80 when it does not say), unlimited when piped or --wide', () => {
    expect(tableWidth({ write: () => true, isTTY: true, columns: 120 }, false)).toBe(120);
    expect(tableWidth({ write: () => true, isTTY: true }, false)).toBe(80);
    expect(tableWidth({ write: () => true, isTTY: true, columns: 120 }, true)).toBe(Infinity);
    expect(tableWidth({ write: () => true }, false)).toBe(Infinity);
  });
});

describe('the CLI\'s words', () => {
  it('names options and positional arguments as the user typed them', () => {
    expect(inCliWords(`The "target.setId" argument must be a GUID. Received 'x'`)).toBe(`--set must be a GUID. Received 'x'`);
    expect(inCliWords(`The "volumes[1]" argument must be a volume. Received 'x'`)).toBe(`volume 2 must be a volume. Received 'x'`);
    expect(inCliWords(`The "options.writers.exclude[0]" argument must be a writer`)).toBe('--exclude-writer must be a writer');
    expect(inCliWords(`The value of "volumes.length" is out of range. It must be from 1 to 64. Received 65`)).toBe(
      'the number of volumes is out of range. It must be from 1 to 64. Received 65',
    );
    // Names without a CLI word stay quoted; other messages are left alone.
    expect(inCliWords(`The "options.provider" argument must be a GUID`)).toBe(`"options.provider" must be a GUID`);
    expect(inCliWords('DoSnapshotSet failed with VSS_E_BAD_STATE')).toBe('DoSnapshotSet failed with VSS_E_BAD_STATE');
    expect(inCliWords("needs Windows. Pass { backend: 'simulated' } (or the CLI's --simulate) to use the simulation backend.")).toBe(
      'needs Windows. Use --simulate to use the simulation backend.',
    );
  });
});

describe('the progress line', () => {
  it('one running total from the command\'s start, redrawn in place, a final line with the total', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      let text = '';
      const progress = new Progress({ write: (t: string) => (text += t), isTTY: true, columns: 80 }, true, painterFor(false));
      vi.advanceTimersByTime(1500);
      progress.onProgress!({ operation: 'PrepareForBackup', elapsedMs: 10 });
      vi.advanceTimersByTime(1000);
      // A new call's own elapsed time restarts at 0; the line's total does not.
      progress.onProgress!({ operation: 'DoSnapshotSet', elapsedMs: 0 });
      progress.done('snapshot set created');
      const frames = text.split('\r\x1b[K').filter(Boolean);
      expect(frames[0]).toBe('  1.5s  preparing the writers [PrepareForBackup]');
      expect(frames).toContain('  2.5s  preparing the writers [PrepareForBackup]');
      expect(frames.at(-2)).toBe('  2.5s  creating the shadow copies (writers frozen) [DoSnapshotSet]');
      expect(frames.at(-1)).toBe('snapshot set created in 2.5s\n');
    } finally {
      vi.useRealTimers();
    }
  });

  it('never wider than the terminal (a wrapped line cannot be redrawn), and off when disabled', () => {
    let text = '';
    const progress = new Progress({ write: (t: string) => (text += t), isTTY: true, columns: 30 }, true, painterFor(false));
    progress.phase(phaseLabel('DoSnapshotSet'));
    progress.done();
    expect(text.split('\r\x1b[K').filter(Boolean).every((f) => f.length <= 29)).toBe(true);
    expect(text.endsWith('\r\x1b[K')).toBe(true);
    // cold8 F12: a terminal reporting 0 columns cut the line to "  0" and dropped the colour's reset.
    let zero = '';
    const sizeless = new Progress({ write: (t: string) => (zero += t), isTTY: true, columns: 0 }, true, painterFor(true));
    sizeless.phase(phaseLabel('DoSnapshotSet'));
    sizeless.done();
    const drawn = zero.split('\r\x1b[K').filter(Boolean);
    expect(drawn.length).toBeGreaterThan(0);
    for (const frame of drawn) {
      expect(frame).toMatch(/^\x1b\[33m +\d+\.\ds\x1b\[0m  \S/);
      expect(frame.replace(/\x1b\[\d+m/g, '').length).toBeLessThanOrEqual(79);
    }
    const off = new Progress({ write: () => expect.unreachable(), isTTY: true }, false, painterFor(false));
    expect(off.onProgress).toBeUndefined();
    off.phase('x');
    off.done('y');
  });
});

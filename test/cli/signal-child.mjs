// The `vss` command as its executable runs it (runProcess: signals, EPIPE), on this
// process's default simulated machine slowed down so each phase lasts long enough
// to be interrupted; stderr is presented as a terminal so the progress line names
// the phase the parent waits for. At the end prints the machine's state as one
// "STATE {json}" line on stdout, so the parent can check nothing was left behind.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { runProcess } = await import(join(root, 'dist', 'cli', 'process.js'));
const { getDefaultSimulator } = await import(join(root, 'dist', 'index.js'));

const sim = getDefaultSimulator();
// DoSnapshotSet's inner steps shortened, so the whole create stays a few seconds.
const timing = { prepareSnapshotMs: 100, freezeMs: 100, commitMs: 100, thawMs: 50, postSnapshotMs: 50, backupCompleteMs: 400 };
sim.configure({ timing: { ...timing, timeScale: Number(process.env.VSS_TEST_TIME_SCALE ?? '4') } });
const code = await runProcess(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: { write: (text) => process.stderr.write(text), isTTY: true, columns: 200 },
  env: { NO_COLOR: '1' },
});
const state = sim.describe();
process.stdout.write(`STATE ${JSON.stringify({ ...state, sessions: state.sessions })}\n`);
process.exitCode = code;

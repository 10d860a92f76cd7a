/**
 * The `vss` command in a real process: its streams, a closed pipe on stdout
 * (`vss … | head`) ending the command quietly, Ctrl-C and SIGTERM cancelling it
 * (interrupt.ts), and confirmation questions asked on the terminal.
 * @internal
 * @module
 */
import { createInterface } from 'node:readline';

import { handleSignals } from './interrupt.js';
import { runCli, secondInterruptNote } from './program.js';
import type { CliIo } from './terminal.js';

/** Asks on the terminal (stderr, so stdout stays data); Ctrl-C at the question answers no and interrupts. */
function askOnTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let answered = false;
    const finish = (yes: boolean) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(yes);
    };
    // The terminal is raw while asking, so Ctrl-C reaches readline, not the process: pass it on.
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      process.emit('SIGINT', 'SIGINT');
      finish(false);
    });
    rl.on('close', () => finish(false));
    rl.question(question, (answer) => finish(/^y(es)?$/i.test(answer.trim())));
  });
}

/** The process's io: its streams, and a question on the terminal when stdin and stderr both are one. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    confirm: process.stdin.isTTY && process.stderr.isTTY ? askOnTerminal : undefined,
  };
}

/**
 * Runs the command as the `vss` executable: resolves to the exit code. A reader
 * that went away (EPIPE on stdout, e.g. `| head`) ends the process at once with
 * exit 0 and no message: it has all it wanted.
 */
export async function runProcess(args: string[], io: CliIo = processIo()): Promise<number> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // Nobody reads stderr any more: nothing can be reported, so say nothing.
  process.stderr.on('error', () => undefined);
  const interrupt = handleSignals(process, () => {
    io.stderr.write(`\r\x1b[Kvss: ${secondInterruptNote() ?? "stopped without cleaning up: 'vss list' and 'vss writers' show what is left"}\n`);
  });
  try {
    return await runCli(args, io, { signal: interrupt.signal });
  } finally {
    interrupt.dispose();
  }
}

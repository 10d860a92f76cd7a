// runProcess: spawnSync's result, without blocking the caller's event loop.
//
// Why: a vitest worker that runs child processes with spawnSync back to back (slow
// sanitized CLI processes under test:asan) keeps its event loop busy for over a minute,
// and vitest's own worker RPC then times out ("[vitest-worker]: Timeout calling
// onTaskUpdate"). Awaiting this instead lets the worker answer while the child runs.
//
// Runner-neutral: the behaviour cases use it on Linux and inside Windows node.exe under Wine.
// The result has spawnSync's shape and meanings (node:child_process, spawnSync):
//   status  the exit code, null when a signal ended the child or it never started
//   signal  the signal that ended it, else null
//   stdout, stderr  strings when `encoding` is given, else Buffers (what arrived; empty
//           when the child never started, where spawnSync gives null)
//   error   set when the child could not start (ENOENT...), timed out (ETIMEDOUT) or
//           wrote more than maxBuffer (ENOBUFS); the promise itself never rejects for these
//   pid     the child's process id (0 when it never started, as spawnSync)
import { spawn } from 'node:child_process';

/** spawnSync's default maxBuffer for each of stdout and stderr. */
export const DEFAULT_MAX_BUFFER = 1024 * 1024;
/** After a timeout's SIGTERM, how long the child has before SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 5_000;

function failure(code, message, extra = {}) {
  const error = new Error(message);
  error.code = code;
  return Object.assign(error, extra);
}

/**
 * @param {string} command
 * @param {readonly string[]} [args]
 * @param {import('./run-process.d.mts').RunProcessOptions} [options]
 * @returns {Promise<import('./run-process.d.mts').RunProcessResult<any>>}
 */
export function runProcess(command, args = [], options = {}) {
  const { cwd, env, input, encoding, timeout, maxBuffer = DEFAULT_MAX_BUFFER, killGraceMs = DEFAULT_KILL_GRACE_MS } = options;
  return new Promise((resolve) => {
    const chunks = { stdout: [], stderr: [] };
    const sizes = { stdout: 0, stderr: 0 };
    let error;
    let settled = false;
    let stopping = false;
    let exit = { status: null, signal: null };
    const timers = [];

    let child;
    try {
      // stdin is always a pipe that gets closed: spawnSync's child sees end of input at once,
      // and a child that reads stdin must not wait here for input that never comes.
      child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (thrown) {
      // Invalid arguments (a NUL in an argument, a non-string command) throw synchronously;
      // report them as spawnSync reports a child that could not start.
      resolve(finish({ error: thrown, pid: 0 }));
      return;
    }

    function text(name) {
      const data = Buffer.concat(chunks[name]);
      return encoding && encoding !== 'buffer' ? data.toString(encoding) : data;
    }
    function finish(extra = {}) {
      return { pid: child?.pid ?? 0, ...exit, stdout: text('stdout'), stderr: text('stderr'), error, ...extra };
    }
    function settle() {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      resolve(finish());
    }
    function kill(signal) {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
    // Stops the child and, if it (or a grandchild holding its pipes) still keeps them open
    // after SIGKILL, stops waiting for them: a timeout never turns into a hang.
    function stop(reason) {
      if (stopping) return;
      stopping = true;
      error ??= reason;
      kill('SIGTERM');
      timers.push(
        setTimeout(() => {
          kill('SIGKILL');
          timers.push(
            setTimeout(() => {
              child.stdout?.destroy();
              child.stderr?.destroy();
              settle();
            }, killGraceMs),
          );
        }, killGraceMs),
      );
    }

    for (const name of ['stdout', 'stderr'])
      child[name].on('data', (chunk) => {
        if (error?.code === 'ENOBUFS') return;
        sizes[name] += chunk.length;
        // Keep at most maxBuffer bytes, as spawnSync does, and stop the child.
        const room = maxBuffer - (sizes[name] - chunk.length);
        if (sizes[name] > maxBuffer) {
          if (room > 0) chunks[name].push(chunk.subarray(0, room));
          stop(failure('ENOBUFS', `${command} ${name} maxBuffer length exceeded`, { syscall: `spawn ${command}`, path: command, spawnargs: [...args] }));
          return;
        }
        chunks[name].push(chunk);
      });

    child.on('error', (err) => {
      // Could not start (ENOENT, EACCES): no 'exit' follows. A failed kill also lands here.
      error ??= err;
      if (child.pid === undefined) settle();
    });
    // Kept for the case where 'close' never comes (a grandchild holds the pipes past SIGKILL).
    child.on('exit', (status, signal) => {
      exit = { status, signal };
    });
    // 'close': the child exited and its stdout and stderr are drained.
    child.on('close', (status, signal) => {
      exit = { status, signal };
      settle();
    });

    // Writing to a child that exits without reading gives EPIPE: spawnSync ignores that too.
    child.stdin.on('error', () => {});
    if (input !== undefined && input !== null) child.stdin.end(input);
    else child.stdin.end();

    if (timeout !== undefined && timeout > 0)
      timers.push(
        setTimeout(() => {
          if (!settled) stop(failure('ETIMEDOUT', `spawn ${command} ETIMEDOUT`, { syscall: `spawn ${command}`, path: command, spawnargs: [...args] }));
        }, timeout),
      );
  });
}

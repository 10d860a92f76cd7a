// Types of run-process.mjs: spawnSync's options and result, for the subset the tests use.

export interface RunProcessOptions {
  cwd?: string;
  /** The child's whole environment (as spawnSync's env); undefined values are left out. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed (it is closed at once without it). */
  input?: string | Uint8Array;
  /** Decode stdout and stderr as strings; without it they are Buffers. */
  encoding?: BufferEncoding;
  /** Milliseconds before SIGTERM (error.code 'ETIMEDOUT'); SIGKILL follows after killGraceMs. */
  timeout?: number;
  /** Bytes kept of each of stdout and stderr; more stops the child (error.code 'ENOBUFS'). Default 1 MiB, as spawnSync. */
  maxBuffer?: number;
  /** After the SIGTERM of a timeout (or ENOBUFS), how long before SIGKILL. Default 5000. */
  killGraceMs?: number;
}

export interface RunProcessError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
  spawnargs?: string[];
}

export interface RunProcessResult<Out extends string | Buffer> {
  pid: number;
  /** The exit code; null when a signal ended the child or it never started. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Out;
  stderr: Out;
  /** Could not start (ENOENT), timed out (ETIMEDOUT) or exceeded maxBuffer (ENOBUFS). */
  error?: RunProcessError;
}

export const DEFAULT_MAX_BUFFER: number;
export const DEFAULT_KILL_GRACE_MS: number;

export function runProcess(command: string, args: readonly string[], options: RunProcessOptions & { encoding: BufferEncoding }): Promise<RunProcessResult<string>>;
export function runProcess(command: string, args?: readonly string[], options?: RunProcessOptions): Promise<RunProcessResult<Buffer>>;

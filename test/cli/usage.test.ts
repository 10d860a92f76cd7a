// The `vss` command as people use it at a shell: piped into head, asked its
// version, given a wrong option, asked for JSON, piped into another program
// (tables whole), on a terminal (colour, width, confirmation), and the examples/
// scripts given --help or nonsense. Spawned as users run it (dist/cli/main.js)
// where the process matters (EPIPE, exit codes), in-process through runCli where
// a terminal is pretended or one simulated machine must carry state.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ExitCode, runCli } from '../../lib/cli/program.js';
import { getDefaultSimulator } from '../../lib/index.js';
import { runProcess } from '../helpers/run-process.mjs';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'vss-cli-usage-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function vss(...args: string[]) {
  const result = await runProcess(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined } });
  if (result.status === null) throw new Error(`vss ${args.join(' ')} died of ${result.signal}: ${result.stderr}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Terminal {
  isTTY?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
  confirm?: (question: string) => Promise<boolean>;
}

/** Runs in this process; `tty` pretends stdout and stderr are a terminal of that many columns. */
async function run(args: string[], terminal: Terminal = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t), isTTY: terminal.isTTY, columns: terminal.columns },
    stderr: { write: (t: string) => (stderr += t), isTTY: terminal.isTTY, columns: terminal.columns },
    env: terminal.env ?? {},
    confirm: terminal.confirm,
  });
  return { code, stdout, stderr };
}

const FAILED_WRITER = join(scratch, 'failed-writer.json');
writeFileSync(
  FAILED_WRITER,
  JSON.stringify({
    base: 'windows-server-2022',
    writers: [
      { name: 'System Writer', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT', applicationError: 'E_ACCESSDENIED', failureMessage: 'freeze took too long' },
      { name: 'WMI Writer', state: 'waiting-for-backup-complete' },
    ],
  }),
);

describe('piped into head', () => {
  it('vss metadata --xml | head -c 10 ends quietly: no EPIPE, no stack trace, exit 0', async () => {
    const result = await runProcess('bash', ['-c', `"${process.execPath}" "${cli}" metadata --simulate --xml | head -c 10; echo " node=\${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout).toBe('<WRITER_ME');
    expect(result.stderr.trim()).toBe('node=0');
  });

  it('a table piped into head -n 1 ends quietly too', async () => {
    const result = await runProcess('bash', ['-c', `"${process.execPath}" "${cli}" writers --simulate | head -n 1; echo "node=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout).toMatch(/^Writer\s+State\s+Last error\n$/);
    expect(result.stderr.trim()).toBe('node=0');
  });
});

describe('version, unknown options, usage errors', () => {
  it('--version and -V print the package version', async () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await vss(flag);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });

  it('an unknown option prints one line and a hint, not the whole help', async () => {
    const { code, stdout, stderr } = await vss('writers', '--frobnicate', '--simulate');
    expect(code).toBe(ExitCode.Usage);
    expect(stdout).toBe('');
    expect(stderr).toBe("vss: unknown option '--frobnicate'\nsee 'vss writers --help'\n");
    // `vss` alone: the help, on stderr, once, exit 2.
    const bare = await vss();
    expect(bare.code).toBe(ExitCode.Usage);
    expect(bare.stderr).toMatch(/^Usage: vss /);
    expect(bare.stderr).not.toMatch(/outputHelp|see 'vss --help'/);
    const unknownCommand = await vss('frobnicate');
    expect(unknownCommand.stderr).toBe("vss: unknown command 'frobnicate'\nsee 'vss --help'\n");
    // A near miss gets commander's suggestion on the same message.
    expect((await vss('writers', '--jsn', '--simulate')).stderr).toMatch(/^vss: unknown option '--jsn'\n\(Did you mean --json\?\)\nsee 'vss writers --help'\n$/);
  });

  it('--xml with --json is a usage error', async () => {
    const { code, stdout, stderr } = await vss('metadata', '--simulate', '--xml', '--json');
    expect(code).toBe(ExitCode.Usage);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr)).toEqual({ error: expect.objectContaining({ code: 'ERR_USAGE', message: expect.stringMatching(/^--xml and --json cannot be used together/) }) });
    expect((await vss('metadata', '--simulate', '--xml', '--json')).code).toBe(ExitCode.Usage);
  });
});

describe('--json errors: one JSON object on stderr, same exit code', () => {
  it('a bad argument (exit 2), in the CLI\'s words', async () => {
    const { code, stdout, stderr } = await vss('delete', '--set', 'nope', '--simulate', '--json');
    expect(code).toBe(ExitCode.Usage);
    expect(stdout).toBe('');
    const { error } = JSON.parse(stderr) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', exitCode: 2 });
    expect(error.message).toMatch(/^--set must be a GUID/);
  });

  it('a usage error from the option parser (exit 2)', async () => {
    const { code, stderr } = await vss('writers', '--json', '--frobnicate');
    expect(code).toBe(ExitCode.Usage);
    expect(JSON.parse(stderr)).toEqual({ error: { code: 'ERR_USAGE', message: "unknown option '--frobnicate'", reason: 'commander.unknownOption', exitCode: 2 } });
  });

  it('a VSS-side failure (exit 1) and a failing writer (exit 3) carry what VSS said', async () => {
    const unsupported = await vss('writers', '--json');
    expect(unsupported.code).toBe(ExitCode.VssFailure);
    expect(JSON.parse(unsupported.stderr).error).toMatchObject({ code: 'ERR_VSS_UNSUPPORTED_PLATFORM', exitCode: 1 });

    getDefaultSimulator().configure({ timing: { timeScale: 0 }, faults: [{ writer: 'Registry Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
    try {
      const { code, stdout, stderr } = await run(['create', 'C:\\', '--simulate', '--json']);
      expect(code).toBe(ExitCode.WriterFailure);
      expect(stdout).toBe('');
      const { error } = JSON.parse(stderr) as { error: { code: string; hresult: string; writers: { name: string; state: string }[]; exitCode: number } };
      expect(error.code).toBe('VSS_E_WRITERERROR_RETRYABLE');
      expect(error.hresult).toBe('0x800423f3');
      expect(error.writers).toContainEqual(expect.objectContaining({ name: 'Registry Writer', state: 'failed-at-freeze' }));
      expect(error.exitCode).toBe(3);
    } finally {
      getDefaultSimulator().configure({ faults: [] });
    }
  });
});

describe('--simulate never takes the next argument', () => {
  it('vss create --simulate C:\\ snapshots C:\\ on the default simulated machine', async () => {
    const { code, stdout, stderr } = await vss('create', '--simulate', 'C:\\', '--quiet');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[0-9a-f-]{36} {2}C:\\ /m);
  });

  it('a scenario comes as --simulate=NAME or --scenario NAME, and an unknown one is a usage error', async () => {
    expect((await vss('writers', '--simulate=sql-server', '--json')).stdout).toMatch(/SqlServerWriter/);
    expect((await vss('writers', '--scenario', 'sql-server', '--json')).stdout).toMatch(/SqlServerWriter/);
    expect((await vss('writers', '--simulate', 'sql-server')).code).toBe(ExitCode.Usage);
  });
});

describe('tables', () => {
  it('piped, nothing is cut: ids are whole however long the line', async () => {
    const { stdout } = await vss('providers', '--simulate');
    expect(stdout).toMatch(/^Microsoft Software Shadow Copy provider 1\.0\s+system\s+1\.0\.0\.7\s+b5946137-7b9f-4925-af80-51abd60b20d5$/m);
    expect(stdout).not.toMatch(/…/);
  });

  it('on a terminal they fit its width, and --wide shows everything', async () => {
    const narrow = await run(['providers', '--simulate'], { isTTY: true, columns: 80 });
    expect(narrow.stdout).toMatch(/…/);
    for (const line of narrow.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const wide = await run(['providers', '--simulate', '--wide'], { isTTY: true, columns: 80 });
    expect(wide.stdout).toMatch(/b5946137-7b9f-4925-af80-51abd60b20d5$/m);
    const at120 = await run(['providers', '--simulate'], { isTTY: true, columns: 120 });
    expect(at120.stdout).toMatch(/b5946137-7b9f-4925-af80-51abd60b20d5$/m);
  });

  it('vss list with an exposed shadow copy still fits 80 columns, the id whole', async () => {
    getDefaultSimulator().configure({ timing: { timeScale: 0 } });
    const created = JSON.parse((await run(['create', 'C:\\', '--persistent', '--simulate', '--json'])).stdout) as { setId: string; snapshots: { snapshotId: string }[] };
    const id = created.snapshots[0]!.snapshotId;
    try {
      expect((await run(['expose', id, 'X:', '--simulate'])).code).toBe(0);
      const { stdout } = await run(['list', '--simulate', '--set', created.setId], { isTTY: true, columns: 80 });
      expect(stdout).toMatch(/^Shadow copy id\s+Volume\s+Created\s+Exposed\s+Device$/m);
      expect(stdout).toMatch(new RegExp(`^${id}  C:\\\\ +\\S+ \\S+  X: `, 'm'));
      for (const line of stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    } finally {
      await run(['delete', '--set', created.setId, '--simulate', '--yes']);
    }
  });

  it('an empty table says so instead of printing headers alone', async () => {
    expect((await run(['storage', '--simulate=empty'])).stdout).toBe('no shadow storage (no volume has shadow copies yet)\n');
    expect((await run(['list', '--simulate=empty'])).stdout).toBe('no shadow copies\n');
  });

  it('writers and health show the failure message and the application error', async () => {
    for (const command of ['writers', 'health']) {
      const { stdout } = await run([command, `--simulate=${FAILED_WRITER}`]);
      expect(stdout, command).toMatch(
        /^System Writer\s+\[9\] failed-at-freeze\s+VSS_E_WRITERERROR_TIMEOUT\n {2}message: freeze took too long; application error: E_ACCESSDENIED \(0x80070005\)$/m,
      );
    }
  });
});

describe('colour', () => {
  const red = '\x1b[31m';
  const yellow = '\x1b[33m';
  it('on a terminal: failed red, waiting yellow; error prefix red', async () => {
    const { stdout } = await run(['writers', `--simulate=${FAILED_WRITER}`], { isTTY: true, columns: 120 });
    expect(stdout).toContain(`${red}[9] failed-at-freeze\x1b[0m`);
    expect(stdout).toContain(`${yellow}[5] waiting-for-backup-complete\x1b[0m`);
    const error = await run(['delete', '--set', 'nope', '--simulate'], { isTTY: true });
    expect(error.stderr.startsWith(`${red}vss:\x1b[0m --set must be a GUID`)).toBe(true);
  });

  it('off when piped, off with NO_COLOR, on with FORCE_COLOR (FORCE_COLOR=0 off), never in --json', async () => {
    expect((await run(['writers', `--simulate=${FAILED_WRITER}`])).stdout).not.toContain('\x1b[');
    expect((await run(['writers', `--simulate=${FAILED_WRITER}`], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await run(['writers', `--simulate=${FAILED_WRITER}`], { env: { FORCE_COLOR: '1' } })).stdout).toContain(red);
    expect((await run(['writers', `--simulate=${FAILED_WRITER}`], { isTTY: true, env: { FORCE_COLOR: '0' } })).stdout).not.toContain('\x1b[');
    expect((await run(['writers', `--simulate=${FAILED_WRITER}`, '--json'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    // Spawned and piped: plain.
    expect((await vss('writers', `--simulate=${FAILED_WRITER}`)).stdout).not.toContain('\x1b[');
  });
});

describe('vss delete on a terminal', () => {
  async function persistentSet(): Promise<{ setId: string; id: string }> {
    getDefaultSimulator().configure({ timing: { timeScale: 0 } });
    const created = await run(['create', 'C:\\', '--persistent', '--simulate', '--json']);
    expect(created.code).toBe(0);
    const set = JSON.parse(created.stdout) as { setId: string; snapshots: { snapshotId: string }[] };
    return { setId: set.setId, id: set.snapshots[0]!.snapshotId };
  }
  const exists = (id: string) => getDefaultSimulator().describe().shadows.some((s) => s.snapshotId === id);

  it('asks, naming the ids; "no" deletes nothing (exit 1)', async () => {
    const { setId, id } = await persistentSet();
    const questions: string[] = [];
    const declined = await run(['delete', '--set', setId, '--simulate'], { isTTY: true, confirm: async (q) => (questions.push(q), false) });
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(new RegExp(`^delete 1 shadow copy\\?\\n {2}${id} `));
    expect(declined.code).toBe(ExitCode.VssFailure);
    expect(declined.stderr).toBe('vss: nothing deleted\n');
    expect(exists(id)).toBe(true);

    const accepted = await run(['delete', '--set', setId, '--simulate'], { isTTY: true, confirm: async () => true });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toBe(`deleted 1 shadow copy:\n  ${id}\n`);
    expect(exists(id)).toBe(false);
  });

  it('--yes, or no terminal to ask on, deletes without asking', async () => {
    const first = await persistentSet();
    let asked = 0;
    const yes = await run(['delete', first.id, '--simulate', '--yes'], { isTTY: true, confirm: async () => (asked++, false) });
    expect([yes.code, asked, exists(first.id)]).toEqual([0, 0, false]);
    const second = await persistentSet();
    const piped = await run(['delete', '--oldest', 'C:', '--simulate', '--json']);
    expect(JSON.parse(piped.stdout)).toMatchObject({ deletedCount: 1, deletedIds: [second.id] });
  });
});

describe('examples/ scripts', () => {
  async function example(name: string, ...args: string[]) {
    const result = await runProcess(process.execPath, [join(root, 'examples', name), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }
  for (const name of ['backup.mjs', 'harness.mjs']) {
    it(`${name} --help prints usage (exit 0); a bad option is one line (exit 2), no stack trace`, async () => {
      const help = await example(name, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: ${name.replace('.', '\\.')}`));
      const bad = await example(name, '--frobnicate');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(new RegExp(`^${name.replace('.', '\\.')}: unknown option '--frobnicate'\\n`));
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('backup.mjs with a source that does not exist says so in one line (exit 2)', async () => {
    const { code, stderr } = await example('backup.mjs', '--simulate', join(scratch, 'missing'), join(scratch, 'out'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^backup\.mjs: .*missing/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('harness.mjs with an unknown --fault phase says so in one line (exit 2)', async () => {
    const { code, stderr } = await example('harness.mjs', '--simulate', 'System Writer', '--fault', 'lunch');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^harness\.mjs: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the addon cannot be loaded', () => {
  it('every command says so in one line with ERR_VSS_ADDON_NOT_FOUND, no stack trace, exit 1', async () => {
    // A copy of the package without build/ or prebuilds/: what a platform without a
    // prebuilt binary and without a compiler at install gets.
    const pkg = join(scratch, 'no-addon');
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    const run = (...args: string[]) => runProcess(process.execPath, [join(pkg, 'dist', 'cli', 'main.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
    const text = await run('writers', '--simulate');
    expect(text.status).toBe(ExitCode.VssFailure);
    expect(text.stderr).toMatch(/^vss: The vss-napi addon could not be loaded: No native build was found for platform=/);
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const json = await run('metadata', '--simulate', '--json');
    expect(json.status).toBe(ExitCode.VssFailure);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'ERR_VSS_ADDON_NOT_FOUND', name: 'VssAddonLoadError' });
    expect(JSON.parse(json.stderr).error.stack).toBeUndefined();
    // --version needs no addon.
    expect((await run('--version')).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

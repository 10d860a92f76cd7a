// Runs the runner-neutral behaviour cases (cases/<topic>/*.mjs) on Linux against the
// simulated backend. The Wine runner runs the cases marked 'wine' inside Windows
// node.exe against the COM backend; test/behaviour/CASES.md lists where each runs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

import { runCli } from '../../lib/cli/program.js';
import * as vss from '../../lib/index.js';
import type * as Vss from '../../lib/index.js';
import type { BehaviourCase, Harness } from './harness.js';

const listCases = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'list-cases.mjs')).href;
const { caseFiles, casesDir } = (await import(listCases)) as { caseFiles: () => Promise<string[]>; casesDir: string };
const files = await caseFiles().catch(() => [] as string[]);
const temps: string[] = [];
const sessions: Vss.BackupSession[] = [];

const harness: Harness = {
  vss,
  where: 'linux',
  async machine(scenario = {}, options = {}) {
    let stateFile: string | undefined;
    if (options.stateFile) {
      const dir = await mkdtemp(join(tmpdir(), 'vss-state-'));
      temps.push(dir);
      stateFile = join(dir, 'machine.json');
    }
    const sim = vss.createSimulator(scenario, { stateFile });
    return {
      backend: sim,
      configure: async (patch) => sim.configure(patch),
      describe: async () => sim.describe(),
      systemVolumeName: async (drive) => sim.describe().volumes.find((v) => v.name.toLowerCase() === drive.toLowerCase())?.guidName ?? null,
      async inNewProcess(body) {
        if (!stateFile) throw new Error('inNewProcess needs a machine made with { stateFile: true }');
        // The compiled package (built by the global setup), as another program would use it.
        const library = pathToFileURL(join(__dirname, '..', '..', 'dist', 'index.js')).href;
        const program = `import * as vss from ${JSON.stringify(library)};
const backend = vss.createSimulator(${JSON.stringify(scenario)}, { stateFile: ${JSON.stringify(stateFile)} });
const result = await (async () => { ${body} })();
process.stdout.write(JSON.stringify(result ?? null));`;
        const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', program]);
        return JSON.parse(stdout) as unknown;
      },
      async cli(args) {
        const dir = await mkdtemp(join(tmpdir(), 'vss-cli-'));
        temps.push(dir);
        const file = join(dir, 'scenario.json');
        await writeFile(file, JSON.stringify(scenario));
        // With a state file the command opens this same machine through it.
        return runCapturing([...args, `--simulate=${file}`, ...(stateFile ? ['--state', stateFile] : [])]);
      },
    };
  },
  async session(options) {
    const session = await vss.BackupSession.create(options);
    sessions.push(session);
    return session;
  },
  async tempDir() {
    const dir = await mkdtemp(join(tmpdir(), 'vss-case-'));
    temps.push(dir);
    return dir;
  },
};

async function runCapturing(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
  return { code, stdout, stderr };
}

afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

it('has behaviour cases', () => {
  if (files.length === 0) throw new Error(`no case modules in ${casesDir}`);
});

it('CASES.md lists every case and where it runs (node scripts/list-cases.mjs --write)', async () => {
  const { renderCases, casesFile } = (await import(listCases)) as { renderCases: () => Promise<string>; casesFile: string };
  expect(await readFile(casesFile, 'utf8')).toBe(await renderCases());
});

for (const file of files) {
  const { default: cases } = (await import(pathToFileURL(join(casesDir, file)).href)) as { default: BehaviourCase[] };
  describe(file.replace(/\.mjs$/, ''), () => {
    for (const c of cases) {
      if (!c.where.includes('linux')) continue;
      it(c.name, async () => {
        try {
          await c.run(harness);
        } finally {
          await Promise.all(sessions.splice(0).map((s) => s[Symbol.asyncDispose]()));
        }
      });
    }
  });
}

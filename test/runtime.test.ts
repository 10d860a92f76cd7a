// The package as Node programs load it: from worker threads (several environments
// at once, each with its own addon state), through require() (dist/index.cjs), and
// with NODE_DEBUG=vss. Each runs in a child process, so a crash at exit or at a
// worker's teardown fails the test instead of passing unseen.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from './helpers/run-process.mjs';

const root = join(__dirname, '..');
const esm = pathToFileURL(join(root, 'dist', 'index.js')).href;
// Inside the package, so require('vss-napi') and import('vss-napi') resolve to it by self-reference.
mkdirSync(join(root, '.cache'), { recursive: true });
const scratch = mkdtempSync(join(root, '.cache', 'runtime-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runScript(name: string, source: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(scratch, name);
  writeFileSync(file, source);
  const result = await runProcess(process.execPath, [file], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('worker threads', () => {
  it('two workers and the main thread use the addon at once; a worker terminated mid-call ends cleanly', async () => {
    const worker = `
      import { parentPort, workerData } from 'node:worker_threads';
      import { createSimulator, createSnapshotSet, listWriters, BackupSession } from '${esm}';
      if (workerData.hang) {
        // Stays inside a slow GatherWriterMetadata until the main thread terminates it.
        const session = await BackupSession.create({ backend: createSimulator({ timing: { timeScale: 1, identifyMs: 60000 } }) });
        await session.initializeForBackup();
        parentPort.postMessage({ started: true });
        await session.gatherWriterMetadata();
      } else {
        const sim = createSimulator({ timing: { timeScale: 0.01 }, machineName: workerData.name });
        const results = [];
        for (let i = 0; i < 5; i++) {
          const writers = await listWriters({ backend: sim });
          const set = await createSnapshotSet('C:\\\\', { backend: sim });
          results.push({ writers: writers.length, machine: set.snapshots[0].originatingMachine });
          await set.complete({ succeeded: true });
        }
        parentPort.postMessage({ name: workerData.name, results, shadowsLeft: sim.describe().shadows.length });
      }
    `;
    writeFileSync(join(scratch, 'worker.mjs'), worker);
    const main = `
      import { Worker } from 'node:worker_threads';
      import { createSimulator, createSnapshotSet, listWriters } from '${esm}';
      const run = (data) => new Promise((resolve, reject) => {
        const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: data });
        w.once('message', resolve);
        w.once('error', reject);
      });
      const hanging = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { hang: true } });
      await new Promise((resolve) => hanging.once('message', resolve));
      const mainSim = createSimulator({ timing: { timeScale: 0.01 }, machineName: 'MAIN' });
      const mainWork = (async () => {
        const out = [];
        for (let i = 0; i < 5; i++) {
          const set = await createSnapshotSet('C:\\\\', { backend: mainSim });
          out.push(set.snapshots[0].originatingMachine);
          await set.complete({ succeeded: true });
        }
        return out;
      })();
      const [a, b, mine] = await Promise.all([run({ name: 'ALPHA' }), run({ name: 'BETA' }), mainWork]);
      const exitCode = await hanging.terminate();
      console.log(JSON.stringify({ a, b, mine, hangingExit: exitCode, mainWriters: (await listWriters({ backend: mainSim })).length }));
    `;
    const { code, signal, stdout, stderr } = await runScript('main.mjs', main);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    const out = JSON.parse(stdout) as {
      a: { name: string; results: { writers: number; machine: string }[]; shadowsLeft: number };
      b: { name: string; results: { writers: number; machine: string }[]; shadowsLeft: number };
      mine: string[];
      hangingExit: number;
      mainWriters: number;
    };
    for (const w of [out.a, out.b]) {
      expect(w.results).toHaveLength(5);
      expect(w.results.every((r) => r.writers === 9 && r.machine === w.name)).toBe(true);
      expect(w.shadowsLeft).toBe(0);
    }
    expect(out.mine).toEqual(['MAIN', 'MAIN', 'MAIN', 'MAIN', 'MAIN']);
    expect(out.hangingExit).toBe(1);
    expect(out.mainWriters).toBe(9);
  });
});

describe('release while a call runs', () => {
  it('the call ends cancelled, the release settles, and the process exits normally', async () => {
    const script = `
      import { BackupSession, createSimulator } from '${esm}';
      const results = [];
      const sim = createSimulator({ timing: { timeScale: 1, identifyMs: 200 } });
      for (let i = 0; i < 60; i++) {
        const session = await BackupSession.create({ backend: sim });
        await session.initializeForBackup();
        // A short call (the release then waits for it) and a long one (cancelled by the release).
        const running = (i % 2 ? session.queryShadowStorage() : session.gatherWriterMetadata()).then(() => 'finished', (e) => e.name);
        if (i % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        await session.release();
        results.push(await running);
      }
      console.log(JSON.stringify(results));
    `;
    const { code, signal, stdout, stderr } = await runScript('release-running.mjs', script);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    const results = JSON.parse(stdout) as string[];
    expect(results).toHaveLength(60);
    for (const r of results) expect(['AbortError', 'finished']).toContain(r);
  });
});

describe('a progress callback that throws', () => {
  it('surfaces as an uncaught exception, like a throwing event listener; the call still settles', async () => {
    const script = `
      import { BackupSession, createSimulator } from '${esm}';
      const seen = [];
      process.on('uncaughtException', (e) => seen.push(e.message));
      const session = await BackupSession.create({ backend: createSimulator({ timing: { timeScale: 1, identifyMs: 100 } }) });
      await session.initializeForBackup();
      await session.gatherWriterMetadata({ onProgress: () => { throw new Error('listener bug'); } });
      await session.release();
      console.log(JSON.stringify({ settled: true, uncaught: [...new Set(seen)] }));
    `;
    const { code, signal, stdout, stderr } = await runScript('progress-throws.mjs', script);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ settled: true, uncaught: ['listener bug'] });
  });
});

describe('CommonJS', () => {
  it("require('vss-napi') resolves to dist/index.cjs with the same API, working", async () => {
    const script = `
      const path = require.resolve('vss-napi');
      const vss = require('vss-napi');
      vss.listWriters({ backend: 'simulated' }).then(async (writers) => {
        let error;
        try { await vss.createSnapshotSet([], { backend: 'simulated' }); } catch (e) { error = e; }
        const sim = vss.createSimulator({ timing: { timeScale: 0.01 } });
        const setId = await vss.withSnapshotSet('C:\\\\', { backend: sim }, (set) => set.setId);
        const rejected = await vss.listWriters().catch((e) => e);
        console.log(JSON.stringify({
          path, writers: writers.length, rangeError: error instanceof RangeError, setId,
          unsupported: rejected instanceof vss.VssUnsupportedPlatformError, code: rejected.code,
          exports: Object.keys(vss).sort(),
        }));
      });
    `;
    const { code, stdout, stderr } = await runScript('use.cjs', script);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { path: string; writers: number; rangeError: boolean; setId: string; unsupported: boolean; code: string; exports: string[] };
    expect(out.path).toBe(join(root, 'dist', 'index.cjs'));
    expect(out.writers).toBe(9);
    expect(out.rangeError).toBe(true);
    expect(out.setId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.unsupported).toBe(true);
    expect(out.code).toBe('ERR_VSS_UNSUPPORTED_PLATFORM');
    expect(out.exports).toEqual(expect.arrayContaining(['BackupSession', 'createSnapshotSet', 'withSnapshotSet', 'diffWriterStatus', 'VssError', 'AbortError']));
  });

  it('the CommonJS and ES entries export the same names', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)('vss-napi');
      const mjs = await import('vss-napi');
      console.log(JSON.stringify({ cjs: Object.keys(cjs).sort(), mjs: Object.keys(mjs).filter((k) => k !== 'default').sort() }));
    `;
    const { code, stdout, stderr } = await runScript('compare.mjs', script);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { cjs, mjs } = JSON.parse(stdout) as { cjs: string[]; mjs: string[] };
    expect(cjs).toEqual(mjs);
    expect(cjs.length).toBeGreaterThan(30);
  });
});

describe('one package copy', () => {
  it('import and require give the same module instance: one VssError, one default backend', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)('vss-napi');
      const mjs = await import('vss-napi');
      const sameExports = Object.keys(cjs).filter((k) => cjs[k] !== mjs[k]);
      mjs.setDefaultBackend('simulated');
      const seenByRequire = cjs.getDefaultBackend();
      const error = await cjs.listWriters({ backend: 'native' }).catch((e) => e);
      console.log(JSON.stringify({
        resolved: import.meta.resolve('vss-napi'),
        sameVssError: cjs.VssError === mjs.VssError,
        sameExports, seenByRequire,
        instanceOf: error instanceof mjs.VssUnsupportedPlatformError,
        writersThroughDefault: (await cjs.listWriters()).length,
      }));
    `;
    const { code, stdout, stderr } = await runScript('one-copy.mjs', script);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toEqual({
      resolved: pathToFileURL(join(root, 'dist', 'index.mjs')).href,
      sameVssError: true,
      sameExports: [],
      seenByRequire: 'simulated',
      instanceOf: true,
      writersThroughDefault: 9,
    });
  });
});

describe('types for both module systems', () => {
  async function typecheck(dir: string, file: string, source: string) {
    mkdirSync(join(scratch, dir), { recursive: true });
    writeFileSync(join(scratch, dir, file), source);
    writeFileSync(
      join(scratch, dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, types: ['node'], lib: ['ES2023', 'ESNext.Disposable'] },
        files: [file],
      }),
    );
    const result = await runProcess(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(scratch, dir, 'tsconfig.json')], {
      encoding: 'utf8',
      timeout: 170_000,
    });
    return { code: result.status, output: result.stdout + result.stderr };
  }

  it("a CommonJS TypeScript file gets the real types through import = require('vss-napi')", async () => {
    const ok = await typecheck('cts-ok', 'use.cts', "import vss = require('vss-napi');\nexport const w: Promise<vss.WriterStatus[]> = vss.listWriters({ backend: 'simulated' });\n");
    expect(ok).toEqual({ code: 0, output: '' });
    const wrong = await typecheck('cts-wrong', 'use.cts', "import vss = require('vss-napi');\nexport const n: number = vss.listWriters;\n");
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/Promise<WriterStatus\[\]>' is not assignable to type 'number'/);
  }, 180_000); // two tsc runs: slow on a busy 2-core machine

  it('an ES module TypeScript file gets them through import', async () => {
    const ok = await typecheck('mts-ok', 'use.mts', "import { createSnapshotSet, type SnapshotSet } from 'vss-napi';\nexport const s: Promise<SnapshotSet> = createSnapshotSet('C:\\\\');\n");
    expect(ok).toEqual({ code: 0, output: '' });
  }, 120_000);
});

describe('NODE_DEBUG=vss', () => {
  it('logs each VSS call with its HRESULT and duration, failures by name', async () => {
    const script = `
      import { BackupSession, listWriters } from '${esm}';
      await listWriters({ backend: 'simulated' });
      const session = await BackupSession.create({ backend: 'simulated' });
      await session.startSnapshotSet().catch(() => {});
      await session.release();
    `;
    const { code, stderr } = await runScript('debug.mjs', script, { NODE_DEBUG: 'vss' });
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    const pattern = /^VSS \d+: (\w+) -> (\w+)(?: \(\w+\))? in \d+ms$/;
    for (const line of lines) expect(line).toMatch(pattern);
    const calls = lines.map((l) => pattern.exec(l)!.slice(1, 3).join(' '));
    expect(calls).toEqual([
      'CreateVssBackupComponents S_OK',
      'InitializeForBackup S_OK',
      'GatherWriterMetadata S_OK',
      'GatherWriterStatus S_OK',
      'GetWriterStatus S_OK',
      'FreeWriterStatus S_OK',
      'Release S_OK',
      'CreateVssBackupComponents S_OK',
      'StartSnapshotSet VSS_E_BAD_STATE',
      'Release S_OK',
    ]);
  });

  it('is silent without NODE_DEBUG', async () => {
    const { code, stderr } = await runScript('quiet.mjs', `import { listWriters } from '${esm}'; await listWriters({ backend: 'simulated' });`, { NODE_DEBUG: '' });
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});

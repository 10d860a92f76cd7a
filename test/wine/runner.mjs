// Runs inside Windows node.exe under Wine (started by scripts/test-wine.mjs).
// Executes one suite of cases against the compiled library and writes each
// case's result to a JSON file; the Linux side reports them.
//
//   node.exe runner.mjs <suite> <results.json> <expected.json> <control.json>
// suite: 'stub' (Wine's own vssapi.dll, or a planted copy that must not load)
//        'emulated' (the emulated vssapi.dll in system32)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const [suite, resultsPath, expectedPath, controlPath] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
const results = [];
const sessions = [];

async function run(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ suite, name, passed: true, ms: Date.now() - started });
  } catch (error) {
    results.push({ suite, name, passed: false, ms: Date.now() - started, error: String(error?.stack ?? error) });
  } finally {
    // Node 20 has no `await using`: the cases' sessions are disposed here.
    for (const session of sessions.splice(0)) await session[Symbol.asyncDispose]().catch(() => {});
  }
  writeFileSync(resultsPath, JSON.stringify(results, null, 2));
}

// The emulated DLL reads its machine from this file (test/fixtures/vssapi-emu/README.md).
let generation = 0;
let control = { generation, scenario: {}, patches: [] };
function writeControl() {
  writeFileSync(controlPath, JSON.stringify(control));
}

const harness = {
  vss,
  where: 'wine',
  async machine(scenario = {}) {
    control = { generation: ++generation, scenario, patches: [] };
    writeControl();
    return {
      backend: 'native',
      async configure(patch) {
        control.patches.push(patch);
        writeControl();
        // The emulated DLL reads the control file in CreateVssBackupComponents: a
        // throw-away session makes the change reach the sessions already running.
        const touch = await vss.BackupSession.create({ backend: 'native' });
        await touch.release();
      },
      async describe() {
        throw new Error('describe() is Linux-only: the COM backend sees VSS only through its API');
      },
    };
  },
  async session(options) {
    const session = await vss.BackupSession.create(options);
    sessions.push(session);
    return session;
  },
  async tempDir() {
    throw new Error('host folders are Linux-only');
  },
};

if (suite === 'stub') {
  await run("listWriters() rejects with VssError E_NOTIMPL from Wine's stub vssapi.dll", async () => {
    await assert.rejects(vss.listWriters(), (error) => {
      assert.ok(error instanceof vss.VssError, `expected VssError, got ${error?.name}: ${error?.message}`);
      assert.equal(error.hresult, 0x80004001);
      assert.equal(error.code, 'E_NOTIMPL');
      assert.equal(error.operation, 'CreateVssBackupComponents');
      return true;
    });
  });
  await run('the process keeps working after the failure (a second call fails the same way)', async () => {
    await assert.rejects(vss.listWriters({ backend: 'native' }), { code: 'E_NOTIMPL' });
    const writers = await vss.listWriters({ backend: 'simulated' });
    assert.ok(writers.length >= 9);
  });
} else if (suite === 'emulated') {
  await run('listWriters() through the COM backend equals the Linux simulated backend, field for field', async () => {
    writeControl();
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
    const actual = await vss.listWriters();
    assert.deepEqual(actual, expected);
  });
  await run('the COM backend answers as "com"', async () => {
    const session = await harness.session();
    assert.equal(session.backendName, 'com');
  });
  const casesDir = join(root, 'test', 'behaviour', 'cases');
  for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.mjs')).sort()) {
    const { default: cases } = await import(pathToFileURL(join(casesDir, file)).href);
    for (const c of cases) if (c.where.includes('wine')) await run(`${file.replace(/\.mjs$/, '')} › ${c.name}`, () => c.run(harness));
  }
} else {
  throw new Error(`unknown suite ${suite}`);
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2));

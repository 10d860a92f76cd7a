// Every example users read runs: the @example blocks of the API reference (lib/), the
// code blocks of README.md and of the guides (docs/). Each is written to a file inside
// the package (so `import 'vss-napi'` resolves to this package), TypeScript ones are
// type-checked and compiled by tsc for Node 20 (the lowest Node `engines` allows), and
// then each runs on this Node (20 in CI) against the simulator — a JavaScript example
// with syntax Node 20 lacks (`await using`) fails here.
//
// An example may use, without declaring them, the names of the context its page gives:
// `sim` (a simulated machine), `session` (a BackupSession on it, brought to the phase the
// documented method needs), `set` (a snapshot set of C:), `component`, `writerId`,
// `instanceId`, `setId`, `snapshotId`, `savedStamp`, `text` (a writer metadata document),
// `fs`, `readFileSync`, `readdirSync`, `join`, and every export of the package. The
// working folder holds WM3.xml (UTF-16, as diskshadow saves it), writers/*.xml,
// backup-components.xml and c-volume/data/app.db.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join, relative } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const work = join(root, '.cache', 'doc-examples');

interface Example {
  where: string;
  /** The documented declaration (for lib/ examples): decides the session's phase. */
  host: string;
  lang: 'ts' | 'js';
  code: string;
}

function fenced(body: string): { lang: 'ts' | 'js'; code: string } | undefined {
  const m = /```(\w*)\n([\s\S]*?)```/.exec(body);
  if (!m) return undefined;
  return { lang: m[1] === 'js' || m[1] === 'javascript' ? 'js' : 'ts', code: m[2]! };
}

function libExamples(): Example[] {
  const out: Example[] = [];
  for (const file of readdirSync(join(root, 'lib'), { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.startsWith('cli') || file.endsWith('.generated.ts')) continue;
    const text = readFileSync(join(root, 'lib', file), 'utf8');
    for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 200);
      const host = /^\s*(?:export\s+)?(?:static\s+)?(?:async\s+)?(?:function\s+|class\s+|const\s+|type\s+|interface\s+|get\s+)?(\[Symbol\.asyncDispose\]|[\w$]+)/.exec(after)?.[1] ?? '';
      const lines = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
      for (let i = 0; i < lines.length; i++) {
        const tag = /^@example\s*(.*)$/.exec(lines[i]!);
        if (!tag) continue;
        const body = [tag[1]!];
        for (let j = i + 1; j < lines.length && !/^@\w/.test(lines[j]!); j++) body.push(lines[j]!);
        const joined = body.join('\n');
        const where = `lib/${file}:${text.slice(0, m.index).split('\n').length} (${host})`;
        const f = fenced(joined);
        out.push({ where, host, lang: f?.lang ?? 'ts', code: (f?.code ?? joined).trim() });
      }
    }
  }
  return out;
}

function markdownExamples(file: string): Example[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(/^```(js|ts|javascript|typescript)\n([\s\S]*?)^```/gm)) {
    const lang = m[1]!.startsWith('t') ? 'ts' : 'js';
    out.push({ where: `${file}:${text.slice(0, m.index).split('\n').length}`, host: '', lang, code: m[2]! });
  }
  return out;
}

const guides = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
const examples = [...libExamples(), ...markdownExamples('README.md'), ...guides.flatMap(markdownExamples)];

// The phase a BackupSession must be in for each documented method, in VSS order
// (IVssBackupComponents: InitializeForBackup, GatherWriterMetadata, StartSnapshotSet,
// AddToSnapshotSet, PrepareForBackup, DoSnapshotSet; restore: InitializeForRestore).
const PHASES = ['created', 'initialized', 'gathered', 'started', 'added', 'prepared', 'snapshotted', 'restoring'] as const;
type Phase = (typeof PHASES)[number];
const PHASE_OF: Record<string, Phase> = {
  create: 'created', initializeForBackup: 'created', initializeForRestore: 'created', BackupSession: 'created', '[Symbol.asyncDispose]': 'created',
  setContext: 'initialized', setBackupState: 'initialized', gatherWriterMetadata: 'initialized',
  getWriterStatus: 'snapshotted',
  addToSnapshotSet: 'started', isVolumeSupported: 'started', getRootAndLogicalPrefixPaths: 'started', setBackupOptions: 'started', setPreviousBackupStamp: 'started',
  prepareForBackup: 'added',
  doSnapshotSet: 'prepared', diffWriterStatus: 'prepared',
  getSnapshotProperties: 'snapshotted', setBackupSucceeded: 'snapshotted', backupComplete: 'snapshotted', abortBackup: 'snapshotted',
  saveAsXml: 'snapshotted', deleteSnapshots: 'snapshotted', exposeSnapshot: 'snapshotted', unexposeSnapshot: 'snapshotted',
  breakSnapshotSet: 'snapshotted', getWriterComponents: 'snapshotted', revertToSnapshot: 'snapshotted', queryRevertStatus: 'snapshotted',
  setSelectedForRestore: 'restoring', setRestoreOptions: 'restoring', setAdditionalRestores: 'restoring', setFileRestoreStatus: 'restoring',
  preRestore: 'restoring', postRestore: 'restoring', setRestoreState: 'restoring', addNewTarget: 'restoring',
  setAuthoritativeRestore: 'restoring', setRestoreName: 'restoring', setRollForward: 'restoring', breakSnapshotSetEx: 'snapshotted',
  importSnapshots: 'created',
  addAlternativeLocationMapping: 'restoring', addRestoreSubcomponent: 'restoring', setRangesFilePath: 'restoring',
};

// The examples of AddRestoreSubcomponent and SetRangesFilePath need a writer with a subcomponent selectable
// for restore and a partial file (the behaviour cases' Mail Writer): their session restores its backup.
const MAIL_HOSTS = new Set(['addRestoreSubcomponent', 'setRangesFilePath']);
const { mailWriter } = (await import(pathToFileURL(join(root, 'test', 'behaviour', 'helpers.mjs')).href)) as { mailWriter: { writerId: string; instanceId: string } };
function mailPrelude(): string[] {
  const machine = JSON.stringify({ timing: { timeScale: 0.01 }, volumes: [{ name: 'D:\\', label: 'Mail' }], writers: [mailWriter] });
  const ref = JSON.stringify({ writerId: mailWriter.writerId, instanceId: mailWriter.instanceId, type: 'database', logicalPath: 'Mail', name: 'Storage Group 1' });
  return [
    `const sim$ = vss$.createSimulator(${machine});`,
    `const component = ${ref} as const;`,
    'const backup$ = await vss$.BackupSession.create({ backend: sim$ });',
    "await backup$.initializeForBackup(); await backup$.setBackupState({ selectComponents: true, backupType: 'full', partialFileSupport: true });",
    "await backup$.gatherWriterMetadata(); await backup$.addComponent(component); await backup$.startSnapshotSet(); await backup$.addToSnapshotSet('D:\\\\');",
    'await backup$.prepareForBackup(); await backup$.doSnapshotSet(); await backup$.setBackupSucceeded(component, true); await backup$.backupComplete();',
    'const document$ = await backup$.saveAsXml(); await backup$.release();',
    'const session = await vss$.BackupSession.create({ backend: sim$ });',
    'await session.initializeForRestore(document$); await session.gatherWriterMetadata();',
  ];
}

const uses = (code: string, name: string) => new RegExp(`(?<![\\w$.'"])${name.replace(/\$/g, '\\$')}(?![\\w$'"])`).test(code);
const declares = (code: string, name: string) =>
  new RegExp(`\\b(?:const|let|var|function)\\s+(?:${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\}|\\[[^\\]]*\\b${name}\\b[^\\]]*\\])`).test(code) ||
  new RegExp(`\\(\\s*${name}\\s*\\)\\s*=>|\\b${name}\\s*=>`).test(code); // an arrow function's parameter

function prelude(example: Example, exportsList: string[]): string {
  const code = example.code;
  const need = (name: string) => uses(code, name) && !declares(code, name);
  const lines: string[] = [];
  // Everything runs on the simulator, fast: `'simulated'` and the default backend alike.
  lines.push("import * as vss$ from 'vss-napi';");
  lines.push("vss$.getDefaultSimulator().configure({ timing: { timeScale: 0.01 } });");
  lines.push("vss$.setDefaultBackend('simulated');");
  if (/^\s*import\s/m.test(code)) return lines.join('\n');
  const imported = exportsList.filter((name) => uses(code, name) && !declares(code, name));
  if (imported.length) lines.push(`import { ${imported.join(', ')} } from 'vss-napi';`);
  if (need('fs')) lines.push("import fs from 'node:fs';");
  for (const name of ['readFileSync', 'readdirSync', 'writeFileSync'].filter(need)) lines.push(`import { ${name} } from 'node:fs';`);
  if (need('join')) lines.push("import { join } from 'node:path';");
  const sessionNeeded = need('session') || ['component', 'writerId', 'instanceId', 'setId', 'snapshotId'].some(need);
  if (MAIL_HOSTS.has(example.host)) return [...lines, ...mailPrelude()].join('\n');
  lines.push('const sim$ = vss$.createSimulator({ timing: { timeScale: 0.01 } });');
  if (need('sim')) lines.push('const sim = sim$;');
  if (need('text')) lines.push("const text = (await vss$.getWriterMetadata({ backend: sim$, writers: ['System Writer'] }))[0].xml;");
  if (need('savedStamp')) lines.push("const savedStamp = 'stamp-of-the-last-full-backup';");
  if (need('set')) {
    lines.push("const set = await vss$.createSnapshotSet(['C:\\\\'], { backend: sim$ });");
  }
  if (sessionNeeded) {
    const phase = PHASE_OF[example.host] ?? 'gathered';
    const at = (p: Phase) => PHASES.indexOf(phase) > PHASES.indexOf(p) && phase !== 'restoring';
    lines.push('const session = await vss$.BackupSession.create({ backend: sim$ });');
    lines.push("const system$ = (await vss$.getWriterMetadata({ backend: sim$, writers: ['System Writer'] }))[0];");
    lines.push('const writerId = system$.writerId; const instanceId = system$.instanceId;');
    lines.push('const c$ = system$.components[0];');
    lines.push("const component = { writerId, instanceId, type: c$.type, logicalPath: c$.logicalPath, name: c$.name };");
    if (phase === 'restoring') {
      lines.push("await session.initializeForRestore(readFileSync$('backup-components.xml', 'utf8'));");
      lines.push('await session.gatherWriterMetadata();');
      if (example.host === 'setFileRestoreStatus' || example.host === 'postRestore')
        lines.push('await session.setSelectedForRestore(component, true); await session.preRestore();');
    }
    if (at('created')) lines.push('await session.initializeForBackup();');
    // Exposing needs a persistent shadow copy: the app-rollback context makes one, with writers.
    if (at('created') && /exposeSnapshot|breakSnapshotSet|revertToSnapshot|queryRevertStatus/.test(example.host)) lines.push("await session.setContext('app-rollback');");
    if (at('initialized')) lines.push('await session.gatherWriterMetadata();');
    if (at('gathered')) lines.push('await session.addComponent(component); const setId = await session.startSnapshotSet();');
    if (at('started')) lines.push("const snapshotId = await session.addToSnapshotSet('C:\\\\');");
    if (at('added')) lines.push('await session.prepareForBackup(); await session.gatherWriterStatus();');
    if (at('prepared')) lines.push('await session.doSnapshotSet(); await session.gatherWriterStatus();');
    if (!at('gathered') && need('setId')) lines.push("const setId = '00000000-0000-0000-0000-000000000000';");
    if (!at('started') && need('snapshotId')) lines.push("const snapshotId = '00000000-0000-0000-0000-000000000000';");
  }
  if (lines.some((l) => l.includes('readFileSync$'))) lines.unshift("import { readFileSync as readFileSync$ } from 'node:fs';");
  return lines.join('\n');
}

/** The files examples read, in the working folder of each run. */
async function fixtures(dir: string): Promise<void> {
  const vss = await import('../lib/index.js');
  const sim = vss.createSimulator({ timing: { timeScale: 0.01 } });
  const writers = await vss.getWriterMetadata({ backend: sim });
  const system = writers.find((w) => w.name === 'System Writer')!;
  // diskshadow and vssadmin save UTF-16LE with a byte-order mark.
  writeFileSync(join(dir, 'WM3.xml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(system.xml, 'utf16le')]));
  mkdirSync(join(dir, 'writers'));
  for (const [i, w] of writers.slice(0, 3).entries()) writeFileSync(join(dir, 'writers', `writer-${i}.xml`), w.xml);
  // A backup of the System Writer's component, as a restore starts from.
  const session = await vss.BackupSession.create({ backend: sim });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  const c = system.components[0]!;
  await session.addComponent({ writerId: system.writerId, instanceId: system.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name });
  await session.startSnapshotSet();
  await session.addToSnapshotSet('C:\\');
  await session.prepareForBackup();
  await session.doSnapshotSet();
  const bcd = await session.saveAsXml();
  await session.abortBackup();
  await session.release();
  writeFileSync(join(dir, 'backup-components.xml'), bcd);
  writeFileSync(join(dir, 'BCDocument.xml'), bcd);
  writeFileSync(join(dir, 'writers.xml'), system.xml);
  mkdirSync(join(dir, 'c-volume', 'data'), { recursive: true });
  writeFileSync(join(dir, 'c-volume', 'data', 'app.db'), 'version 1');
}

function run(file: string, cwd: string, args: string[] = [], timeout = 60_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd, env: { ...process.env, NODE_DEBUG: '' }, timeout });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

describe('every example in the reference, the README and the guides', () => {
  const files: { example: Example; source: string; runFile: string }[] = [];
  let tsc: { status: number | null; output: string } = { status: null, output: '' };

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const exportsList = Object.keys(await import('../lib/index.js')).filter((n) => n !== 'default');
    examples.forEach((example, i) => {
      const base = `example-${String(i).padStart(3, '0')}`;
      const body = `${prelude(example, exportsList)}\n// ---- ${example.where}\n${example.code}\nexport {};\n`;
      const source = join(work, `${base}.${example.lang === 'ts' ? 'ts' : 'mjs'}`);
      writeFileSync(source, body);
      files.push({ example, source, runFile: example.lang === 'ts' ? join(work, `${base}.js`) : source });
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', // what Node 20 runs: tsc lowers `await using` for it
          lib: ['ES2022', 'ESNext.Disposable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: false,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        include: ['*.ts'],
      }),
    );
    // Asynchronously: a worker blocked for a minute in spawnSync misses vitest's RPC deadline.
    const result = await run(join(root, 'node_modules', 'typescript', 'bin', 'tsc'), work, ['-p', join(work, 'tsconfig.json')], 240_000);
    tsc = { status: result.code, output: result.output };
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(70);
    expect(examples.filter((e) => e.where.startsWith('README.md')).length).toBeGreaterThan(0);
  });

  it('type-checks every TypeScript example', () => {
    // Name the example behind each compiler message.
    const messages = tsc.output.replace(/(example-\d+)\.ts/g, (_, base: string) => {
      const f = files.find((x) => x.source.endsWith(`${base}.ts`));
      return f ? `${base}.ts [${f.example.where}]` : base;
    });
    expect(messages).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('runs every example against the simulator on this Node', async () => {
    const failures: string[] = [];
    const queue = [...files];
    const template = join(work, 'fixtures');
    mkdirSync(template);
    await fixtures(template);
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        // A fresh copy of the files for each example: some write or delete them.
        const cwd = join(work, `${relative(work, f.source).replace(/\.\w+$/, '')}-cwd`);
        cpSync(template, cwd, { recursive: true });
        const { code, output } = existsSync(f.runFile) ? await run(f.runFile, cwd) : { code: 1, output: 'not compiled' };
        if (code !== 0) failures.push(`${f.example.where}: exit ${code}\n${output.trim().split('\n').slice(-14).join('\n')}`);
      }
    };
    // One at a time: the rest of the suite runs beside this test on two cores.
    await worker();
    expect(failures).toEqual([]);
  }, 600_000);
});

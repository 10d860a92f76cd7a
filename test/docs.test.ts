// The API reference: TypeDoc builds it from the doc comments with warnings
// treated as errors (typedoc.json); every public function, class and method has a
// doc comment, and the entry points users start from (the exported functions and
// the classes they construct) each show an example. A method's example is welcome
// but not required: the class's example shows how to reach it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runProcess, type RunProcessResult } from './helpers/run-process.mjs';

const root = join(__dirname, '..');
mkdirSync(join(root, '.cache'), { recursive: true });
const out = mkdtempSync(join(root, '.cache', 'docs-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Comment {
  summary?: { text: string }[];
  blockTags?: { tag: string }[];
}
interface Reflection {
  name: string;
  kind: number;
  flags: { isPrivate?: boolean; isExternal?: boolean };
  comment?: Comment;
  signatures?: { comment?: Comment }[];
  children?: Reflection[];
  inheritedFrom?: unknown;
}
const FUNCTION = 64;
const CLASS = 128;
const METHOD = 2048;
const VARIABLE = 32;
const INTERFACE = 256;
const TYPE_ALIAS = 2097152;

function documented(r: Reflection): { summary: boolean; example: boolean } {
  const comments = [r.comment, ...(r.signatures ?? []).map((s) => s.comment)].filter((c): c is Comment => c !== undefined);
  return {
    summary: comments.some((c) => (c.summary ?? []).some((part) => part.text.trim().length > 0)),
    example: comments.some((c) => (c.blockTags ?? []).some((t) => t.tag === '@example')),
  };
}

/** Error classes are met in a catch, not constructed: their fields are the documentation. */
function isErrorClass(r: Reflection): boolean {
  return /Error$/.test(r.name);
}

describe('API reference', () => {
  const json = join(out, 'api.json');
  // Built once for the tests below, in a hook rather than while the file is collected, and
  // awaited: typedoc takes a while, and a worker blocked on it misses vitest's RPC deadline.
  let run: RunProcessResult<string>;
  beforeAll(async () => {
    run = await runProcess(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', join(out, 'html'), '--json', json], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
  }, 180_000);

  it('builds with no warnings (typedoc.json treats them as errors)', () => {
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8'))).toMatchObject({ treatWarningsAsErrors: true });
  });

  it('documents every public function, class and method; functions and classes with an example', () => {
    const api = JSON.parse(readFileSync(json, 'utf8')) as Reflection;
    const lacking: string[] = [];
    const checked: string[] = [];
    const check = (r: Reflection, name: string, needsExample: boolean) => {
      checked.push(name);
      const d = documented(r);
      if (!d.summary) lacking.push(`${name}: no doc comment`);
      else if (needsExample && !d.example) lacking.push(`${name}: no @example`);
    };
    for (const r of api.children ?? []) {
      // Every page says what it is: interfaces, type aliases and constants too.
      if (r.kind === INTERFACE || r.kind === TYPE_ALIAS || r.kind === VARIABLE) check(r, r.name, false);
      if (r.kind === FUNCTION) check(r, r.name, true);
      if (r.kind === CLASS) {
        check(r, r.name, !isErrorClass(r));
        for (const m of r.children ?? []) if (m.kind === METHOD && !m.inheritedFrom && !m.flags.isPrivate) check(m, `${r.name}.${m.name}`, false);
      }
    }
    expect(lacking).toEqual([]);
    expect(checked).toEqual(expect.arrayContaining(['listWriters', 'getWriterMetadata', 'createSnapshotSet', 'withSnapshotSet', 'BackupSession.doSnapshotSet', 'SnapshotSet.pathFor', 'diffWriterStatus']));
    expect(checked.length).toBeGreaterThan(200);
  });

  it("groups every BackupSession method by phase, and shows no tag meant for TypeDoc itself", () => {
    const api = JSON.parse(readFileSync(json, 'utf8')) as Reflection;
    const session = (api.children ?? []).find((r) => r.name === 'BackupSession') as Reflection & { groups?: { title: string }[] };
    const titles = (session.groups ?? []).map((g) => g.title);
    expect(titles).toEqual(expect.arrayContaining(['Session', '1. Start a backup', '3. Snapshot', 'Restore']));
    expect(titles).not.toContain('Methods');
    const page = readFileSync(join(out, 'html', 'classes', 'BackupSession.html'), 'utf8');
    expect(page).toContain('initializeForBackup');
    expect(page).not.toMatch(/Sort Strategy|captureStackTrace/);
  });

  it('the error-handling guide lists every exported error class with its code and its base class', () => {
    const api = JSON.parse(readFileSync(json, 'utf8')) as Reflection;
    const guide = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    const rows = new Map(
      [...guide.matchAll(/^\| \{@link (\w+)\} \|(.*)$/gm)].map((m) => [m[1], m[2]] as const),
    );
    const classes = (api.children ?? []).filter((r) => r.kind === CLASS && isErrorClass(r)).map((r) => r.name);
    expect(classes.length).toBeGreaterThan(8);
    expect(classes.filter((c) => !rows.has(c))).toEqual([]);
    let codesChecked = 0;
    for (const c of classes) {
      type Type = { type: string; value?: unknown; types?: Type[] };
      const cls = (api.children ?? []).find((r) => r.name === c) as Reflection & { extendedTypes?: { name: string }[] };
      expect(rows.get(c), c).toMatch(new RegExp(`\\| \`${cls.extendedTypes?.[0]?.name ?? 'none'}\` \\|\\s*$`));
      const code = cls.children?.find((m) => m.name === 'code') as (Reflection & { type?: Type }) | undefined;
      // A fixed code (a string literal type, or a union of them) must be what the guide shows.
      const literals = code?.type?.type === 'literal' ? [code.type] : code?.type?.type === 'union' ? code.type.types ?? [] : [];
      for (const l of literals.filter((l) => l.type === 'literal' && typeof l.value === 'string')) {
        expect(rows.get(c), c).toContain(`\`'${String(l.value)}'\``);
        codesChecked++;
      }
    }
    expect(codesChecked).toBeGreaterThan(6);
  });
});

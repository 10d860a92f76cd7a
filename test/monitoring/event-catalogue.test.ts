// The event catalogue (native/core/event_table.inc, generated into lib/events.generated.ts):
// every entry carries the message Windows logs and the public source it was checked against,
// and every id issue 11 names is in it or in the one list of ids no public source was found for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createSimulator, createSnapshotSet, describeEvent, listEventCatalogue, readVssEvents } from '../../lib/index.js';

const root = join(import.meta.dirname, '..', '..');

// The ids issue 11 names (Hyper-V "backup and checkpoint errors" has no ids there; see below).
const NAMED_BY_ISSUE: Array<[string, number]> = [
  ['VSS', 8193],
  ['VSS', 8194],
  ['VSS', 8224],
  ['VSS', 8229],
  ['VSS', 12289],
  ['VSS', 12292],
  ['VSS', 12293],
  ['VSS', 12298],
  ['VSS', 12302],
  ['VSS', 12366],
  ['VolSnap', 8],
  ['VolSnap', 9],
  ['VolSnap', 24],
  ['VolSnap', 25],
  ['VolSnap', 33],
  ['VolSnap', 36],
  ['SQLWRITER', 24583],
];

// Hyper-V VMMS backup and checkpoint errors the catalogue explains, each checked against a
// Microsoft support article (event id, level, channel and text as published there).
const HYPERV_IN_CATALOGUE = [10103, 16050, 16060, 19100];

/**
 * Events an administrator meets that no public source ties an id to, so they stay out of the
 * catalogue (a wrong meaning is worse than none). Each with the searches that were tried
 * (search tool: corpora pages, docs, issues, code; and exact-string searches of public repositories).
 */
const NOT_FOUND_IN_PUBLIC_SOURCES = [
  {
    event: "Hyper-V-VMMS: \"Could not create backup checkpoint for virtual machine '<VM>': <error>. (Virtual machine ID <id>)\"",
    found: 'the text only, without its id (c-amie.co.uk "Error 0x80070002 when attempting to backup a Hyper-V Virtual Machine using Windows Server Backup"; Microsoft\'s "Troubleshoot Hyper-V virtual machine backup, checkpoint, and storage failures" quotes it from backup software, also without an id)',
    searches: [
      'pages: "Could not create backup checkpoint for virtual machine" event ID',
      'pages: event ID 18012 Hyper-V-VMMS "Checkpoint operation for" failed Virtual machine ID',
      'pages: Hyper-V-VMMS 18016 checkpoint could not be created',
      'exact string: "Could not create backup checkpoint for virtual", "Event ID: 18012"',
      // events8: nothing new; the one exact-string hit is Microsoft's troubleshooting guide quoting backup software.
      'pages: Could not create backup checkpoint for virtual machine Event ID Hyper-V-VMMS',
      'pages: Veeam forum Hyper-V-VMMS event "Checkpoint operation for" failed "Event ID"',
      'code: Microsoft-Windows-Hyper-V-VMMS Event ID Channel Message checkpoint {VmName} {VmId} (manifest dumps list Hyper-V-Chipset, -Hypervisor, -ComputeLib, -DynMem, Guest-Drivers-IcSvc; no VMMS table)',
      'repositories: nasbench/EVTX-ETW-Resources (no Microsoft-Windows-Hyper-V-VMMS manifest in its W10/W2019/W2022 lists), libyal/winevt-kb (no vmms.exe/vmwp.exe message file)',
    ],
  },
  {
    event: "Hyper-V-VMMS: \"Checkpoint operation for '<VM>' failed. (Virtual machine ID <id>)\" and \"'<VM>' could not initiate a checkpoint operation: <error>\"",
    found: 'texts only (c-amie.co.uk; github.com/hashicorp/vagrant/issues/9977 quotes Hyper-V\'s PowerShell error), no id',
    searches: [
      'issues: Hyper-V backup checkpoint failed event log Hyper-V-VMMS event ID "Production checkpoints cannot be created"',
      'exact string: "Checkpoint operation for \'", "could not initiate a checkpoint operation"',
      'issues: Hyper-V VMMS event id 18012 checkpoint failed (vagrant#9977 again, text only)',
    ],
  },
  {
    event: 'Hyper-V-Worker 3280 (backup checkpoint)',
    found: 'the bare id in a list of storage-related ids (Microsoft "Troubleshoot Hyper-V virtual machine backup, checkpoint, and storage failures"), no text',
    searches: [
      'pages: Hyper-V-Worker event 3280 could not initiate a checkpoint operation',
      'exact string: "Event ID: 3280"',
      'pages: "Event ID: 3280" Hyper-V-Worker checkpoint',
      'issues: Hyper-V-Worker-Admin event 3280 "could not create" checkpoint backup log',
    ],
  },
  {
    event: 'Hyper-V-VMMS 16010, 18012, 18014, 18016, 19070, 19080, 19090 (checkpoint and merge)',
    found: 'ids named by third-party pages (racknotes.pro names 19070/19080/19090) without a message text',
    searches: [
      'pages: Hyper-V-VMMS 16010 operation failed snapshot merge',
      'pages: racknotes Hyper-V checkpoint operation failed events 19070 19080 19090 background disk merge',
      'pages: Event Details Source: Microsoft-Windows-Hyper-V-VMMS Symbolic Name MSVM_VMMS snapshot failed Message',
      'pages: Hyper-V-VMMS 18016 18014 18012 checkpoint event log VM ID could not create',
      'pages: Hyper-V-VMMS Event ID 10150 / 10172 / 10102 / 10104 backup of virtual machine failed (only 10103, dd582376, which is in the catalogue)',
      'docs: Virtual Machine Integration Services Event ID Hyper-V-VMMS MSVM_VMMS VSS backup failed Windows Server 2008',
      'github zerber0s/windows-eid-data hyperv.json: ids with paraphrased texts written for that data set, not Windows\' messages; not used',
    ],
  },
];

/** Entries whose id-to-text link rests on no public page (only on the provider's message table). */
const NO_LOGGED_INSTANCE = [['VolSnap', 36]];

describe('the event catalogue', () => {
  const catalogue = listEventCatalogue();

  it('gives every entry a message, meaning, causes, remedy and a public source', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(NAMED_BY_ISSUE.length);
    for (const e of catalogue) {
      const id = `${e.provider} ${e.eventId}`;
      for (const field of ['channel', 'message', 'meaning', 'causes', 'remedy', 'source'] as const) expect(e[field].trim(), `${id} ${field}`).not.toBe('');
      expect([1, 2, 3, 4], `${id} level`).toContain(e.level);
      // A source names a page, an article or a repository file, not just "as logged".
      expect(e.source, `${id} source`).toMatch(/learn\.microsoft\.com|docs\.microsoft\.com|TechNet|KB \d+|\(dd\d+|\(ee\d+|libyal\/winevt-kb|github\.com|blog/);
      expect(e.source, `${id} source`).not.toMatch(/unconfirmed|unsourced/i);
    }
  });

  it('has one entry per provider and id', () => {
    const keys = catalogue.map((e) => `${e.provider.toLowerCase()}/${e.eventId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('holds every id issue 11 names, on the channel and provider Windows logs it under', () => {
    for (const [provider, eventId] of NAMED_BY_ISSUE) {
      const e = describeEvent(provider, eventId);
      expect(e, `${provider} ${eventId}`).toBeDefined();
      expect(e!.channel).toBe(provider === 'VolSnap' ? 'System' : 'Application');
    }
    for (const eventId of HYPERV_IN_CATALOGUE) expect(describeEvent('Microsoft-Windows-Hyper-V-VMMS', eventId)?.channel).toBe('Microsoft-Windows-Hyper-V-VMMS-Admin');
  });

  it('keeps the ids no public source ties to a text out, each with the searches tried', () => {
    for (const entry of NOT_FOUND_IN_PUBLIC_SOURCES) {
      expect(entry.searches.length, entry.event).toBeGreaterThan(0);
      for (const id of entry.event.match(/\b\d{4,5}\b/g) ?? []) expect(describeEvent('Microsoft-Windows-Hyper-V-VMMS', Number(id)), id).toBeUndefined();
    }
    expect(describeEvent('Microsoft-Windows-Hyper-V-Worker', 3280)).toBeUndefined();
    for (const [provider, eventId] of NO_LOGGED_INSTANCE) expect(describeEvent(provider as string, eventId as number)!.source).toMatch(/no logged instance found/);
  });

  it('matches the texts Microsoft documents for the ids it names (12302, 19100, VolSnap 36, 25)', () => {
    expect(describeEvent('VSS', 12302)!.message).toMatch(/^Volume Shadow Copy Service error: An internal inconsistency was detected in trying\nto contact shadow copy service writers/);
    expect(describeEvent('VSS', 12302)!.source).toMatch(/KB 940184/);
    expect(describeEvent('Microsoft-Windows-Hyper-V-VMMS', 19100)!.message).toMatch(/background disk merge failed to complete: General access denied error \(0x80070005\)/);
    expect(describeEvent('Microsoft-Windows-Hyper-V-VMMS', 19100)!.source).toMatch(/KB 4230569/);
    expect(describeEvent('VolSnap', 36)!.message).toBe(
      'The shadow copies of volume %2 were aborted because the shadow copy storage could not grow due to a user imposed limit.',
    );
    expect(describeEvent('VolSnap', 25)!.message).toMatch(/could not grow in time\. {2}Consider reducing the IO load/);
  });

  it('lib/events.generated.ts is what scripts/gen-events.mjs makes of event_table.inc', () => {
    const table = readFileSync(join(root, 'native/core/event_table.inc'), 'utf8');
    const lines = table.split('\n').filter((l) => l.startsWith('VSS_EVENT('));
    expect(lines).toHaveLength(catalogue.length);
    for (const [i, e] of catalogue.entries()) expect(lines[i], `${e.provider} ${e.eventId}`).toContain(`VSS_EVENT("${e.provider}", ${e.eventId}, ${e.level}, "${e.channel}", `);
  });
});

describe('the events the engine writes', () => {
  // An engine message fits a catalogue template when the template's fixed words appear in
  // order with something in each insert. Runs of white space compare equal (the engine breaks
  // some lines where the message table has a space, and the other way round).
  const fits = (message: string, template: string) => {
    const words = (t: string) => t.replace(/\s+/g, ' ').trim();
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = words(template)
      .split(/ ?%\d+ ?/)
      .map((part) => escape(part))
      .join('[\\s\\S]*?');
    return new RegExp(`^${pattern}`).test(words(message));
  };

  it('writes VSS 8229, 12293 and 12298 and VolSnap 8, 9, 25, 33 and 36 in the words of Windows', async () => {
    const seen = new Map<string, string>();
    const collect = async (sim: ReturnType<typeof createSimulator>) => {
      for (const e of await readVssEvents({ backend: sim })) seen.set(`${e.provider} ${e.eventId}`, e.message);
    };
    const fast = { timeScale: 0.01 };
    // A writer veto (8229) and a provider veto (12293).
    const veto = createSimulator({ base: 'windows-server-2022', timing: fast, faults: [{ writer: 'WMI Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] });
    await createSnapshotSet(['C:\\'], { backend: veto }).catch(() => undefined);
    veto.configure({ faults: [{ provider: 'b5946137-7b9f-4925-af80-51abd60b20d5', phase: 'commit', error: 'VSS_E_PROVIDER_VETO', times: 1 }] });
    await createSnapshotSet(['C:\\'], { backend: veto }).catch(() => undefined);
    await collect(veto);
    // Flush (VolSnap 9) and hold (VolSnap 8) windows exceeded.
    for (const timing of [{ flushMs: 11_000 }, { commitMs: 11_000 }]) {
      const slow = createSimulator({ base: 'windows-server-2022', timing: { ...fast, ...timing } });
      await createSnapshotSet(['C:\\'], { backend: slow, writers: 'none' }).catch(() => undefined);
      await collect(slow);
    }
    // Over the shadow storage maximum (33), then protection faults deleting shadow copies (36, 25).
    for (const fault of [undefined, 'diff-area-full', 'grow-too-slow']) {
      const sim = createSimulator({ base: 'windows-server-2022', volumes: [{ name: 'C:\\', diffAreaMaximum: 64 * 1024 * 1024 }], shadows: [{ volume: 'C:\\' }, { volume: 'C:\\' }] });
      if (fault) sim.configure({ faults: [{ volume: 'C:\\', protectionFault: fault }] });
      else await (await createSnapshotSet(['C:\\'], { backend: sim, persistent: true, writers: 'none' })).complete({ succeeded: true });
      await collect(sim);
    }
    const checked = ['VSS 8229', 'VSS 12293', 'VSS 12298', 'VolSnap 8', 'VolSnap 9', 'VolSnap 25', 'VolSnap 33', 'VolSnap 36'];
    for (const key of checked) {
      const message = seen.get(key);
      expect(message, `${key} was not logged; logged: ${[...seen.keys()].join(', ')}`).toBeDefined();
      const [provider, id] = key.split(' ');
      expect(fits(message!, describeEvent(provider!, Number(id))!.message), `${key}: ${message}`).toBe(true);
    }
    // VSS 12298 with vssvc.exe's "Error details" part (message 0x300a): the hold's error in Release, the
    // other steps' success, each as "hr, message" (the inserts' form is inferred: event_log.cpp).
    expect(seen.get('VSS 12298')).toMatch(
      /^Volume Shadow Copy Service error: The I\/O writes cannot be held during the shadow copy creation period on volume \\\\\?\\Volume\{[0-9a-f-]+\}\\\.\r\nThe volume index in the shadow copy set is 0\. Error details: Open\[0x00000000, The operation completed successfully\.\], Flush\[0x00000000, The operation completed successfully\.\], Release\[0x80042314, The shadow copy provider timed out while holding writes to the volume being shadow copied\. [^\]]*\], OnRun\[0x00000000, The operation completed successfully\.\]\.\r\n/,
    );
    // Volumes named as VolSnap names them: "volume C:", not "C:\".
    expect(seen.get('VolSnap 36')).toBe('The shadow copies of volume C: were aborted because the shadow copy storage could not grow due to a user imposed limit.');
  });

  it('the fit check tells a wrong text from a right one', () => {
    // The 12298 the engine wrote before: without vssvc.exe's "Error details" part.
    const hold = describeEvent('VSS', 12298)!.message;
    expect(fits('Volume Shadow Copy Service error: The I/O writes cannot be held during the shadow copy creation period on volume C:. The volume index in the shadow copy set is 0.', hold)).toBe(false);
    const t = describeEvent('VolSnap', 36)!.message;
    expect(fits('The shadow copies of volume C: were aborted because the shadow copy storage could not grow due to a user imposed limit.', t)).toBe(true);
    expect(fits('The shadow copies of volume C: were aborted because the shadow copy storage could not grow beyond its user-set maximum.', t)).toBe(false);
  });
});

// The default sources of readVssEvents (cold10 F15, issue 11: "ESENT where VSS-related"). On
// Windows (and under Wine, through the emulated wevtapi.dll) Application is read for ESENT's
// 2004 only, by the COM backend's XPath (native/com/event_log.cpp ProviderFilters); the engine
// logs only catalogued events, and ESENT 2004 is the one ESENT id in the catalogue. System's
// Service Control Manager 7023, 7031 and 7034 are read for the VSS-related services only
// (lib/services.ts vssRelatedServices, matched on param1: native/core/service_events.h).
import assert from 'node:assert/strict';

import { both, scenario } from '../../helpers.mjs';

const NTDS_WRITER = 'b2014c9e-8711-4c5c-a5a9-3cf384484757';

// KB 826936 ("Time-out errors occur in Volume Shadow Copy service writers"): the NTDS writer
// fails with a retryable error; VSS 12290 and ESENT 2004 are logged, as quoted there.
const ntdsTimeout = scenario({
  events: [
    { provider: 'ESENT', eventId: 2004, minutesAgo: 11, message: 'Shadow copy 6 time-out (20000 ms).' },
    {
      provider: 'VSS',
      eventId: 12290,
      minutesAgo: 10,
      message: `Volume Shadow Copy Service warning: ESENT ERROR {${NTDS_WRITER}} NTDS: -2402. hr = 0x00000000.`,
    },
  ],
});

const SCM = 'Service Control Manager';
// 7023 as ../shared/reference/events/vss-12292-11-scm-7023-swprv-missing.md shows it; 7031 and 7034
// in services.exe's words (event_table.inc) for a service VSS does not use and for a writer's host.
const serviceEvents = scenario({
  events: [
    {
      provider: SCM,
      eventId: 7023,
      minutesAgo: 30,
      message: 'The Microsoft Software Shadow Copy Provider service terminated with the following error: \r\nThe system cannot find the file specified.',
      data: { param1: 'Microsoft Software Shadow Copy Provider', param2: 'The system cannot find the file specified.' },
    },
    {
      provider: SCM,
      eventId: 7031,
      minutesAgo: 20,
      message: 'The Print Spooler service terminated unexpectedly.  It has done this 1 time(s).  The following corrective action will be taken in 60000 milliseconds: Restart the service.',
      data: { param1: 'Print Spooler', param2: '1', param3: '60000', param4: '1', param5: 'Restart the service' },
    },
    {
      provider: SCM,
      eventId: 7034,
      minutesAgo: 10,
      message: 'The Cryptographic Services service terminated unexpectedly.  It has done this 2 time(s).',
      data: { param1: 'Cryptographic Services', param2: '2' },
    },
    { provider: SCM, eventId: 7034, minutesAgo: 5, message: 'The Spooler service terminated unexpectedly.  It has done this 3 time(s).', data: { param1: 'Spooler', param2: '3' } },
  ],
});

export default [
  {
    name: 'Service Control Manager 7023 (swprv, ../shared reference beside VSS 12292) and 7034 (Cryptographic Services, the System Writer\'s host) are read by default from System; 7031 and 7034 of the Print Spooler are not, named or not, with --id or a named channel',
    where: both,
    async run(h) {
      const m = await h.machine(serviceEvents);
      const read = async (options = {}) => (await h.vss.readVssEvents({ backend: m.backend, ...options })).map((e) => [e.channel, e.provider, e.eventId, e.level.name, e.data.param1]);
      const related = [
        ['System', SCM, 7023, 'error', 'Microsoft Software Shadow Copy Provider'],
        ['System', SCM, 7034, 'error', 'Cryptographic Services'],
      ];
      assert.deepEqual(await read(), related);
      assert.deepEqual(await read({ channels: ['System'] }), related);
      assert.deepEqual(await read({ ids: [7031] }), []);
      assert.deepEqual(await read({ ids: [7034], max: 1 }), [related[1]]);
      const events = await h.vss.readVssEvents({ backend: m.backend, ids: [7023] });
      assert.match(events[0].message, /^The Microsoft Software Shadow Copy Provider service terminated with the following error/);
      assert.match(events[0].remedy, /swprv/);
      // The one list, declared in lib/services.ts: the three services VSS needs, then the writers' hosts.
      const services = h.vss.vssRelatedServices().map((s) => s.service);
      assert.deepEqual(services.slice(0, 3), ['VSS', 'swprv', 'EventSystem']);
      assert.ok(services.includes('CryptSvc') && !services.includes('Spooler'), services.join(' '));
    },
  },
  {
    name: 'ESENT 2004 "Shadow copy 6 time-out (20000 ms)" and VSS 12290 "ESENT ERROR {NTDS writer} NTDS: -2402" (KB 826936) are read by default from Application, each a warning with the catalogue\'s meaning and remedy',
    where: both,
    async run(h) {
      const m = await h.machine(ntdsTimeout);
      const events = await h.vss.readVssEvents({ backend: m.backend });
      assert.deepEqual(
        events.map((e) => [e.channel, e.provider, e.eventId, e.level.name, e.message]),
        [
          ['Application', 'ESENT', 2004, 'warning', 'Shadow copy 6 time-out (20000 ms).'],
          ['Application', 'VSS', 12290, 'warning', ntdsTimeout.events[1].message],
        ],
      );
      assert.match(events[0].meaning, /gave up waiting for a shadow copy/);
      assert.match(events[0].remedy, /KB 826936/);
      assert.match(events[1].remedy, /ESENT 2004/);
      // An id filter still applies on top of the ESENT id restriction.
      assert.deepEqual(
        (await h.vss.readVssEvents({ backend: m.backend, ids: [2004] })).map((e) => [e.provider, e.eventId]),
        [['ESENT', 2004]],
      );
      assert.deepEqual(
        (await h.vss.readVssEvents({ backend: m.backend, ids: [12290], levels: ['warning'] })).map((e) => [e.provider, e.eventId]),
        [['VSS', 12290]],
      );
      // The catalogue lists both, with the KB as their source.
      const catalogue = h.vss.listEventCatalogue();
      for (const [provider, eventId] of [['ESENT', 2004], ['VSS', 12290]]) {
        const entry = catalogue.find((c) => c.provider === provider && c.eventId === eventId);
        assert.ok(entry, `${provider} ${eventId} in the catalogue`);
        assert.equal(entry.channel, 'Application');
        assert.match(entry.source, /KB 826936/);
      }
    },
  },
];

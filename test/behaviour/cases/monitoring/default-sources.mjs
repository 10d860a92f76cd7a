// The default sources of readVssEvents (cold10 F15, issue 11: "ESENT where VSS-related"). On
// Windows (and under Wine, through the emulated wevtapi.dll) Application is read for ESENT's
// 2004 only, by the COM backend's XPath (native/com/event_log.cpp ProviderFilters); the engine
// logs only catalogued events, and ESENT 2004 is the one ESENT id in the catalogue.
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

export default [
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

// The sourced table of each modelled VSS method's preconditions (method_rules.inc)
// and the check that enforces it.
#pragma once

#include <cstdint>
#include <string>

namespace vss {
namespace sim {

// What a session looks like when a method is called: the facts the rules test.
struct SessionFacts {
  bool initialized = false;           // InitializeForBackup or InitializeForRestore ran
  bool backup = false;                // ... and it was InitializeForBackup
  bool beforeSnapshotSet = false;     // initialized, StartSnapshotSet not yet called
  bool setStarted = false;            // StartSnapshotSet ran, PrepareForBackup not yet
  bool prepared = false;              // PrepareForBackup ran, DoSnapshotSet not yet
  bool metadataGathered = false;      // GatherWriterMetadata ran
  bool contextSet = false;            // SetContext ran
  bool contextAll = false;            // the context is VSS_CTX_ALL
  bool withWriters = true;            // the context involves writers (no VSS_VOLSNAP_ATTR_NO_WRITERS)
  bool hasVolumes = false;            // AddToSnapshotSet added a volume
  bool restore = false;               // InitializeForRestore ran
  bool preRestored = false;           // PreRestore ran
  bool postRestored = false;          // PostRestore ran
  bool transportableDocument = false; // InitializeForBackup loaded a document with a transportable set description
  // What already created or ended this session's snapshot set ("DoSnapshotSet already created ...",
  // "BackupComplete ended ..."), so a refusal says what happened; empty while the set can still be made.
  std::string setHistory;
  // The volumes the call concerns (AddToSnapshotSet: the one added; DoSnapshotSet: the set's, once
  // the provider prepares them). Empty when all is well; otherwise what is wrong, for the message.
  std::string offlineVolume;     // a volume offline for shadow copy protection (VSS_VOLUME_PROTECTION_INFO)
  std::string storageShortfall;  // why the system provider cannot give a new copy shadow storage
};

// Throws VssException(result, method, why) for the first row of `method` whose
// precondition does not hold.
void EnforceRules(const char* method, const SessionFacts& facts);

// DoSnapshotSet's flush-and-hold window (the WINDOW rows of method_rules.inc): after
// `elapsedMs` the commit is done (result 0) or VSS gave up and fails the set with
// `result` (VSS_E_FLUSH_WRITES_TIMEOUT or VSS_E_HOLD_WRITES_TIMEOUT) for `why`.
struct WindowVerdict {
  double elapsedMs = 0;
  uint32_t result = 0;
  const char* why = nullptr;
};
WindowVerdict FlushAndHold(double flushMs, double commitMs);

// When a backup ends early (the ABORT rows of method_rules.inc).
enum class AbortWhen {
  kRequesterBeforePostSnapshot,  // AbortBackup (or release) before the writers heard PostSnapshot
  kWriterFailsFreezeOrThaw,      // VSS aborts: a writer vetoed Freeze or Thaw
  kCreationFails,                // VSS aborts: the provider or VSS failed, or the requester cancelled
  kWriterVetoesPrepareSnapshot,  // the set fails, VSS sends no Abort
  kRequesterAfterPostSnapshot,   // AbortBackup (or release) after a successful DoSnapshotSet
};
struct AbortRule {
  bool writersHearAbort = true;
  bool deletesShadows = true;
  const char* doc = nullptr;
  const char* why = nullptr;
};
AbortRule AbortRuleFor(AbortWhen when);

}  // namespace sim
}  // namespace vss

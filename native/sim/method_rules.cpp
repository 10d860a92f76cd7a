#include "method_rules.h"

#include <cstring>
#include <string>

#include "../core/error.h"

namespace vss {
namespace sim {

namespace {

enum Precondition {
  kInitialized,
  kBackupMode,
  kBeforeSnapshotSet,
  kBeforeWriterMetadata,
  kContextNotSet,
  kNoSetInCreation,
  kCreationContext,
  kWritersIdentified,
  kSetStarted,
  kReadyToCommit,
  kSetNotCreated,
  kHasVolumes,
  kMetadataNotGathered,
  kRestoreMode,
  kBeforePreRestore,
  kBeforePostRestore,
  kTransportableDocument,
  kVolumesOnline,
  kShadowStorageAvailable,
};

bool Holds(Precondition p, const SessionFacts& f) {
  switch (p) {
    case kInitialized: return f.initialized;
    case kBackupMode: return f.backup;
    case kBeforeSnapshotSet: return f.beforeSnapshotSet;
    case kBeforeWriterMetadata: return f.beforeSnapshotSet && !f.metadataGathered;
    case kContextNotSet: return !f.contextSet;
    case kNoSetInCreation: return !f.setStarted && !f.prepared;
    case kCreationContext: return !f.contextAll;
    case kWritersIdentified: return !f.withWriters || f.metadataGathered;
    case kSetStarted: return f.setStarted;
    case kReadyToCommit: return f.prepared || (f.setStarted && !f.withWriters);
    case kSetNotCreated: return f.setHistory.empty();
    case kHasVolumes: return f.hasVolumes;
    case kMetadataNotGathered: return !f.metadataGathered;
    case kRestoreMode: return f.restore;
    case kBeforePreRestore: return !f.preRestored;
    case kBeforePostRestore: return !f.postRestored;
    case kTransportableDocument: return f.transportableDocument;
    case kVolumesOnline: return f.offlineVolume.empty();
    case kShadowStorageAvailable: return f.storageShortfall.empty();
  }
  return false;
}

// What the message adds to a row's reason: which volume, how short.
std::string Particulars(Precondition p, const SessionFacts& f) {
  if (p == kVolumesOnline) return f.offlineVolume;
  if (p == kShadowStorageAvailable) return f.storageShortfall;
  if (p == kBeforeSnapshotSet || p == kSetNotCreated) return f.setHistory;
  return {};
}

struct Rule {
  const char* method;
  Precondition precondition;
  uint32_t result;
  const char* doc;
  const char* why;
};

using namespace hr;
const Rule kRules[] = {
#define RULE(method, precondition, result, doc, why) {method, precondition, result, doc, why},
#define WINDOW(method, stage, limitMs, result, doc, why)
#define ABORT(when, writers, shadows, doc, why)
#include "method_rules.inc"
#undef ABORT
#undef WINDOW
#undef RULE
};

// What a WINDOW row times, from the moment VSS sends the flush-and-hold.
enum WindowStage {
  kFlushWrites,  // the file systems' flush, until the writes are held
  kHoldWrites,   // flush and the providers' commit, until VSS releases the writes
};

struct Window {
  const char* method;
  WindowStage stage;
  double limitMs;
  uint32_t result;
  const char* doc;
  const char* why;
};

const Window kWindows[] = {
#define RULE(method, precondition, result, doc, why)
#define WINDOW(method, stage, limitMs, result, doc, why) {method, stage, limitMs, result, doc, why},
#define ABORT(when, writers, shadows, doc, why)
#include "method_rules.inc"
#undef ABORT
#undef WINDOW
#undef RULE
};

enum AbortWriters { kWritersHearAbort, kNoWriterHearsAbort };
enum AbortShadows { kShadowsDeleted, kShadowsKept };

struct AbortRow {
  AbortWhen when;
  AbortWriters writers;
  AbortShadows shadows;
  const char* doc;
  const char* why;
};

constexpr AbortWhen kRequesterBeforePostSnapshot = AbortWhen::kRequesterBeforePostSnapshot;
constexpr AbortWhen kWriterFailsFreezeOrThaw = AbortWhen::kWriterFailsFreezeOrThaw;
constexpr AbortWhen kCreationFails = AbortWhen::kCreationFails;
constexpr AbortWhen kWriterVetoesPrepareSnapshot = AbortWhen::kWriterVetoesPrepareSnapshot;
constexpr AbortWhen kRequesterAfterPostSnapshot = AbortWhen::kRequesterAfterPostSnapshot;

const AbortRow kAborts[] = {
#define RULE(method, precondition, result, doc, why)
#define WINDOW(method, stage, limitMs, result, doc, why)
#define ABORT(when, writers, shadows, doc, why) {when, writers, shadows, doc, why},
#include "method_rules.inc"
#undef ABORT
#undef WINDOW
#undef RULE
};

}  // namespace

WindowVerdict FlushAndHold(double flushMs, double commitMs) {
  WindowVerdict verdict;
  verdict.elapsedMs = flushMs + commitMs;
  // Rows in order: a flush that never ends is a flush timeout, not a hold timeout.
  for (const Window& w : kWindows) {
    const double took = w.stage == kFlushWrites ? flushMs : flushMs + commitMs;
    if (std::strcmp(w.method, "DoSnapshotSet") == 0 && took > w.limitMs) {
      verdict.elapsedMs = w.limitMs;
      verdict.result = w.result;
      verdict.why = w.why;
      return verdict;
    }
  }
  return verdict;
}

AbortRule AbortRuleFor(AbortWhen when) {
  for (const AbortRow& row : kAborts)
    if (row.when == when) return {row.writers == kWritersHearAbort, row.shadows == kShadowsDeleted, row.doc, row.why};
  return {};  // every AbortWhen has a row (test/method-rules.test.ts)
}

void EnforceRules(const char* method, const SessionFacts& facts) {
  for (const Rule& rule : kRules)
    if (std::strcmp(rule.method, method) == 0 && !Holds(rule.precondition, facts)) {
      const std::string particulars = Particulars(rule.precondition, facts);
      throw VssException(rule.result, method, particulars.empty() ? std::string(rule.why) : std::string(rule.why) + ": " + particulars);
    }
}

}  // namespace sim
}  // namespace vss

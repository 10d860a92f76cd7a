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
  kHasVolumes,
  kMetadataNotGathered,
  kRestoreMode,
  kBeforePreRestore,
  kBeforePostRestore,
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
    case kHasVolumes: return f.hasVolumes;
    case kMetadataNotGathered: return !f.metadataGathered;
    case kRestoreMode: return f.restore;
    case kBeforePreRestore: return !f.preRestored;
    case kBeforePostRestore: return !f.postRestored;
  }
  return false;
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
#include "method_rules.inc"
#undef RULE
};

}  // namespace

void EnforceRules(const char* method, const SessionFacts& facts) {
  for (const Rule& rule : kRules)
    if (std::strcmp(rule.method, method) == 0 && !Holds(rule.precondition, facts)) throw VssException(rule.result, method, rule.why);
}

}  // namespace sim
}  // namespace vss

#include "model.h"

namespace vss {
namespace sim {

namespace {
struct PhaseInfo {
  Phase phase;
  const char* name;
  int32_t failedState;  // VSS_WS_FAILED_AT_*
};
const PhaseInfo kPhases[] = {
    {Phase::Identify, "identify", 6},
    {Phase::PrepareBackup, "prepare-backup", 7},
    {Phase::PrepareSnapshot, "prepare-snapshot", 8},
    {Phase::Freeze, "freeze", 9},
    {Phase::Thaw, "thaw", 10},
    {Phase::PostSnapshot, "post-snapshot", 11},
    {Phase::BackupComplete, "backup-complete", 12},
    {Phase::PreRestore, "pre-restore", 13},
    {Phase::PostRestore, "post-restore", 14},
    {Phase::BackupShutdown, "backup-shutdown", 15},
    // VSS_WRITER_STATE has no failed state for Abort (CVssWriter::OnAbort's result is ignored).
    {Phase::Abort, "abort", 0},
};
}  // namespace

const char* PhaseName(Phase phase) {
  for (const PhaseInfo& p : kPhases)
    if (p.phase == phase) return p.name;
  return "unknown";
}

std::optional<Phase> ParsePhase(const std::string& name) {
  for (const PhaseInfo& p : kPhases)
    if (name == p.name) return p.phase;
  return std::nullopt;
}

int32_t FailedStateFor(Phase phase) {
  for (const PhaseInfo& p : kPhases)
    if (p.phase == phase) return p.failedState;
  return 0;
}

double Timing::For(Phase phase) const {
  switch (phase) {
    case Phase::Identify: return identifyMs;
    case Phase::PrepareBackup: return prepareBackupMs;
    case Phase::PrepareSnapshot: return prepareSnapshotMs;
    case Phase::Freeze: return freezeMs;
    case Phase::Thaw: return thawMs;
    case Phase::PostSnapshot: return postSnapshotMs;
    case Phase::BackupComplete: return backupCompleteMs;
    case Phase::PreRestore: return preRestoreMs;
    case Phase::PostRestore: return postRestoreMs;
    case Phase::BackupShutdown: return 0;  // sent while the requester releases; never waited for
    case Phase::Abort: return 0;           // AbortBackup is synchronous for the requester
  }
  return 0;
}

}  // namespace sim
}  // namespace vss

#include "model.h"

#include "xml.h"

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

namespace {

bool SameFile(const FileDescriptor& a, const FileDescriptor& b) {
  return a.path == b.path && a.filespec == b.filespec && a.recursive == b.recursive && a.alternatePath == b.alternatePath &&
         a.backupTypeMask == b.backupTypeMask;
}

bool SameFiles(const std::vector<FileDescriptor>& a, const std::vector<FileDescriptor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!SameFile(a[i], b[i])) return false;
  return true;
}

bool SameComponent(const Component& a, const Component& b) {
  if (a.type != b.type || a.logicalPath != b.logicalPath || a.name != b.name || a.caption != b.caption || a.restoreMetadata != b.restoreMetadata ||
      a.notifyOnBackupComplete != b.notifyOnBackupComplete || a.selectable != b.selectable || a.selectableForRestore != b.selectableForRestore ||
      a.flags != b.flags || a.dependencies.size() != b.dependencies.size())
    return false;
  for (size_t i = 0; i < a.dependencies.size(); ++i) {
    const Dependency& x = a.dependencies[i];
    const Dependency& y = b.dependencies[i];
    if (!(x.writerId == y.writerId) || x.logicalPath != y.logicalPath || x.componentName != y.componentName) return false;
  }
  return SameFiles(a.files, b.files) && SameFiles(a.databaseFiles, b.databaseFiles) && SameFiles(a.logFiles, b.logFiles);
}

// A field added to these structs must be compared above: the sizes below fail to compile
// until it is (libstdc++'s layouts, which the Linux and the mingw-w64 builds share).
#if defined(__GLIBCXX__) && defined(__x86_64__)
static_assert(sizeof(FileDescriptor) == 112, "a new FileDescriptor field: compare it in SameFile");
static_assert(sizeof(Dependency) == 80, "a new Dependency field: compare it in SameComponent");
static_assert(sizeof(Component) == 208, "a new Component field: compare it in SameComponent");
static_assert(sizeof(RestoreMethod) == 88, "a new RestoreMethod field: compare it in SameDescription");
static_assert(sizeof(WriterMetadata) == 648, "a new WriterMetadata field: compare it in SameDescription");
#endif

}  // namespace

bool SameDescription(const WriterMetadata& a, const WriterMetadata& b) {
  if (!(a.instanceId == b.instanceId) || !(a.writerId == b.writerId) || a.name != b.name || a.instanceName != b.instanceName || a.usage != b.usage ||
      a.source != b.source || a.backupSchema != b.backupSchema || a.versionMajor != b.versionMajor || a.versionMinor != b.versionMinor ||
      a.hasRestoreMethod != b.hasRestoreMethod || a.components.size() != b.components.size())
    return false;
  const RestoreMethod& r = a.restoreMethod;
  const RestoreMethod& s = b.restoreMethod;
  if (r.method != s.method || r.service != s.service || r.userProcedure != s.userProcedure || r.writerRestore != s.writerRestore ||
      r.rebootRequired != s.rebootRequired || r.mappingCount != s.mappingCount)
    return false;
  if (!SameFiles(a.includeFiles, b.includeFiles) || !SameFiles(a.excludeFiles, b.excludeFiles) || !SameFiles(a.excludeFromSnapshot, b.excludeFromSnapshot) ||
      !SameFiles(a.alternateLocationMappings, b.alternateLocationMappings))
    return false;
  for (size_t i = 0; i < a.components.size(); ++i)
    if (!SameComponent(a.components[i], b.components[i])) return false;
  return true;
}

std::shared_ptr<const WriterMetadata> PublishedMetadata(SimWriter& writer) {
  // Packed lists come only from the COM route's reading; a writer carrying them is not cached.
  if (writer.published && !writer.metadata.packedFiles && SameDescription(*writer.published, writer.metadata)) return writer.published;
  WriterMetadata m = writer.metadata;
  m.xml = WriterMetadataXml(m);
  writer.published = std::make_shared<const WriterMetadata>(std::move(m));
  return writer.published;
}

}  // namespace sim
}  // namespace vss

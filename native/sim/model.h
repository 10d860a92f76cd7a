// The simulated machine's parts: writers with their metadata, state and faults,
// volumes, providers, shadow copies, timings. Plain data; Machine (machine.h)
// guards it with one mutex.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../core/types.h"

namespace vss {
namespace sim {

// The points at which VSS talks to writers (and so where a writer can fail).
enum class Phase {
  Identify,
  PrepareBackup,
  PrepareSnapshot,
  Freeze,
  Thaw,
  PostSnapshot,
  BackupComplete,
  PreRestore,
  PostRestore,
  BackupShutdown,  // OnBackupShutdown: the requester released its session after a backup
  Abort,           // OnAbort: the requester called AbortBackup (only a 'state' fault applies)
};

const char* PhaseName(Phase phase);  // "identify", "prepare-backup", ...
std::optional<Phase> ParsePhase(const std::string& name);
// The VSS_WRITER_STATE a writer that fails in this phase is left in.
int32_t FailedStateFor(Phase phase);

// VSS_WRITER_STATE values the engine sets.
namespace ws {
constexpr int32_t kStable = 1;
constexpr int32_t kWaitingForFreeze = 2;
constexpr int32_t kWaitingForThaw = 3;
constexpr int32_t kWaitingForPostSnapshot = 4;
constexpr int32_t kWaitingForBackupComplete = 5;
}  // namespace ws

// Fail: the handler calls SetWriterFailure and returns true (a non-fatal failure: the
// writer is left failed, the operation goes on). Veto: SetWriterFailure and false (a
// fatal error: in PrepareForSnapshot, Freeze or Thaw it vetoes the shadow copy, which
// VSS then aborts). Slow: answers delayMs late. Hang: never answers.
// The writers that break the writer contract without failing, for checking a checker
// (vss check-writer): State: handles the event and is left in `state` instead of the
// documented one (VSS_WRITER_STATE: skips or sticks in a state). NoStamp: handles
// PostSnapshot without IVssComponent::SetBackupStamp. Metadata: each Identify gives a
// different document (the first component's caption changes).
enum class FaultKind { Fail, Veto, Slow, Hang, State, NoStamp, Metadata };

struct WriterFault {
  Phase phase = Phase::Freeze;
  FaultKind kind = FaultKind::Fail;
  uint32_t error = 0;             // Fail, Veto: the VSS_E_WRITERERROR_* the writer reports
  double delayMs = 0;             // Slow: added to the phase
  int remaining = -1;             // how many more times it fires; -1 = every time
  uint32_t applicationError = 0;  // reported through IVssBackupComponentsEx3
  std::string message;            // the writer's failure message
  int32_t state = 0;              // State: the VSS_WRITER_STATE the writer is left in
};

// A component's full logical path ("logicalPath\\name", or the name alone), the key subcomponents hang under.
inline std::string ComponentKey(const std::string& logicalPath, const std::string& name) { return logicalPath.empty() ? name : logicalPath + "\\" + name; }

class ExternalWriter;  // external_writer.h

struct SimWriter {
  WriterMetadata metadata;  // identity, components, files; xml is generated on demand
  int32_t state = ws::kStable;
  // A state file shared by processes: the process whose backup left this writer waiting
  // (waiting-for-freeze ... waiting-for-backup-complete), 0 for this one; kept with the
  // state it was loaded with, so a process that only reads the machine does not take it over.
  unsigned long waitingOwner = 0;
  int32_t waitingOwnerState = 0;
  // The session (of this process) whose PrepareForBackup took this writer into its backup, 0 for none.
  uint64_t backupSession = 0;
  // Set by a scenario giving the state failed-at-identify: the writer keeps failing
  // Identify (with its lastError) until a scenario gives it another state.
  bool identifyBroken = false;
  uint32_t lastError = 0;
  uint32_t applicationError = 0;
  std::string failureMessage;
  double freezeTimeoutMs = 60000;  // VSS writers must thaw within this (60 s by default)
  std::vector<std::string> volumes;  // volumes its data lives on
  // Listed under HKLM\SYSTEM\CurrentControlSet\Services\VSS\Settings\WritersBlockingRevert:
  // ShouldBlockRevert answers true for the volumes above.
  bool blocksRevert = false;
  // The partial files the writer records (IVssComponent::AddPartialFile) in PostSnapshot, by ComponentKey.
  std::map<std::string, std::vector<PartialFile>> partialFiles;
  // What else the scenario's writer sets on a component, by ComponentKey: in PostSnapshot
  // (AddDifferencedFilesByLastModifyTime, IVssComponentEx2::SetFailure) and in PreRestore
  // (SetRestoreTarget, AddDirectedTarget, SetRestoreMetadata).
  struct ComponentSets {
    std::vector<DifferencedFile> differencedFiles;
    ComponentFailure failure;
    int32_t restoreTarget = 0;
    std::vector<DirectedTarget> directedTargets;
    std::string restoreMetadata;
  };
  std::map<std::string, ComponentSets> componentSets;
  std::vector<WriterFault> faults;
  int identifyChanges = 0;  // Metadata faults fired so far (numbers the changed caption)
  // What the last GatherWriterMetadata published of `metadata`: a copy with its document
  // written (xml). PublishedMetadata hands it out again while `metadata` still describes the
  // same writer, and replaces it the first time it does not.
  std::shared_ptr<const WriterMetadata> published;
  // An express writer a process registered (IVssExpressWriter::Register, the emulated
  // vssapi.dll): not the scenario's, so the state file keeps its metadata for other processes.
  bool express = false;
  // A writer a process subscribed (CVssWriter::Subscribe, the emulated vssapi.dll): its own
  // handlers answer the events (external_writer.h), not the faults above. Not kept in the state file.
  std::shared_ptr<ExternalWriter> external;
};

// Whether two descriptions of a writer publish the same metadata document: every field
// but the document itself (xml) and the packed file lists (the engine never packs).
bool SameDescription(const WriterMetadata& a, const WriterMetadata& b);

// The writer's metadata as GatherWriterMetadata hands it out, with its document: the one
// published before when the description is the same (SameDescription), else a new copy.
// A System Writer's 19,000 files were copied and written as XML at every gathering
// (BENCHMARKS.md: most of the emulated VSS's time per getWriterMetadata). Compared, not
// invalidated: the description is changed in many places (scenarios, patches, Metadata
// faults, the state file, express writers), and a comparison cannot miss one of them.
std::shared_ptr<const WriterMetadata> PublishedMetadata(SimWriter& writer);

struct SimVolume {
  std::string name;      // "C:\\"
  std::string guidName;  // "\\\\?\\Volume{guid}\\"
  std::string label;
  std::string hostPath;  // backing folder; its shadow copies are copies of it
  bool unsupported = false;       // by the scenario
  bool faultUnsupported = false;  // by a fault (cleared with the faults)
  std::vector<Guid> providers;  // empty: the system provider only
  // The LUNs that contribute to the volume (a spanned volume has several; one LUN may hold several
  // volumes). A hardware provider makes a volume's shadow copy only if it supports all of them.
  std::vector<std::string> luns;
  int maxShadows = 512;
  // VSS_SNAPSHOT_COMPATIBILITY bits IsVolumeSnapshotted reports while the volume has shadow copies.
  int32_t snapshotCompatibility = 0;
  int64_t diffAreaMaximum = -1;  // -1: unbounded
  // AddDiffArea's association: the volume (its name) holding this volume's shadow storage. Empty:
  // the volume itself, associated implicitly by its first shadow copy or a set maximum.
  std::string diffAreaOn;
  bool diffAreaAdded = false;  // AddDiffArea made the association (listed without shadow copies)
  int64_t diffAreaUsedPerShadow = 32 * 1024 * 1024;
  // ChangeDiffAreaMaximumSizeEx with bVolatile: the maximum a restart of the machine brings back
  // (the last one set without bVolatile); none while no volatile change is in effect.
  std::optional<int64_t> diffAreaBootMaximum;
  // Size and free space (VSS_DIFF_VOLUME_PROP), in bytes; the free space is before any shadow
  // storage: the space the diff areas on this volume allocate comes off it.
  int64_t totalSpace = 128LL * 1024 * 1024 * 1024;
  int64_t freeSpace = 64LL * 1024 * 1024 * 1024;
  // Shadow copy protection (IVssDifferentialSoftwareSnapshotMgmt3): the level, and the fault that
  // took the volume offline at VSS_PROTECTION_LEVEL_SNAPSHOT.
  int32_t protectionLevel = 0;
  bool offlineForProtection = false;
  int32_t protectionFault = 0;
  int32_t protectionFailureStatus = 0;
  double revertEndsMs = 0;  // steady-clock ms when the revert running on it ends; 0: none started

  bool Unsupported() const { return unsupported || faultUnsupported; }
};

// A share on a file server this machine reaches over SMB ("VSS for SMB File Shares", Windows
// Server 2012 and later): the File Share Shadow Copy provider on this machine asks the server's
// File Server VSS Agent (MS-FSRVP) to shadow-copy the server volume that holds the share.
struct SimShare {
  std::string name;          // "Data" in \\fs1\Data\ (case kept as declared)
  std::string serverVolume;  // the volume on the server that holds it (shown, never resolved here)
  std::string hostPath;      // backing folder; its shadow copies are copies of it
  bool unsupported = false;  // the server volume does not support shadow copies
};

struct SimFileServer {
  std::string name;                    // host name, "fs1"
  std::string fqdn;                    // "fs1.contoso.local"
  std::vector<std::string> addresses;  // IP addresses a UNC path may name it by
  // The File Server VSS Agent Service runs there (MS-FSRVP server); without it the server's shares
  // cannot be shadow-copied.
  bool agent = true;
  std::vector<SimShare> shares;
};

struct SimProvider {
  ProviderProperties properties;
  // A hardware provider's LUNs (IVssHardwareSnapshotProvider::AreLunsSupported answers for these);
  // empty: every LUN of the volumes that list it.
  std::vector<std::string> luns;
  uint32_t failAtCommit = 0;  // HRESULT DoSnapshotSet fails with while this provider commits
  int failRemaining = -1;
};

// A Windows service other than a writer's host, as the Service Control Manager's
// configuration describes it: what it depends on, and whether it runs. The engine's
// restart (service_restart.cpp) stops the running ones that depend on a restarted
// service first and starts them again after, as the SCM requires.
struct SimService {
  std::string name;                    // short name, as `sc` takes it
  std::vector<std::string> dependsOn;  // its DependOnService list, and "+Group" for each DependOnGroup entry
  bool running = true;
  std::string group;  // its load-ordering group (lpLoadOrderGroup), empty if none
};

struct SimShadow {
  SnapshotProperties properties;
  std::string volumeName;   // the SimVolume::name it copies
  std::string contentPath;  // host folder with the frozen copy, when the volume is backed
  bool persistent = false;
  int32_t context = 0;
  uint64_t ownerSession = 0;  // auto-released with this session unless persistent
  unsigned long ownerProcess = 0;  // another process's session owns it (shared state file); 0: this process
};

struct Timing {
  double timeScale = 1.0;  // multiplies every duration below
  double identifyMs = 150;
  double prepareBackupMs = 200;
  double prepareSnapshotMs = 300;
  double freezeMs = 400;
  // The file systems flush the volumes before their writes are held (IOCTL_VOLSNAP_FLUSH_AND_HOLD_WRITES);
  // 0 by default: the default machine's flush is part of commitMs.
  double flushMs = 0;
  double commitMs = 800;
  double thawMs = 150;
  double postSnapshotMs = 150;
  double backupCompleteMs = 250;
  double preRestoreMs = 200;
  double postRestoreMs = 200;
  double statusMs = 20;
  double responseTimeoutMs = 180000;  // a writer that never answers fails after this

  // How long flush and commit may take is not a timing: VSS's flush-and-hold window
  // is the WINDOW rows of method_rules.inc (FlushAndHold in method_rules.h).

  double For(Phase phase) const;
};

}  // namespace sim
}  // namespace vss

#include "session.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <thread>

#include "../core/error.h"
#include "event_log.h"
#include "contexts.h"
#include "file_shares.h"
#include "method_rules.h"
#include "names.h"
#include "shadow_storage.h"
#include "../core/vocabulary.h"
#include "../core/vss_constants.h"

namespace vss {
namespace sim {

namespace {

// A method rule's particulars for a volume offline for shadow copy protection (kVolumesOnline).
std::string OfflineForProtection(const SimVolume& v) {
  if (!v.offlineForProtection) return {};
  const char* fault = TermName(Vocabulary::ProtectionFault, static_cast<uint32_t>(v.protectionFault));
  return v.name + " (fault " + (fault ? fault : std::to_string(v.protectionFault)) + ")";
}

// The engine's fields are the signed LONGs of the VSS structures.
constexpr int32_t kContextAll = ctx::kAll;
// VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED past 64 (AddToSnapshotSet), volumes and shares together.
constexpr size_t kMaxVolumesPerSet = 64;
constexpr int32_t kAttrDifferential = static_cast<int32_t>(attr::kDifferential);
constexpr int32_t kAttrHardwareAssisted = static_cast<int32_t>(attr::kHardwareAssisted);
constexpr int32_t kAttrFileShare = static_cast<int32_t>(attr::kFileShare);
constexpr int32_t kAttrExposedLocally = static_cast<int32_t>(attr::kExposedLocally);
constexpr int32_t kAttrExposedRemotely = static_cast<int32_t>(attr::kExposedRemotely);
constexpr int32_t kProviderTypeHardware = static_cast<int32_t>(TermCode(Vocabulary::ProviderType, "hardware"));

[[noreturn]] void BadState(const char* operation, const std::string& why) { throw VssException(hr::kVssBadState, operation, why); }

double NowMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// The state a writer is left in after handling each event successfully.
int32_t StateAfter(Phase phase, int32_t current) {
  switch (phase) {
    case Phase::Identify: return current == FailedStateFor(Phase::Identify) ? ws::kStable : current;  // answered this time
    case Phase::PrepareBackup: return ws::kStable;
    case Phase::PrepareSnapshot: return ws::kWaitingForFreeze;
    case Phase::Freeze: return ws::kWaitingForThaw;
    case Phase::Thaw: return ws::kWaitingForPostSnapshot;
    case Phase::PostSnapshot: return ws::kWaitingForBackupComplete;
    case Phase::BackupComplete:
    case Phase::PreRestore:
    case Phase::PostRestore: return ws::kStable;
    case Phase::BackupShutdown: return current;
    case Phase::Abort: return ws::kStable;
  }
  return current;
}

bool IsFailedState(int32_t state) { return state >= 6; }

bool SameComponent(const ComponentRef& ref, const Guid& instanceId, const ComponentStatus& c) {
  return ref.instanceId == instanceId && ref.name == c.name && ref.logicalPath == c.logicalPath;
}

}  // namespace

SimSession::SimSession(std::shared_ptr<Machine> machine) : machine_(std::move(machine)), id_(machine_->NewSessionId()) {
  MachineLock lock(*machine_);
  ++machine_->liveSessions;
}

SimSession::~SimSession() {
  MachineLock lock(*machine_);
  // Releasing the requester mid-backup aborts it, as VSS does; its auto-release
  // shadow copies go with it, persistent ones stay.
  if (stage_ == Stage::SetStarted || stage_ == Stage::Prepared || stage_ == Stage::SnapshotsDone || abortPending_) AbortLocked(RequesterAbort());
  ReleaseSetLockLocked();
  if (mode_ == Mode::Backup) ShutdownWritersLocked();
  for (size_t i = machine_->shadows.size(); i-- > 0;)
    if (OwnedHere(machine_->shadows[i]) && !machine_->shadows[i].persistent) DeleteShadowLocked(i);
  --machine_->liveSessions;
}

void SimSession::RequireInitialized(const char* operation) const {
  if (mode_ == Mode::None) BadState(operation, "InitializeForBackup or InitializeForRestore must come first");
}

void SimSession::RequireBackup(const char* operation) const {
  if (mode_ != Mode::Backup) BadState(operation, mode_ == Mode::None ? "InitializeForBackup must come first" : "this session was initialized for restore");
}

void SimSession::RequireMetadata(const char* operation) const {
  RequireInitialized(operation);
  if (!metadataGathered_) BadState(operation, "GatherWriterMetadata must come first");
}

SessionFacts SimSession::Facts() const {
  SessionFacts f;
  f.initialized = mode_ != Mode::None;
  f.backup = mode_ == Mode::Backup;
  f.beforeSnapshotSet = f.initialized && stage_ == Stage::Initialized;
  f.setStarted = stage_ == Stage::SetStarted;
  f.prepared = stage_ == Stage::Prepared;
  f.metadataGathered = metadataGathered_;
  f.contextSet = contextSet_;
  f.contextAll = context_ == kContextAll;
  f.withWriters = WithWriters();
  f.hasVolumes = !pending_.empty();
  f.restore = mode_ == Mode::Restore;
  f.preRestored = stage_ == Stage::PreRestored || stage_ == Stage::PostRestored;
  f.postRestored = stage_ == Stage::PostRestored;
  f.transportableDocument = loadedSet_.has_value();
  f.setHistory = SetHistory();
  return f;
}

std::string SimSession::SetHistory() const {
  if (mode_ != Mode::Backup) return {};
  switch (stage_) {
    case Stage::SnapshotsDone: return "DoSnapshotSet already created this session's set";
    case Stage::Completed: return "BackupComplete already ended this session's backup";
    case Stage::Aborted: return "this session's backup was aborted";
    case Stage::Failed: return "this session's snapshot set failed and VSS aborted it";
    default: return {};
  }
}

bool SimSession::Wait(double ms, AsyncControl& control, const char* operation, double startedMs, const char* phase,
                      const std::vector<Pending>& pending, double quickMs) {
  double scale;
  {
    MachineLock lock(*machine_);
    scale = machine_->timing.timeScale;
    machine_->modelledMs += ms * scale;
  }
  const double began = NowMs();
  const double deadline = began + ms * scale;
  for (;;) {
    if (control.CancelRequested()) return false;
    double now = NowMs();
    Progress progress;
    progress.operation = operation;
    progress.status = hr::kVssAsyncPending;
    progress.elapsedMs = now - startedMs;
    progress.phase = phase;
    // Once the writers that answer at once have, the ones still working hold the phase up.
    if (now - began >= quickMs * scale)
      for (const Pending& p : pending)
        if (p.answersAtMs > now - began) progress.writer += (progress.writer.empty() ? "" : ", ") + p.name;
    control.Report(progress);
    if (now >= deadline) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(std::min(deadline - now, 20.0) * 1000)));
  }
}

std::optional<SimSession::Veto> SimSession::RunPhase(Phase phase, const std::vector<Guid>& writers, AsyncControl& control, const char* operation) {
  const double started = NowMs();
  struct Outcome {
    Guid instanceId;
    std::optional<WriterFault> fault;  // a copy: the machine's list may change while the phase runs
    double delayMs = 0;
    bool timesOut = false;
    // A subscribed writer (external_writer.h): its handler answers instead of the faults.
    std::shared_ptr<ExternalWriter> external;
    WriterEvent event;
    std::optional<WriterMetadata> metadata;  // OnIdentify's document
    std::vector<ComponentStatus> components;  // the components as its handler left them
    Phase failedIn = Phase::Identify;         // whose failed state an error leaves it in: the phase, or Freeze for a freeze timeout found at Thaw
  };
  std::vector<Outcome> outcomes;
  outcomes.reserve(writers.size());
  double waitMs = 0;
  double responseRealMs = 0;  // how long, in real milliseconds, VSS waits for a subscribed writer's handler
  {
    MachineLock lock(*machine_);
    const Timing& timing = machine_->timing;
    const double base = timing.For(phase);
    responseRealMs = timing.responseTimeoutMs * timing.timeScale;
    waitMs = writers.empty() ? 0 : base;
    for (const Guid& id : writers) {
      SimWriter* w = machine_->FindWriterByInstance(id);
      // A writer that failed to identify is asked again (it may answer now); other failures stand until PrepareForBackup.
      if (!w || (IsFailedState(w->state) && !(phase == Phase::Identify && w->state == FailedStateFor(phase)))) continue;
      Outcome outcome;
      outcome.instanceId = id;
      outcome.failedIn = phase;
      if (w->external) {
        outcome.external = w->external;
        outcome.event = WriterEventLocked(phase, *w);
        // Its freeze window, on a real clock: from the moment its Freeze is delivered to now. Past
        // the freeze timeout it gave CVssWriter::Initialize (dwTimeoutFreeze), "the writer's
        // CVssWriter::OnAbort method is automatically called" (that page) instead of OnThaw, and
        // it fails at freeze with VSS_E_WRITERERROR_TIMEOUT, as a scenario writer whose freeze
        // outlasts its freezeTimeoutMs does.
        auto frozen = freezeStartedMs_.find(id.ToString());
        if (phase == Phase::Thaw && frozen != freezeStartedMs_.end() && NowMs() - frozen->second > w->freezeTimeoutMs) {
          outcome.timesOut = true;
          outcome.failedIn = Phase::Freeze;
          outcome.event = WriterEventLocked(Phase::Abort, *w);
        }
        outcomes.push_back(std::move(outcome));
        continue;
      }
      for (WriterFault& f : w->faults) {
        if (f.phase != phase || f.remaining == 0) continue;
        if (f.remaining > 0) --f.remaining;
        outcome.fault = f;
        break;
      }
      if (!outcome.fault && phase == Phase::Identify && w->identifyBroken) {
        // A writer a scenario left failed-at-identify keeps failing Identify as it did.
        WriterFault stuck;
        stuck.phase = phase;
        stuck.error = w->lastError ? w->lastError : hr::kWriterErrorRetryable;
        stuck.applicationError = w->applicationError;
        stuck.message = w->failureMessage;
        outcome.fault = stuck;
      }
      if (outcome.fault && outcome.fault->kind == FaultKind::Slow) outcome.delayMs = outcome.fault->delayMs;
      if (outcome.fault && outcome.fault->kind == FaultKind::Hang) outcome.delayMs = std::numeric_limits<double>::infinity();
      // VSS waits for each writer's answer at most responseTimeoutMs, in every phase;
      // a writer that has not answered by then fails with VSS_E_WRITERERROR_TIMEOUT.
      if (outcome.delayMs > timing.responseTimeoutMs) {
        outcome.timesOut = true;
        outcome.delayMs = timing.responseTimeoutMs;
      }
      // A writer must be thawed within its freeze timeout (CVssWriter::OnFreeze: 60 s by
      // default); flush and commit take at most VSS's flush-and-hold window of it.
      const double frozenMs = base + outcome.delayMs + FlushAndHold(timing.flushMs, timing.commitMs).elapsedMs;
      if (phase == Phase::Freeze && frozenMs > w->freezeTimeoutMs) {
        outcome.timesOut = true;
        outcome.delayMs = std::max(0.0, w->freezeTimeoutMs - base);
      }
      waitMs = std::max(waitMs, base + outcome.delayMs);
      outcomes.push_back(outcome);
    }
  }
  // Subscribed writers' handlers run now, with the machine unlocked: they may call into it.
  // Each is timed on a real clock: a handler that takes longer than VSS waits for a writer
  // (responseTimeoutMs, scaled as the machine's timings are) fails in this phase with
  // VSS_E_WRITERERROR_TIMEOUT, whatever it answers at last; what it set meanwhile is dropped
  // (inferred: VSS has stopped listening). The requester's call returns once VSS stops
  // waiting, while such a handler runs on in its own thread ("Determining Writer Status":
  // "an unresponsive writer currently processing an event"; HandleWithin).
  for (Outcome& outcome : outcomes) {
    if (!outcome.external) continue;
    const double began = NowMs();
    if (phase == Phase::Freeze) freezeStartedMs_[outcome.instanceId.ToString()] = began;
    std::optional<WriterAnswer> late = HandleWithin(outcome.external, outcome.event, responseRealMs);
    if (outcome.timesOut) continue;  // its freeze timeout expired: that was OnAbort
    if (!late || NowMs() - began > responseRealMs) {
      outcome.timesOut = true;
      outcome.failedIn = phase;
      continue;
    }
    WriterAnswer& answer = *late;
    outcome.fault = FaultForAnswer(phase, answer);
    outcome.components = std::move(answer.components);
    if (!outcome.fault) outcome.metadata = std::move(answer.metadata);
  }
  if (phase == Phase::Thaw) freezeStartedMs_.clear();
  std::vector<Pending> pending;
  double quickMs = 0;
  {
    MachineLock lock(*machine_);
    quickMs = writers.empty() ? 0 : machine_->timing.For(phase);
    for (const Outcome& outcome : outcomes) {
      if (outcome.delayMs <= 0) continue;
      const SimWriter* w = machine_->FindWriterByInstance(outcome.instanceId);
      if (w) pending.push_back({w->metadata.name, (quickMs + outcome.delayMs) * machine_->timing.timeScale});
    }
  }
  if (!Wait(waitMs, control, operation, started, PhaseName(phase), pending, quickMs)) {
    MachineLock lock(*machine_);
    AbortLocked(AbortWhen::kCreationFails);
    stage_ = Stage::Failed;
    throw VssException(hr::kVssAsyncCancelled, operation, std::string("cancelled during the writers' ") + PhaseName(phase));
  }
  MachineLock lock(*machine_);
  std::optional<Veto> veto;
  for (const Outcome& outcome : outcomes) {
    SimWriter* w = machine_->FindWriterByInstance(outcome.instanceId);
    if (!w) continue;
    const bool reports = outcome.fault && (outcome.fault->kind == FaultKind::Fail || outcome.fault->kind == FaultKind::Veto);
    const uint32_t error = outcome.timesOut ? hr::kWriterErrorTimeout : reports ? outcome.fault->error : 0;
    // What a subscribed writer set on its components reaches the requester's document, failed or
    // not (a failure message is set by a failing writer).
    for (const ComponentStatus& changed : outcome.components)
      for (SelectedComponent& s : selected_)
        if (s.instanceId == outcome.instanceId && s.status.logicalPath == changed.logicalPath && s.status.name == changed.name)
          WriterSetFields(s.status, changed);
    if (error) {
      w->state = FailedStateFor(outcome.failedIn);
      LogWriterVeto(*machine_, *w, outcome.failedIn, error);
      w->lastError = error;
      w->applicationError = outcome.fault ? outcome.fault->applicationError : 0;
      w->failureMessage = outcome.fault && !outcome.fault->message.empty()
                              ? outcome.fault->message
                              : std::string("The writer failed during ") + PhaseName(outcome.failedIn);
      if (!outcome.timesOut && outcome.fault->kind == FaultKind::Veto && !veto) veto = Veto{error, w->metadata.name};
    } else {
      w->state = StateAfter(phase, w->state);
      if (outcome.metadata && outcome.external == w->external) w->metadata = std::move(*outcome.metadata);
      const std::optional<WriterFault>& f = outcome.fault;
      // A writer that answers yet breaks the contract (check-writer's broken writers).
      if (f && f->kind == FaultKind::State) w->state = f->state;
      if (f && f->kind == FaultKind::NoStamp) unstamped_.insert(outcome.instanceId.ToString());
      if (f && f->kind == FaultKind::Metadata) {
        ++w->identifyChanges;
        const std::string mark = " (identify " + std::to_string(w->identifyChanges) + ")";
        if (!w->metadata.components.empty()) w->metadata.components.front().caption += mark;
        else w->metadata.instanceName += mark;
      }
    }
  }
  return veto;
}

void SimSession::FailSet(uint32_t result, const char* operation, const std::string& why, AbortWhen when) {
  MachineLock lock(*machine_);
  // None of the set's shadow copies stays; whether VSS also sends Abort is the ABORT row's.
  AbortLocked(when);
  for (size_t i = machine_->shadows.size(); i-- > 0;)
    if (OwnedHere(machine_->shadows[i]) && machine_->shadows[i].properties.snapshotSetId == setId_) DeleteShadowLocked(i);
  stage_ = Stage::Failed;
  throw VssException(result, operation, why);
}

void SimSession::StampComponents() {
  // Writers stamp their selected components while handling PostSnapshot, for the next
  // incremental backup; never in BackupComplete (IVssComponent::SetBackupStamp). A writer
  // that failed on the way stamps nothing.
  MachineLock lock(*machine_);
  for (SelectedComponent& s : selected_) {
    const SimWriter* w = machine_->FindWriterByInstance(s.instanceId);
    const bool tookPart = std::find(participants_.begin(), participants_.end(), s.instanceId) != participants_.end();
    // A subscribed writer stamps through IVssComponent::SetBackupStamp itself (RunPhase copies it).
    const bool stamps = !unstamped_.count(s.instanceId.ToString()) && !(w && w->external);
    if (w && tookPart && stamps && !IsFailedState(w->state)) {
      s.status.backupStamp = "stamp-" + setId_.ToString() + "-" + std::to_string(++stampCounter_);
      // A writer records partial files only when the requester said it supports them
      // (SetBackupState's bPartialFileSupport; IVssComponent::AddPartialFile).
      auto partial = w->partialFiles.find(ComponentKey(s.status.logicalPath, s.status.name));
      if (backupState_.partialFileSupport && partial != w->partialFiles.end()) s.status.partialFiles = partial->second;
      auto sets = w->componentSets.find(ComponentKey(s.status.logicalPath, s.status.name));
      if (sets != w->componentSets.end()) s.status.differencedFiles = sets->second.differencedFiles;
    }
    // A component's failure (IVssComponentEx2::SetFailure) goes with the writer's own failure
    // ("In addition to calling this method, use CVssWriterEx2::SetWriterFailureEx"), so a writer
    // failed at PostSnapshot still records it.
    if (w && tookPart && !w->external) {
      auto sets = w->componentSets.find(ComponentKey(s.status.logicalPath, s.status.name));
      if (sets != w->componentSets.end() && sets->second.failure.set) s.status.failure = sets->second.failure;
    }
  }
}

void SimSession::SetRestoreChoices() {
  // What a scenario writer sets on its components in PreRestore (SetRestoreTarget, AddDirectedTarget,
  // SetRestoreMetadata: "only ... implementing CVssWriter::OnPreRestore"); a subscribed writer sets
  // them itself, a failed one nothing.
  MachineLock lock(*machine_);
  for (SelectedComponent& s : selected_) {
    const SimWriter* w = machine_->FindWriterByInstance(s.instanceId);
    if (!w || w->external || !s.status.selectedForRestore || IsFailedState(w->state)) continue;
    auto sets = w->componentSets.find(ComponentKey(s.status.logicalPath, s.status.name));
    if (sets == w->componentSets.end()) continue;
    if (sets->second.restoreTarget) s.status.restoreTarget = sets->second.restoreTarget;
    if (!sets->second.directedTargets.empty()) s.status.directedTargets = sets->second.directedTargets;
    if (!sets->second.restoreMetadata.empty()) s.status.restoreMetadata = sets->second.restoreMetadata;
  }
}

bool SimSession::Selected(const SimWriter& w) const {
  const std::string cls = w.metadata.writerId.ToString();
  if (!enabledClasses_.empty() && !enabledClasses_.count(cls)) return false;
  return !disabledClasses_.count(cls) && !disabledInstances_.count(w.metadata.instanceId.ToString());
}

std::vector<Guid> SimSession::ChooseParticipants() {
  // The writers that identified themselves to this session take part; the selection was
  // fixed when GatherWriterMetadata ran.
  std::vector<Guid> chosen;
  if (!WithWriters()) return chosen;
  for (const Guid& id : identified_)
    if (machine_->FindWriterByInstance(id)) chosen.push_back(id);
  return chosen;
}

void SimSession::ShutdownWritersLocked() {
  // Writers hear OnBackupShutdown at once; the release never waits for them. VSS sends it
  // whenever a requester taking part in a backup is released, and after an abort or an abrupt
  // end it may be the only event a writer gets ("Handling BackupShutdown Events"). A writer
  // this backup left waiting for BackupComplete (AbortBackup after DoSnapshotSet reached none,
  // CVssWriter::OnAbort) learns there that the backup is over: stable again. No page says what
  // state it shows then; a requester that stays alive without BackupComplete leaves writers
  // waiting (LanternOps/breeze#3285: "parked in VSS_WS_WAITING_FOR_BACKUP_COMPLETE until the
  // process exited"), and a dead requester's writers are stable (state_file.cpp). A fault for
  // this event fails it: failed-at-backup-shutdown.
  for (const Guid& id : participants_) {
    SimWriter* w = machine_->FindWriterByInstance(id);
    // A subscribed writer hears it whatever its state; its answer fails it as a fault would.
    if (w && w->external) QueueExternalWriterEvent(machine_, w->external, id, WriterEventLocked(Phase::BackupShutdown, *w));
    if (!w || IsFailedState(w->state)) continue;
    if (w->backupSession == id_ && w->state == ws::kWaitingForBackupComplete) w->state = ws::kStable;
    if (w->backupSession == id_) w->backupSession = 0;
    for (WriterFault& f : w->faults) {
      if (f.phase != Phase::BackupShutdown || f.remaining == 0) continue;
      if (f.remaining > 0) --f.remaining;
      w->state = FailedStateFor(Phase::BackupShutdown);
      w->lastError = f.kind == FaultKind::Fail ? f.error : hr::kWriterErrorTimeout;
      w->applicationError = f.applicationError;
      w->failureMessage = f.message.empty() ? "The writer failed during backup-shutdown" : f.message;
      break;
    }
  }
}

AbortWhen SimSession::RequesterAbort() const {
  // Past a successful DoSnapshotSet every writer taking part has run OnPostSnapshot.
  return stage_ == Stage::SnapshotsDone ? AbortWhen::kRequesterAfterPostSnapshot : AbortWhen::kRequesterBeforePostSnapshot;
}

void SimSession::AbortLocked(AbortWhen when) {
  const AbortRule rule = AbortRuleFor(when);
  freezeStartedMs_.clear();  // no Thaw follows
  abortPending_ = !rule.writersHearAbort && when == AbortWhen::kWriterVetoesPrepareSnapshot;
  for (const Guid& id : participants_) {
    if (!rule.writersHearAbort) break;
    SimWriter* w = machine_->FindWriterByInstance(id);
    // Writers receive Abort: they thaw and stop waiting; a writer that failed keeps its failure.
    if (w && !IsFailedState(w->state)) w->state = ws::kStable;
    if (!w) continue;
    if (w->external) QueueExternalWriterEvent(machine_, w->external, id, WriterEventLocked(Phase::Abort, *w));
    // A writer whose OnAbort leaves it in another state (a 'state' fault at 'abort').
    for (WriterFault& f : w->faults) {
      if (f.phase != Phase::Abort || f.kind != FaultKind::State || f.remaining == 0) continue;
      if (f.remaining > 0) --f.remaining;
      w->state = f.state;
      break;
    }
  }
  ReleaseSetLockLocked();
  if (!rule.deletesShadows) return;
  for (size_t i = machine_->shadows.size(); i-- > 0;) {
    const SimShadow& s = machine_->shadows[i];
    if (OwnedHere(s) && s.properties.snapshotSetId == setId_ && !s.persistent) DeleteShadowLocked(i);
  }
}

void SimSession::ReleaseSetLockLocked() {
  if (holdsSetLock_ && machine_->setCreationOwner == id_) machine_->setCreationOwner = 0;
  holdsSetLock_ = false;
}

void SimSession::DeleteShadowLocked(size_t index) {
  if (!machine_->shadows[index].contentPath.empty()) Machine::RemoveContent(machine_->shadows[index].contentPath);
  machine_->shadows.erase(machine_->shadows.begin() + static_cast<std::ptrdiff_t>(index));
}

void SimSession::MakeRoomLocked(const SimVolume& volume) {
  // VolSnap keeps a volume's shadow storage under its maximum by deleting the
  // oldest shadow copies (VolSnap event 33, KB 312067); the newest always stays.
  if (volume.diffAreaMaximum < 0) return;
  for (;;) {
    std::vector<size_t> onVolume;
    for (size_t i = 0; i < machine_->shadows.size(); ++i)
      if (machine_->shadows[i].volumeName == volume.name) onVolume.push_back(i);
    if (onVolume.size() < 2 || static_cast<int64_t>(onVolume.size()) * volume.diffAreaUsedPerShadow <= volume.diffAreaMaximum) return;
    size_t oldest = onVolume.front();
    for (size_t i : onVolume)
      if (machine_->shadows[i].properties.creationTimestamp < machine_->shadows[oldest].properties.creationTimestamp) oldest = i;
    DeleteShadowLocked(oldest);
    LogOldestDeleted(*machine_, volume.name);
  }
}

bool SimSession::Visible(const SimShadow& shadow) const {
  // Query and DeleteSnapshots see the shadow copies of the session's context only.
  return context_ == kContextAll || BaseContext(shadow.context) == BaseContext(context_);
}

SimSession::SelectedComponent* SimSession::FindSelected(const ComponentRef& component) {
  for (SelectedComponent& s : selected_)
    if (SameComponent(component, s.instanceId, s.status)) return &s;
  return nullptr;
}

// ---------------------------------------------------------------- set-up

void SimSession::InitializeForBackup(const std::optional<std::string>& bcdXml) {
  const char* op = "InitializeForBackup";
  if (mode_ != Mode::None) BadState(op, "the session is already initialized");
  if (bcdXml) {
    BackupComponentsDocument doc = ParseBackupComponentsXml(*bcdXml, op);
    backupState_ = doc.state;
    if (backupState_.backupType == 0) backupState_.backupType = 1;
    for (const WriterComponents& w : doc.writers)
      for (const ComponentStatus& c : w.components) selected_.push_back({w.instanceId, w.writerId, c});
    loadedSet_ = doc.snapshotSet;
  }
  mode_ = Mode::Backup;
  stage_ = Stage::Initialized;
}

void SimSession::InitializeForRestore(const std::string& bcdXml) {
  const char* op = "InitializeForRestore";
  if (mode_ != Mode::None) BadState(op, "the session is already initialized");
  BackupComponentsDocument doc = ParseBackupComponentsXml(bcdXml, op);
  backupState_ = doc.state;
  setId_ = doc.snapshotSetId;
  for (const WriterComponents& w : doc.writers)
    for (const ComponentStatus& c : w.components) selected_.push_back({w.instanceId, w.writerId, c});
  mode_ = Mode::Restore;
  stage_ = Stage::Initialized;
}

void SimSession::SetContext(int32_t context) {
  const char* op = "SetContext";
  EnforceRules(op, Facts());
  if (!ValidContext(context)) throw VssException(hr::kInvalidArg, op, "not a VSS_SNAPSHOT_CONTEXT value");
  context_ = context;
  contextSet_ = true;
}

void SimSession::SetBackupState(const BackupState& state) {
  const char* op = "SetBackupState";
  EnforceRules(op, Facts());
  if (state.backupType < 1 || state.backupType > 6) throw VssException(hr::kInvalidArg, op, "backupType is not a VSS_BACKUP_TYPE");
  backupState_ = state;
}

// ---------------------------------------------------------------- writers

void SimSession::GatherWriterMetadata(AsyncControl& control) {
  const char* op = "GatherWriterMetadata";
  EnforceRules(op, Facts());
  if (stage_ == Stage::Aborted || stage_ == Stage::Completed) BadState(op, "the backup has ended");
  if (stage_ != Stage::Initialized && stage_ != Stage::SetStarted) BadState(op, "writer metadata is gathered before the snapshot set is prepared");
  // Writers disabled before this call hear no event of this session, Identify included
  // (DisableWriterClasses: "prevents a specific class of writers from receiving any events").
  std::vector<Guid> asked;
  {
    MachineLock lock(*machine_);
    excluded_.clear();
    for (const SimWriter& w : machine_->writers) {
      if (Selected(w)) asked.push_back(w.metadata.instanceId);
      else excluded_.insert(w.metadata.instanceId.ToString());
    }
  }
  // Once begun, the gathering counts: a cancelled one is not repeated on this object either.
  metadataGathered_ = true;
  RunPhase(Phase::Identify, asked, control, op);
  MachineLock lock(*machine_);
  metadata_.clear();
  identified_.clear();
  for (SimWriter& w : machine_->writers) {
    if (excluded_.count(w.metadata.instanceId.ToString())) continue;
    // A writer that failed to identify itself gives no metadata and takes no part.
    if (w.state == FailedStateFor(Phase::Identify)) continue;
    metadata_.push_back(PublishedMetadata(w));
    identified_.push_back(w.metadata.instanceId);
  }
  metadataAvailable_ = true;
}

WriterMetadataList SimSession::GetWriterMetadata() {
  const char* op = "GetWriterMetadata";
  RequireMetadata(op);
  if (!metadataAvailable_) BadState(op, "FreeWriterMetadata released the metadata; gather it again from a new session");
  return metadata_;
}

void SimSession::FreeWriterMetadata() {
  RequireMetadata("FreeWriterMetadata");
  metadataAvailable_ = false;
}

void SimSession::GatherWriterStatus(AsyncControl& control) {
  const char* op = "GatherWriterStatus";
  RequireMetadata(op);
  double ms;
  {
    MachineLock lock(*machine_);
    ms = machine_->timing.statusMs;
  }
  if (!Wait(ms, control, op, NowMs())) throw VssException(hr::kVssAsyncCancelled, op, "cancelled");
  MachineLock lock(*machine_);
  status_.clear();
  for (const SimWriter& w : machine_->writers) {
    if (excluded_.count(w.metadata.instanceId.ToString())) continue;  // heard no event of this session
    WriterStatus s;
    s.instanceId = w.metadata.instanceId;
    s.writerId = w.metadata.writerId;
    s.name = w.metadata.name;
    s.instanceName = w.metadata.instanceName;
    s.state = w.state;
    s.lastError = w.lastError;
    s.applicationError = w.applicationError;
    s.failureMessage = w.failureMessage;
    s.hasExtendedStatus = true;
    status_.push_back(std::move(s));
  }
  statusAvailable_ = true;
}

std::vector<WriterStatus> SimSession::GetWriterStatus() {
  const char* op = "GetWriterStatus";
  RequireMetadata(op);
  if (!statusAvailable_) BadState(op, "GatherWriterStatus must come first");
  return status_;
}

void SimSession::FreeWriterStatus() {
  RequireMetadata("FreeWriterStatus");
  statusAvailable_ = false;
}

void SimSession::EnableWriterClasses(const std::vector<Guid>& writerIds) {
  EnforceRules("EnableWriterClasses", Facts());
  if (metadataGathered_) return;  // accepted, and no effect after GatherWriterMetadata (its page)
  for (const Guid& id : writerIds) enabledClasses_.insert(id.ToString());
}

void SimSession::DisableWriterClasses(const std::vector<Guid>& writerIds) {
  EnforceRules("DisableWriterClasses", Facts());
  if (metadataGathered_) return;  // accepted, and no effect after GatherWriterMetadata (its page)
  for (const Guid& id : writerIds) disabledClasses_.insert(id.ToString());
}

void SimSession::DisableWriterInstances(const std::vector<Guid>& instanceIds) {
  EnforceRules("DisableWriterInstances", Facts());
  if (metadataGathered_) return;  // accepted, and no effect after GatherWriterMetadata (its page)
  for (const Guid& id : instanceIds) disabledInstances_.insert(id.ToString());
}

void SimSession::AddComponent(const ComponentRef& component) {
  const char* op = "AddComponent";
  RequireBackup(op);
  RequireMetadata(op);
  if (stage_ != Stage::Initialized && stage_ != Stage::SetStarted) BadState(op, "components are added before PrepareForBackup");
  const WriterMetadata* writer = nullptr;
  for (const auto& m : metadata_)
    if (m->instanceId == component.instanceId && m->writerId == component.writerId) writer = m.get();
  if (!writer) throw VssException(hr::kVssObjectNotFound, op, "no writer instance " + component.instanceId.ToString());
  const Component* found = nullptr;
  for (const Component& c : writer->components)
    if (c.name == component.name && c.logicalPath == component.logicalPath && c.type == component.componentType) found = &c;
  if (!found) throw VssException(hr::kVssObjectNotFound, op, writer->name + " has no component '" + component.name + "'");
  if (FindSelected(component)) throw VssException(hr::kVssObjectAlreadyExists, op, "component '" + component.name + "' was already added");
  ComponentStatus status;
  status.componentType = found->type;
  status.logicalPath = found->logicalPath;
  status.name = found->name;
  selected_.push_back({component.instanceId, component.writerId, status});
}

void SimSession::SetBackupOptions(const ComponentRef& component, const std::string& options) {
  const char* op = "SetBackupOptions";
  RequireBackup(op);
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' was not added");
  s->status.backupOptions = options;
}

void SimSession::SetPreviousBackupStamp(const ComponentRef& component, const std::string& stamp) {
  const char* op = "SetPreviousBackupStamp";
  RequireBackup(op);
  if (stage_ != Stage::Initialized && stage_ != Stage::SetStarted) BadState(op, "the previous stamp is set before PrepareForBackup");
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' was not added");
  s->status.previousBackupStamp = stamp;
}

std::vector<WriterComponents> SimSession::GetWriterComponents() {
  const char* op = "GetWriterComponents";
  RequireInitialized(op);
  // The document lists what AddComponent stored so far (or what the document that
  // initialized the session held); Microsoft documents no later starting point.
  return GroupedComponents();
}

std::vector<WriterComponents> SimSession::GroupedComponents() const {
  std::vector<WriterComponents> result;
  for (const SelectedComponent& s : selected_) {
    auto it = std::find_if(result.begin(), result.end(), [&](const WriterComponents& w) { return w.instanceId == s.instanceId; });
    if (it == result.end()) {
      result.push_back(WriterComponents{s.instanceId, s.writerId, {}});
      it = result.end() - 1;
    }
    it->components.push_back(s.status);
  }
  return result;
}

// ---------------------------------------------------------------- the snapshot set

Guid SimSession::StartSnapshotSet() {
  const char* op = "StartSnapshotSet";
  EnforceRules(op, Facts());
  MachineLock lock(*machine_);
  // One snapshot set is created at a time machine-wide.
  if (machine_->externalSetInProgress) {
    if (machine_->externalSetInProgressRemaining > 0 && --machine_->externalSetInProgressRemaining == 0) machine_->externalSetInProgress = false;
    throw VssException(hr::kVssSnapshotSetInProgress, op, "another requester is creating a snapshot set");
  }
  if (machine_->setHeldElsewhere || (machine_->setCreationOwner != 0 && machine_->setCreationOwner != id_))
    throw VssException(hr::kVssSnapshotSetInProgress, op, "another requester is creating a snapshot set");
  machine_->setCreationOwner = id_;
  holdsSetLock_ = true;
  setId_ = machine_->NewGuid();
  stage_ = Stage::SetStarted;
  return setId_;
}

bool SimSession::IsVolumeSupported(const std::string& volume, const Guid& providerId) {
  const char* op = "IsVolumeSupported";
  RequireInitialized(op);
  MachineLock lock(*machine_);
  if (IsUncPath(volume)) return ShareSupportedLocked(volume, providerId, op);
  SimVolume* v = machine_->FindVolume(volume);
  if (!v) throw VssException(hr::kVssObjectNotFound, op, "no volume " + volume);
  if (!providerId.IsNull() && !machine_->FindProvider(providerId))
    throw VssException(hr::kVssProviderNotRegistered, op, "provider " + providerId.ToString() + " is not registered");
  if (v->Unsupported()) return false;
  if (providerId.IsNull()) return true;
  if (v->providers.empty()) return providerId == kSystemProviderId;
  return std::find(v->providers.begin(), v->providers.end(), providerId) != v->providers.end();
}

Guid SimSession::AddToSnapshotSet(const std::string& volume, const Guid& providerId) {
  const char* op = "AddToSnapshotSet";
  EnforceRules(op, Facts());
  MachineLock lock(*machine_);
  if (IsUncPath(volume)) return AddShareLocked(volume, providerId);
  SimVolume* v = machine_->FindVolume(volume);
  if (!v) throw VssException(hr::kVssObjectNotFound, op, "no volume " + volume + " on this machine");
  if (!providerId.IsNull() && !machine_->FindProvider(providerId))
    throw VssException(hr::kVssProviderNotRegistered, op, "provider " + providerId.ToString() + " is not registered");
  if (v->Unsupported()) throw VssException(hr::kVssVolumeNotSupported, op, v->name + " does not support shadow copies");
  SessionFacts facts = Facts();
  facts.offlineVolume = OfflineForProtection(*v);
  if (!facts.offlineVolume.empty()) {
    // Protection is the system provider's (its shadow storage failed); it refuses the volume and logs why.
    try {
      EnforceRules(op, facts);
    } catch (const VssException& e) {
      LogProviderRefusedVolume(*machine_, providerId.IsNull() ? kSystemProviderId : providerId, setId_, *v, e.hresult());
      throw;
    }
  }
  const Guid system = kSystemProviderId;
  const std::vector<Guid> able = v->providers.empty() ? std::vector<Guid>{system} : v->providers;
  // A provider refuses a volume when it cannot make the shadow copy the context asks
  // for ("Required behaviors for shadow copy providers"): the system provider makes no
  // transportable or plex copies, a hardware provider no client-accessible ones.
  auto honours = [&](const Guid& id) {
    const SimProvider* provider = machine_->FindProvider(id);
    return provider && UnsupportedAttributes(provider->properties.type, context_) == 0;
  };
  // "The Shadow Copy Creation Process": VSS asks the hardware provider about every LUN that contributes
  // to the volume (AreLunsSupported), "all or nothing": one unsupported LUN and the provider cannot copy it.
  auto allLuns = [&](const Guid& id) {
    const SimProvider* provider = machine_->FindProvider(id);
    if (!provider || provider->properties.type != kProviderTypeHardware || provider->luns.empty()) return true;
    return std::all_of(v->luns.begin(), v->luns.end(), [&](const std::string& lun) {
      return std::find(provider->luns.begin(), provider->luns.end(), lun) != provider->luns.end();
    });
  };
  Guid chosen = providerId;
  if (chosen.IsNull()) {
    auto it = std::find_if(able.begin(), able.end(), [&](const Guid& id) { return honours(id) && allLuns(id); });
    // With no provider named, VSS answers VSS_E_VOLUME_NOT_SUPPORTED when none can (the DIFFERENTIAL attribute's page).
    if (it == able.end()) throw VssException(hr::kVssVolumeNotSupported, op, "no provider of " + v->name + " can make a shadow copy with these context attributes");
    chosen = *it;
  }
  if (std::find(able.begin(), able.end(), chosen) == able.end())
    throw VssException(hr::kVssVolumeNotSupportedByProvider, op, "provider " + chosen.ToString() + " does not support " + v->name);
  if (!honours(chosen))
    throw VssException(hr::kVssVolumeNotSupportedByProvider, op, "provider " + chosen.ToString() + " cannot make a shadow copy with these context attributes");
  if (!allLuns(chosen))
    throw VssException(hr::kVssVolumeNotSupportedByProvider, op, "provider " + chosen.ToString() + " does not support every LUN of " + v->name);
  for (const PendingVolume& p : pending_)
    if (p.volumeName == v->name) throw VssException(hr::kVssObjectAlreadyExists, op, v->name + " is already in the snapshot set");
  if (pending_.size() >= kMaxVolumesPerSet) throw VssException(hr::kVssMaxVolumesReached, op, "a snapshot set holds at most 64 volumes");
  int existing = 0;
  for (const SimShadow& s : machine_->shadows) existing += s.volumeName == v->name ? 1 : 0;
  if (existing >= v->maxShadows)
    throw VssException(hr::kVssMaxSnapshotsReached, op, v->name + " has " + std::to_string(existing) + " shadow " + (existing == 1 ? "copy" : "copies") + ", its maximum");
  PendingVolume p;
  p.snapshotId = machine_->NewGuid();
  p.volumeName = v->name;
  p.providerId = chosen;
  pending_.push_back(p);
  return p.snapshotId;
}

// ---------------------------------------------------------------- remote file shares

// VSS for SMB File Shares: the File Share Shadow Copy provider relays the set to the File Server
// VSS Agent on the server (MS-FSRVP), which shadow-copies the server volume holding the share.
// Both AddToSnapshotSet and IsVolumeSupported take "a UNC path that specifies a remote file share".
bool SimSession::ShareSupportedLocked(const std::string& path, const Guid& providerId, const char* op) {
  std::optional<ShareLocation> at = LocateShare(*machine_, path);
  // A folder inside a share is not a share: "does not correspond to an existing volume or remote file share".
  if (!at || !at->server || !at->share || !at->rest.empty())
    throw VssException(hr::kVssObjectNotFound, op, path + " is not a share of a file server this machine reaches");
  if (!providerId.IsNull() && !machine_->FindProvider(providerId))
    throw VssException(hr::kVssProviderNotRegistered, op, "provider " + providerId.ToString() + " is not registered");
  const SimProvider* provider = FileShareProvider(*machine_);
  // Only the file-share provider copies shares, only when the server runs the agent and its
  // volume supports shadow copies, and only in the contexts MS-FSRVP carries (2.2.2.2
  // CONTEXT_VALUES: backup, file-share backup, NAS and application rollback; contexts.cpp).
  const bool able = provider && at->server->agent && !at->share->unsupported && UnsupportedAttributes(provider->properties.type, context_ == kContextAll ? 0 : context_) == 0;
  return able && (providerId.IsNull() || providerId == provider->properties.providerId);
}

Guid SimSession::AddShareLocked(const std::string& path, const Guid& providerId) {
  const char* op = "AddToSnapshotSet";
  std::optional<ShareLocation> at = LocateShare(*machine_, path);
  // AddToSnapshotSet's remarks: "UNC share names with IP addresses must be normalized by calling
  // IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths" first. The page names no result for one
  // that was not; E_INVALIDARG ("One of the parameter values is not valid") is the model's.
  if (at && at->form == ServerForm::Address)
    throw VssException(hr::kInvalidArg, op, "the server of " + path + " is an IP address: normalize the path with GetRootAndLogicalPrefixPaths first");
  if (!ShareSupportedLocked(path, providerId, op)) {
    const SimProvider* provider = FileShareProvider(*machine_);
    const std::string why = !provider ? "no file-share shadow copy provider is registered on this machine"
                            : !at->server->agent ? at->server->name + " does not run the File Server VSS Agent Service"
                            : at->share->unsupported ? "the server volume of " + path + " does not support shadow copies"
                            : "the file-share provider cannot make a shadow copy in this context";
    // With no provider named, "no VSS provider indicates that it supports the specified volume or
    // remote file share"; with one named, it does not support it (AddToSnapshotSet).
    throw VssException(providerId.IsNull() ? hr::kVssVolumeNotSupported : hr::kVssVolumeNotSupportedByProvider, op, why);
  }
  PendingVolume p;
  p.share = true;
  p.fqdnForm = at->form == ServerForm::Fqdn;
  p.volumeName = SharePhysicalPath(*at);
  p.shareRoot = ShareRoot(*at, p.fqdnForm);
  p.serverName = at->server->name;
  p.shareName = at->share->name;
  p.shareHostPath = at->share->hostPath;
  p.providerId = FileShareProvider(*machine_)->properties.providerId;
  for (const PendingVolume& q : pending_) {
    if (q.volumeName == p.volumeName) throw VssException(hr::kVssObjectAlreadyExists, op, p.shareRoot + " is already in the snapshot set");
    // GetRootAndLogicalPrefixPaths: "Fully qualified domain name format and host name format cannot
    // be mixed in the same shadow copy set." No page gives the result; E_INVALIDARG is the model's.
    if (q.share && q.fqdnForm != p.fqdnForm)
      throw VssException(hr::kInvalidArg, op, p.shareRoot + " names its server in " + (p.fqdnForm ? "FQDN" : "host name") + " form and " + q.shareRoot + " in the other: one set uses one form");
  }
  if (pending_.size() >= kMaxVolumesPerSet) throw VssException(hr::kVssMaxVolumesReached, op, "a snapshot set holds at most 64 volumes or remote file shares");
  p.snapshotId = machine_->NewGuid();
  pending_.push_back(p);
  return p.snapshotId;
}

// Its page lists only S_OK and E_OUTOFMEMORY and no precondition, so it is answered in any state:
// VShadow (util.h, GetUniqueVolumeNameForPath) calls it for a UNC path on a new IVssBackupComponents
// that was never initialized, and passes the root it gets to AddToSnapshotSet.
// For a path the machine cannot resolve (no volume holds it, no reachable server or share) it is
// silent; the model answers VSS_E_OBJECT_NOT_FOUND, AddToSnapshotSet's answer for such a name.
RootAndLogicalPrefix SimSession::GetRootAndLogicalPrefixPaths(const std::string& filePath, bool normalizeFqdn) {
  const char* op = "GetRootAndLogicalPrefixPaths";
  if (filePath.empty()) throw VssException(hr::kInvalidArg, op, "no path");
  MachineLock lock(*machine_);
  RootAndLogicalPrefix out;
  if (IsUncPath(filePath)) {
    std::optional<ShareLocation> at = LocateShare(*machine_, filePath);
    if (!at || !at->server || !at->share) throw VssException(hr::kVssObjectNotFound, op, filePath + " is not on a share of a file server this machine reaches");
    // "the root and logical prefix paths map to the root path of the file share and the fully
    // evaluated physical share path"; the server part of the root in host name or FQDN form.
    out.rootPath = ShareRoot(*at, normalizeFqdn);
    out.logicalPrefix = SharePhysicalPath(*at);
    return out;
  }
  // A local path: "the root and the logical prefix paths map to the results of GetVolumePathName and
  // GetVolumeNameForVolumeMountPoint": the deepest mount point holding it, and that volume's GUID name.
  const std::string lower = Lower(WithTrailingBackslash(filePath));
  const SimVolume* best = nullptr;
  size_t bestLength = 0;
  for (const SimVolume& v : machine_->volumes) {
    for (const std::string& name : {v.name, v.guidName}) {
      const std::string prefix = Lower(name);
      if (lower.compare(0, prefix.size(), prefix) == 0 && prefix.size() > bestLength) {
        best = &v;
        bestLength = prefix.size();
        out.rootPath = name;
      }
    }
  }
  if (!best) throw VssException(hr::kVssObjectNotFound, op, "no volume of this machine holds " + filePath);
  out.logicalPrefix = best->guidName;
  return out;
}

void SimSession::PrepareForBackup(AsyncControl& control) {
  const char* op = "PrepareForBackup";
  EnforceRules(op, Facts());
  {
    MachineLock lock(*machine_);
    participants_ = ChooseParticipants();
    unstamped_.clear();
    // A new backup sequence starts each taking writer afresh.
    for (const Guid& id : participants_) {
      SimWriter* w = machine_->FindWriterByInstance(id);
      if (!w) continue;
      w->state = ws::kStable;
      w->lastError = 0;
      w->applicationError = 0;
      w->failureMessage.clear();
      w->backupSession = id_;
    }
  }
  RunPhase(Phase::PrepareBackup, participants_, control, op);
  stage_ = Stage::Prepared;
}

void SimSession::DoSnapshotSet(AsyncControl& control) {
  const char* op = "DoSnapshotSet";
  EnforceRules(op, Facts());
  // A writer's veto in PrepareForSnapshot, Freeze or Thaw fails the set with the writer's
  // error (CVssWriter::OnPrepareSnapshot, OnFreeze, OnThaw; "Aborting VSS Operations";
  // DoSnapshotSet then returns it, as in KB 826936's 800423f4 from the shadow copy creation).
  // Whether VSS then sends Abort is the ABORT rows': not for PrepareForSnapshot, for Freeze and Thaw.
  auto vetoed = [&](const std::optional<Veto>& veto, Phase phase) {
    const AbortWhen when = phase == Phase::PrepareSnapshot ? AbortWhen::kWriterVetoesPrepareSnapshot : AbortWhen::kWriterFailsFreezeOrThaw;
    if (veto) FailSet(veto->error, op, veto->writer + " vetoed the shadow copy during " + PhaseName(phase), when);
  };
  vetoed(RunPhase(Phase::PrepareSnapshot, participants_, control, op), Phase::PrepareSnapshot);
  PrepareVolumes(op);
  vetoed(RunPhase(Phase::Freeze, participants_, control, op), Phase::Freeze);

  // The file systems flush and hold the volumes' writes, and the providers commit while
  // the writers are frozen; VSS gives both one window (the WINDOW rows of method_rules.inc).
  WindowVerdict window;
  {
    MachineLock lock(*machine_);
    window = FlushAndHold(machine_->timing.flushMs, machine_->timing.commitMs);
  }
  if (!Wait(window.elapsedMs, control, op, NowMs(), "commit")) {
    MachineLock lock(*machine_);
    AbortLocked(AbortWhen::kCreationFails);
    stage_ = Stage::Failed;
    throw VssException(hr::kVssAsyncCancelled, op, "cancelled while the volumes were flushed and the provider committed");
  }
  if (window.result) {
    MachineLock lock(*machine_);
    for (size_t i = 0; i < pending_.size(); ++i)
      if (const SimVolume* v = machine_->FindVolume(pending_[i].volumeName)) LogFlushAndHoldTimeout(*machine_, window.result, *v, i);
  }
  // A flush that never ended reached no provider: CommitSnapshots was not called.
  if (window.result == hr::kVssFlushWritesTimeout) FailSet(window.result, op, window.why, AbortWhen::kCreationFails);
  uint32_t providerFailure = 0;
  {
    MachineLock lock(*machine_);
    for (const PendingVolume& p : pending_) {
      SimProvider* provider = machine_->FindProvider(p.providerId);
      if (provider && provider->failAtCommit && provider->failRemaining != 0) {
        if (provider->failRemaining > 0) --provider->failRemaining;
        providerFailure = provider->failAtCommit;
        break;
      }
    }
  }
  if (window.result) FailSet(window.result, op, window.why, AbortWhen::kCreationFails);
  if (providerFailure) {
    MachineLock lock(*machine_);
    LogProviderFailure(*machine_, pending_.front().providerId, setId_, providerFailure);
    AbortLocked(AbortWhen::kCreationFails);
    stage_ = Stage::Failed;
    throw VssException(providerFailure, op, "the provider failed to commit the shadow copies");
  }
  {
    MachineLock lock(*machine_);
    const int64_t now = NowFileTime();
    if (Transportable()) transported_ = SnapshotSetDescription{setId_, context_, {}};
    for (const PendingVolume& p : pending_) {
      if (p.share) {
        CommitShareLocked(p, now);
        continue;
      }
      SimVolume* v = machine_->FindVolume(p.volumeName);
      if (transported_) {
        // A transportable copy is made on the array's LUNs but not surfaced here: VSS does not
        // list it ("the (transportable) shadow copy is not in the system yet", diskshadow's import
        // page; VShadow does not query such a set). The saved document describes it for ImportSnapshots.
        SnapshotProperties props;
        props.snapshotId = p.snapshotId;
        props.snapshotSetId = setId_;
        props.snapshotsCount = static_cast<int32_t>(pending_.size());
        props.originalVolumeName = v ? v->guidName : p.volumeName;
        props.originatingMachine = machine_->machineName;
        props.serviceMachine = machine_->machineName;
        props.providerId = p.providerId;
        props.snapshotAttributes = context_ | kAttrHardwareAssisted;  // only hardware providers take TRANSPORTABLE (contexts.cpp)
        props.creationTimestamp = now;
        props.status = kSnapshotCreated;
        transported_->snapshots.push_back(props);
        continue;
      }
      SimShadow shadow;
      shadow.volumeName = p.volumeName;
      shadow.persistent = Persistent();
      shadow.context = context_;
      shadow.ownerSession = id_;
      int number = machine_->nextDeviceNumber++;
      if (v && !v->hostPath.empty()) {
        try {
          shadow.contentPath = machine_->FreezeContent(*v, number);
        } catch (...) {
          AbortLocked(AbortWhen::kCreationFails);
          stage_ = Stage::Failed;
          throw;
        }
      }
      SnapshotProperties& props = shadow.properties;
      props.snapshotId = p.snapshotId;
      props.snapshotSetId = setId_;
      props.snapshotsCount = static_cast<int32_t>(pending_.size());
      props.snapshotDeviceObject = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(number);
      props.originalVolumeName = v ? v->guidName : p.volumeName;
      props.originatingMachine = machine_->machineName;
      props.serviceMachine = machine_->machineName;
      props.providerId = p.providerId;
      const SimProvider* provider = machine_->FindProvider(p.providerId);
      const bool hardware = provider && provider->properties.type == kProviderTypeHardware;
      props.snapshotAttributes = context_ | (hardware ? kAttrHardwareAssisted : p.providerId == kSystemProviderId ? kAttrDifferential : 0);
      props.creationTimestamp = now;
      props.status = kSnapshotCreated;
      machine_->shadows.push_back(shadow);
      created_.push_back(p.snapshotId);
      if (v) MakeRoomLocked(*v);
    }
  }
  vetoed(RunPhase(Phase::Thaw, participants_, control, op), Phase::Thaw);
  RunPhase(Phase::PostSnapshot, participants_, control, op);
  StampComponents();
  MachineLock lock(*machine_);
  ReleaseSetLockLocked();
  stage_ = Stage::SnapshotsDone;
}

void SimSession::PrepareVolumes(const char* op) {
  // The providers prepare the set's volumes (EndPrepareSnapshots) once the writers have prepared,
  // before the freeze; a volume they cannot copy now fails the set, and as a provider failure
  // after PrepareForSnapshot VSS aborts it (the ABORT row kCreationFails). The provider logs why (VSS 12293).
  SessionFacts facts = Facts();
  Guid provider = pending_.empty() ? kSystemProviderId : pending_.front().providerId;
  {
    MachineLock lock(*machine_);
    std::vector<const SimVolume*> differential;  // the volumes the system provider copies into shadow storage
    for (const PendingVolume& p : pending_) {
      const SimVolume* v = machine_->FindVolume(p.volumeName);
      if (!v) continue;
      if (facts.offlineVolume.empty() && !(facts.offlineVolume = OfflineForProtection(*v)).empty()) provider = p.providerId;
      if (p.providerId == kSystemProviderId && !Transportable()) differential.push_back(v);
    }
    if (facts.offlineVolume.empty()) facts.storageShortfall = ShadowStorageShortfall(*machine_, differential);
    if (!facts.storageShortfall.empty()) provider = kSystemProviderId;
  }
  try {
    EnforceRules(op, facts);
  } catch (const VssException& e) {
    {
      MachineLock lock(*machine_);
      LogProviderFailure(*machine_, provider, setId_, e.hresult());
    }
    FailSet(e.hresult(), op, e.detail(), AbortWhen::kCreationFails);
  }
}

// The file server's agent shadow-copies the share's volume and exposes the copy as a share of its own,
// "\\hostname\sharename@{ShadowCopy.ShadowCopyId}" (MS-FSRVP 3.1.4.6 ExposeShadowCopySet); the
// provider reports that UNC path as the copy's access path (IVssFileShareSnapshotProvider::
// GetSnapshotProperties: "UNC path for file share snapshots"). The original "volume" is the share as
// added; the originating machine the server (VSS_SNAPSHOT_PROP), the service machine this one.
void SimSession::CommitShareLocked(const PendingVolume& p, int64_t now) {
  SimShadow shadow;
  shadow.volumeName = p.volumeName;
  shadow.persistent = Persistent();
  shadow.context = context_;
  shadow.ownerSession = id_;
  if (!p.shareHostPath.empty()) {
    SimVolume backing;
    backing.name = p.shareRoot;
    backing.hostPath = p.shareHostPath;
    try {
      shadow.contentPath = machine_->FreezeContent(backing, machine_->nextDeviceNumber++);
    } catch (...) {
      AbortLocked(AbortWhen::kCreationFails);
      stage_ = Stage::Failed;
      throw;
    }
  }
  // The server's own id for its shadow copy names the exposed share (MS-FSRVP keeps the client's
  // and the server's ids apart: ServerShadowCopyId). The server part is the server's host name
  // whatever form the share was added in: Microsoft's "VSS for SMB File Shares" deployment page shows
  // diskshadow's `Add Volume \\smbsofs\vm\vm1` giving the device `\\FSF-260403-09\VM@{...}` and
  // "Originating machine: FSF-260403-09" (the server's name), "Service machine:" the requester's FQDN.
  const std::string root = "\\\\" + p.serverName + "\\" + p.shareName;
  SnapshotProperties& props = shadow.properties;
  props.snapshotId = p.snapshotId;
  props.snapshotSetId = setId_;
  props.snapshotsCount = static_cast<int32_t>(pending_.size());
  props.snapshotDeviceObject = root + "@{" + machine_->NewGuid().ToString() + "}";
  props.originalVolumeName = p.shareRoot;
  props.originatingMachine = p.serverName;
  props.serviceMachine = machine_->machineName;
  props.providerId = p.providerId;
  // A share's copy says so: "Attributes: No_Auto_Release Persistent FileShare" in diskshadow's output on
  // the "VSS for SMB File Shares" page (VSS_VOLSNAP_ATTR_FILE_SHARE).
  props.snapshotAttributes = context_ | kAttrFileShare;
  props.creationTimestamp = now;
  props.status = kSnapshotCreated;
  machine_->shadows.push_back(shadow);
  created_.push_back(p.snapshotId);
}

SnapshotProperties SimSession::GetSnapshotProperties(const Guid& snapshotId) {
  const char* op = "GetSnapshotProperties";
  RequireInitialized(op);
  MachineLock lock(*machine_);
  for (const SimShadow& s : machine_->shadows)
    if (s.properties.snapshotId == snapshotId) return s.properties;
  throw VssException(hr::kVssObjectNotFound, op, "no shadow copy " + snapshotId.ToString());
}

void SimSession::SetBackupSucceeded(const ComponentRef& component, bool succeeded) {
  const char* op = "SetBackupSucceeded";
  RequireBackup(op);
  if (stage_ != Stage::SnapshotsDone) BadState(op, "SetBackupSucceeded comes after DoSnapshotSet and before BackupComplete");
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' was not added");
  s->status.backupSucceeded = succeeded;
}

void SimSession::BackupComplete(AsyncControl& control) {
  const char* op = "BackupComplete";
  RequireBackup(op);
  if (stage_ != Stage::SnapshotsDone) {
    // Said as it is: called twice, after an abort, or before the set exists.
    const std::string history = SetHistory();
    BadState(op, history.empty() ? std::string("BackupComplete comes after DoSnapshotSet") : "the backup is over: " + history);
  }
  RunPhase(Phase::BackupComplete, participants_, control, op);
  stage_ = Stage::Completed;
}

void SimSession::AbortBackup() {
  const char* op = "AbortBackup";
  // VSS_E_BAD_STATE only before initialization; with no backup under way (not yet
  // started, already ended, a failed or cancelled DoSnapshotSet that VSS aborted
  // itself, or a restore) the call is ignored, as documented. After a PrepareForSnapshot
  // veto VSS sent no Abort, so this one reaches the writers that prepared.
  RequireInitialized(op);
  if (mode_ != Mode::Backup) return;
  const bool pending = abortPending_;
  if (stage_ == Stage::Failed) stage_ = Stage::Aborted;
  if (stage_ != Stage::SetStarted && stage_ != Stage::Prepared && stage_ != Stage::SnapshotsDone && !pending) return;
  MachineLock lock(*machine_);
  AbortLocked(RequesterAbort());
  stage_ = Stage::Aborted;
}

std::string SimSession::SaveAsXml() {
  RequireInitialized("SaveAsXML");
  BackupComponentsDocument doc;
  doc.state = backupState_;
  doc.snapshotSetId = setId_;
  doc.restoreType = restoreType_;
  doc.writers = GroupedComponents();
  doc.snapshotSet = transported_ ? transported_ : loadedSet_;
  return BackupComponentsXml(doc);
}

void SimSession::ImportSnapshots(AsyncControl& control) {
  const char* op = "ImportSnapshots";
  EnforceRules(op, Facts());
  const SnapshotSetDescription set = *loadedSet_;
  {
    MachineLock lock(*machine_);
    for (const SnapshotProperties& p : set.snapshots) {
      // The hardware provider unmasks the LUNs (IVssHardwareSnapshotProvider::LocateLuns): a computer
      // without the provider that made them cannot surface them.
      if (!machine_->FindProvider(p.providerId))
        throw VssException(hr::kVssNoSnapshotsImported, op, "provider " + p.providerId.ToString() + " that made the set is not registered on this computer");
      for (const SimShadow& s : machine_->shadows)
        if (s.properties.snapshotId == p.snapshotId)
          throw VssException(hr::kVssObjectAlreadyExists, op, "shadow copy " + p.snapshotId.ToString() + " is already on this computer (imported before)");
    }
  }
  // LocateLuns, then the rescan that finds the arrived volumes: a commit's worth of simulated time.
  double commitMs = 0;
  {
    MachineLock lock(*machine_);
    commitMs = machine_->timing.commitMs;
  }
  if (!Wait(commitMs, control, op, NowMs(), "import")) throw VssException(hr::kVssAsyncCancelled, op, "cancelled before the shadow copies were imported");
  MachineLock lock(*machine_);
  for (const SnapshotProperties& p : set.snapshots) {
    SimShadow shadow;
    const SimVolume* v = machine_->FindVolume(p.originalVolumeName);
    // The original volume is another computer's, unless the set comes back to the one that made it.
    shadow.volumeName = v ? v->name : p.originalVolumeName;
    shadow.persistent = (static_cast<uint32_t>(set.context) & attr::kPersistent) != 0;
    shadow.context = set.context;
    shadow.ownerSession = id_;  // an auto-release import goes with this requester, as a created set does
    shadow.properties = p;
    shadow.properties.serviceMachine = machine_->machineName;
    shadow.properties.snapshotAttributes = p.snapshotAttributes | static_cast<int32_t>(attr::kImported);
    shadow.properties.snapshotDeviceObject = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(machine_->nextDeviceNumber++);
    shadow.properties.status = kSnapshotCreated;
    machine_->shadows.push_back(shadow);
  }
  // The importing requester goes on from where the creating one left off (backup components
  // document life cycle page): BackupComplete, or release (an auto-release import goes then).
  setId_ = set.snapshotSetId;
  stage_ = Stage::SnapshotsDone;
}

// ---------------------------------------------------------------- restore

void SimSession::SetSelectedForRestore(const ComponentRef& component, bool selected) {
  const char* op = "SetSelectedForRestore";
  if (mode_ != Mode::Restore) BadState(op, "InitializeForRestore must come first");
  RequireMetadata(op);
  if (stage_ != Stage::Initialized) BadState(op, "components are selected before PreRestore");
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' is not in the Backup Components Document");
  s->status.selectedForRestore = selected;
}

void SimSession::SetRestoreOptions(const ComponentRef& component, const std::string& options) {
  const char* op = "SetRestoreOptions";
  if (mode_ != Mode::Restore) BadState(op, "InitializeForRestore must come first");
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' is not in the Backup Components Document");
  s->status.restoreOptions = options;
}

void SimSession::SetAdditionalRestores(const ComponentRef& component, bool additional) {
  const char* op = "SetAdditionalRestores";
  if (mode_ != Mode::Restore) BadState(op, "InitializeForRestore must come first");
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' is not in the Backup Components Document");
  s->status.additionalRestores = additional;
}

void SimSession::SetFileRestoreStatus(const ComponentRef& component, int32_t status) {
  const char* op = "SetFileRestoreStatus";
  if (mode_ != Mode::Restore) BadState(op, "InitializeForRestore must come first");
  if (stage_ != Stage::PreRestored) BadState(op, "SetFileRestoreStatus comes after PreRestore and before PostRestore");
  if (status < 1 || status > 3) throw VssException(hr::kInvalidArg, op, "not a VSS_FILE_RESTORE_STATUS");
  SelectedComponent* s = FindSelected(component);
  if (!s || !s->status.selectedForRestore) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' is not selected for restore");
  s->status.fileRestoreStatus = status;
}

void SimSession::SetRestoreState(int32_t restoreType) {
  const char* op = "SetRestoreState";
  EnforceRules(op, Facts());
  if (restoreType < 0 || restoreType > 3) throw VssException(hr::kInvalidArg, op, "not a VSS_RESTORE_TYPE");
  restoreType_ = restoreType;
}

// The restored component a restore-time choice is about: it must be in the document.
SimSession::SelectedComponent& SimSession::RestoredComponent(const ComponentRef& component, const char* op) {
  EnforceRules(op, Facts());
  SelectedComponent* s = FindSelected(component);
  if (!s) throw VssException(hr::kVssObjectNotFound, op, "component '" + component.name + "' is not in the Backup Components Document");
  return *s;
}

void SimSession::AddNewTarget(const ComponentRef& component, const FileDescriptor& target) {
  const char* op = "AddNewTarget";
  SelectedComponent& s = RestoredComponent(component, op);
  if (target.path.empty() || target.filespec.empty() || target.alternatePath.empty())
    throw VssException(hr::kInvalidArg, op, "a new target needs the original path, a file specification and the alternate path");
  s.status.newTargets.push_back(target);
}

void SimSession::SetAuthoritativeRestore(const ComponentRef& component, bool authoritative) {
  RestoredComponent(component, "SetAuthoritativeRestore").status.authoritativeRestore = authoritative;
}

void SimSession::SetRestoreName(const ComponentRef& component, const std::string& name) {
  RestoredComponent(component, "SetRestoreName").status.restoreName = name;
}

void SimSession::SetRollForward(const ComponentRef& component, int32_t type, const std::string& point) {
  const char* op = "SetRollForward";
  SelectedComponent& s = RestoredComponent(component, op);
  // VSS_RF_NONE, VSS_RF_ALL, VSS_RF_PARTIAL; the point means something only for a partial roll-forward.
  if (type < 1 || type > 3) throw VssException(hr::kInvalidArg, op, "not a VSS_ROLLFORWARD_TYPE (none, all or partial)");
  if (type == 3 && point.empty()) throw VssException(hr::kInvalidArg, op, "a partial roll-forward needs the point to stop at");
  s.status.rollForwardType = type;
  s.status.rollForwardPoint = type == 3 ? point : std::string();
}

void SimSession::AddAlternativeLocationMapping(const ComponentRef& component, const FileDescriptor& mapping) {
  const char* op = "AddAlternativeLocationMapping";
  SelectedComponent& s = RestoredComponent(component, op);
  // The page: the path has no wildcards, the file specification no directory part.
  if (mapping.path.empty() || mapping.filespec.empty() || mapping.alternatePath.empty())
    throw VssException(hr::kInvalidArg, op, "a mapping needs the original path, a file specification and the destination");
  if (mapping.path.find_first_of("*?") != std::string::npos) throw VssException(hr::kInvalidArg, op, "the path cannot contain wildcards");
  if (mapping.filespec.find_first_of("\\/") != std::string::npos) throw VssException(hr::kInvalidArg, op, "the file specification cannot name a folder");
  s.status.alternateLocationMappings.push_back(mapping);
}

void SimSession::AddRestoreSubcomponent(const ComponentRef& component, const RestoreSubcomponent& sub) {
  const char* op = "AddRestoreSubcomponent";
  SelectedComponent& s = RestoredComponent(component, op);
  // "A logical path is required when adding a subcomponent"; neither may be NULL.
  if (sub.logicalPath.empty() || sub.componentName.empty()) throw VssException(hr::kInvalidArg, op, "a subcomponent needs its logical path and name");
  // "the root component ... must first be selected for restore using SetSelectedForRestore".
  if (!s.status.selectedForRestore) BadState(op, "component '" + component.name + "' must be selected for restore first (SetSelectedForRestore)");
  // The subcomponent belongs to the component's set (its logical path lies under the component's)
  // and is selectable for restore (VSS_COMPONENTINFO::bSelectableForRestore), as the writer declared it.
  const std::string root = ComponentKey(s.status.logicalPath, s.status.name);
  const bool under = sub.logicalPath == root || sub.logicalPath.rfind(root + "\\", 0) == 0;
  const Component* declared = nullptr;
  for (const auto& m : metadata_)
    if (m->instanceId == s.instanceId)
      for (const Component& c : m->components)
        if (c.logicalPath == sub.logicalPath && c.name == sub.componentName) declared = &c;
  if (!under || !declared)
    throw VssException(hr::kVssObjectNotFound, op, "'" + ComponentKey(sub.logicalPath, sub.componentName) + "' is not a subcomponent of '" + root + "' in the writer's metadata");
  if (!declared->selectableForRestore) throw VssException(hr::kInvalidArg, op, "'" + sub.componentName + "' is not selectable for restore");
  s.status.restoreSubcomponents.push_back(sub);
}

void SimSession::SetRangesFilePath(const ComponentRef& component, uint32_t partialFile, const std::string& rangesFile) {
  const char* op = "SetRangesFilePath";
  SelectedComponent& s = RestoredComponent(component, op);
  if (partialFile >= s.status.partialFiles.size())
    throw VssException(hr::kInvalidArg, op, "partial file " + std::to_string(partialFile) + " does not exist: the component has " + std::to_string(s.status.partialFiles.size()));
  if (rangesFile.empty()) throw VssException(hr::kInvalidArg, op, "no ranges file");
  s.status.partialFiles[partialFile].ranges = rangesFile;
}

void SimSession::PreRestore(AsyncControl& control) {
  const char* op = "PreRestore";
  if (mode_ != Mode::Restore) BadState(op, "InitializeForRestore must come first");
  RequireMetadata(op);
  if (stage_ != Stage::Initialized) BadState(op, "PreRestore was already called");
  std::vector<Guid> writers;
  for (const SelectedComponent& s : selected_)
    if (s.status.selectedForRestore && std::find(writers.begin(), writers.end(), s.instanceId) == writers.end()) writers.push_back(s.instanceId);
  participants_ = writers;
  RunPhase(Phase::PreRestore, participants_, control, op);
  SetRestoreChoices();
  stage_ = Stage::PreRestored;
}

void SimSession::PostRestore(AsyncControl& control) {
  const char* op = "PostRestore";
  if (mode_ != Mode::Restore) BadState(op, "InitializeForRestore must come first");
  if (stage_ != Stage::PreRestored) BadState(op, stage_ == Stage::PostRestored ? "PostRestore was already called" : "PreRestore must come first");
  RunPhase(Phase::PostRestore, participants_, control, op);
  stage_ = Stage::PostRestored;
}

// ---------------------------------------------------------------- management

std::vector<SnapshotProperties> SimSession::QuerySnapshots() {
  RequireInitialized("Query");
  MachineLock lock(*machine_);
  std::vector<SnapshotProperties> result;
  for (const SimShadow& s : machine_->shadows)
    if (Visible(s)) result.push_back(s.properties);
  return result;
}

std::vector<ProviderProperties> SimSession::QueryProviders() {
  RequireInitialized("Query");
  MachineLock lock(*machine_);
  std::vector<ProviderProperties> result;
  for (const SimProvider& p : machine_->providers) result.push_back(p.properties);
  return result;
}

DeleteResult SimSession::DeleteSnapshots(const Guid& id, bool wholeSet, bool /*forceDelete*/) {
  const char* op = "DeleteSnapshots";
  RequireInitialized(op);
  MachineLock lock(*machine_);
  DeleteResult result;
  for (size_t i = machine_->shadows.size(); i-- > 0;) {
    const SimShadow& s = machine_->shadows[i];
    bool match = wholeSet ? s.properties.snapshotSetId == id : s.properties.snapshotId == id;
    if (!match || !Visible(s)) continue;
    DeleteShadowLocked(i);
    ++result.deletedCount;
  }
  if (result.deletedCount == 0) throw VssException(hr::kVssObjectNotFound, op, std::string("no shadow copy ") + (wholeSet ? "set " : "") + id.ToString() + " in this context");
  return result;
}

std::string SimSession::ExposeSnapshot(const ExposeRequest& request) {
  const char* op = "ExposeSnapshot";
  RequireInitialized(op);
  MachineLock lock(*machine_);
  SimShadow* shadow = nullptr;
  for (SimShadow& s : machine_->shadows)
    if (s.properties.snapshotId == request.snapshotId) shadow = &s;
  if (!shadow) throw VssException(hr::kVssObjectNotFound, op, "no shadow copy " + request.snapshotId.ToString());
  if (!shadow->properties.exposedName.empty()) BadState(op, "the shadow copy is already exposed as " + shadow->properties.exposedName);
  // A file share's shadow copy lives on the file server, which exposes it there as a share of its own
  // (MS-FSRVP ExposeShadowCopySet; README "Remote file shares"); this computer has no volume of it to
  // give a drive letter, folder or share. Which result Windows gives is unsourced: E_INVALIDARG, as
  // for the other copies this method cannot expose.
  if (shadow->properties.snapshotAttributes & static_cast<int32_t>(attr::kFileShare))
    throw VssException(hr::kInvalidArg, op, "a file share's shadow copy is exposed by its file server, not on this computer");
  const bool locally = request.attributes == kAttrExposedLocally;
  if (!locally && request.attributes != kAttrExposedRemotely) throw VssException(hr::kInvalidArg, op, "expose locally or remotely");
  // Only persistent shadow copies (app-rollback, nas-rollback) can be exposed locally;
  // any shadow copy can be shared ("Exposing and Surfacing Shadow Copied Volumes").
  if (locally && !shadow->persistent) throw VssException(hr::kInvalidArg, op, "only persistent shadow copies can be exposed locally");
  if (request.expose.empty()) throw VssException(hr::kInvalidArg, op, "no drive letter, folder or share name");
  if (locally && !request.pathFromRoot.empty()) throw VssException(hr::kInvalidArg, op, "a path from the root is for shares only");
  std::string exposed = request.expose;
  if (locally && exposed.size() <= 3 && exposed.size() >= 2 && exposed[1] == ':') {
    exposed = std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(exposed[0])))) + ":";
    for (const SimVolume& v : machine_->volumes)
      if (v.name.size() == 3 && std::toupper(static_cast<unsigned char>(v.name[0])) == exposed[0])
        throw VssException(hr::kVssObjectAlreadyExists, op, "drive letter " + exposed + " is in use");
  }
  for (const SimShadow& s : machine_->shadows)
    if (!s.properties.exposedName.empty() && s.properties.exposedName == exposed)
      throw VssException(hr::kVssObjectAlreadyExists, op, exposed + " is in use by another shadow copy");
  shadow->properties.exposedName = exposed;
  shadow->properties.exposedPath = request.pathFromRoot;
  shadow->properties.snapshotAttributes |= request.attributes;
  return exposed;
}

void SimSession::UnexposeSnapshot(const Guid& snapshotId) {
  const char* op = "UnexposeSnapshot";
  RequireInitialized(op);
  MachineLock lock(*machine_);
  for (SimShadow& s : machine_->shadows) {
    if (s.properties.snapshotId != snapshotId) continue;
    if (s.properties.exposedName.empty()) throw VssException(hr::kVssObjectNotFound, op, "the shadow copy is not exposed");
    s.properties.exposedName.clear();
    s.properties.exposedPath.clear();
    s.properties.snapshotAttributes &= ~(kAttrExposedLocally | kAttrExposedRemotely);
    return;
  }
  throw VssException(hr::kVssObjectNotFound, op, "no shadow copy " + snapshotId.ToString());
}

void SimSession::BreakSnapshotSet(const Guid& snapshotSetId) {
  const char* op = "BreakSnapshotSet";
  RequireInitialized(op);
  MachineLock lock(*machine_);
  BreakLocked(snapshotSetId, op, 0);
}

// _VSS_HARDWARE_OPTIONS a requester passes to BreakSnapshotSetEx.
namespace breakex {
constexpr uint32_t kMaskLuns = 0x1;
constexpr uint32_t kMakeReadWrite = 0x2;
constexpr uint32_t kRevertIdentityAll = 0x4;
constexpr uint32_t kRevertIdentityNone = 0x8;
}  // namespace breakex

void SimSession::BreakSnapshotSetEx(const Guid& snapshotSetId, uint32_t flags, AsyncControl& control) {
  const char* op = "BreakSnapshotSetEx";
  RequireInitialized(op);
  using namespace breakex;
  if (flags & ~(kMaskLuns | kMakeReadWrite | kRevertIdentityAll | kRevertIdentityNone))
    throw VssException(hr::kInvalidArg, op, "flags other than VSS_BREAKEX_FLAG_MASK_LUNS, _MAKE_READ_WRITE, _REVERT_IDENTITY_ALL, _REVERT_IDENTITY_NONE");
  if ((flags & kRevertIdentityAll) && (flags & kRevertIdentityNone))
    throw VssException(hr::kInvalidArg, op, "REVERT_IDENTITY_ALL and REVERT_IDENTITY_NONE exclude each other");
  // The provider works on the LUNs for a while (a commit's worth of simulated time).
  double commitMs;
  {
    MachineLock lock(*machine_);
    commitMs = machine_->timing.commitMs;
  }
  if (!Wait(commitMs, control, op, NowMs())) throw VssException(hr::kVssAsyncCancelled, op, "cancelled");
  MachineLock lock(*machine_);
  BreakLocked(snapshotSetId, op, flags);
}

// Takes the set's shadow copies out of VSS (they stay volumes of their own, managed without VSS).
// Only a hardware provider's copies can be broken ("BreakSnapshotSet": VSS_E_PROVIDER_VETO for a
// software provider's). REVERT_IDENTITY_ALL gives the copies their originals' disk identities,
// which BreakSnapshotSetEx's page says fails with VSS_E_BREAK_REVERT_ID_FAILED while the original
// LUNs are unmasked on this computer: here they always are (the simulated machine has them).
void SimSession::BreakLocked(const Guid& snapshotSetId, const char* op, uint32_t flags) {
  int found = 0;
  for (const SimShadow& s : machine_->shadows) {
    if (s.properties.snapshotSetId != snapshotSetId) continue;
    const SimProvider* provider = machine_->FindProvider(s.properties.providerId);
    if (!provider || provider->properties.type != kProviderTypeHardware)
      throw VssException(hr::kVssProviderVeto, op, "the shadow copy was created by a software provider and cannot be broken");
    ++found;
  }
  if (!found) throw VssException(hr::kVssObjectNotFound, op, "no snapshot set " + snapshotSetId.ToString());
  if (flags & breakex::kRevertIdentityAll)
    throw VssException(hr::kVssBreakRevertIdFailed, op, "the original LUNs are not masked on this computer: reverting the identities would collide with them");
  for (size_t i = machine_->shadows.size(); i-- > 0;)
    if (machine_->shadows[i].properties.snapshotSetId == snapshotSetId) DeleteShadowLocked(i);
}

// ---------------------------------------------------------------- revert

void SimSession::RevertToSnapshot(const Guid& snapshotId, bool /*forceDismount: no simulated volume is held open*/) {
  const char* op = "RevertToSnapshot";
  EnforceRules(op, Facts());
  MachineLock lock(*machine_);
  SimShadow* shadow = nullptr;
  for (SimShadow& s : machine_->shadows)
    if (s.properties.snapshotId == snapshotId && Visible(s)) shadow = &s;
  if (!shadow) throw VssException(hr::kVssObjectNotFound, op, "no shadow copy " + snapshotId.ToString());
  // "Only shadow copies created with persistent contexts ... are supported" (RevertToSnapshot).
  if (!shadow->persistent) throw VssException(hr::kVssUnsupportedContext, op, "revert is only supported for persistent shadow copies");
  const SimProvider* provider = machine_->FindProvider(shadow->properties.providerId);
  if (!provider || provider->properties.type != static_cast<int32_t>(TermCode(Vocabulary::ProviderType, "system")))
    throw VssException(hr::kNotImpl, op, "the provider of this shadow copy does not support revert operations");
  SimVolume* v = machine_->FindVolume(shadow->volumeName);
  if (!v || v->Unsupported()) throw VssException(hr::kVssVolumeNotSupported, op, "revert is not supported on " + shadow->volumeName);
  const double now = NowMs();
  if (v->revertEndsMs > now) throw VssException(hr::kVssRevertInProgress, op, v->name + " already has a revert in progress");
  // The volume's content becomes the shadow copy's (for a volume backed by a host folder).
  if (!v->hostPath.empty() && !shadow->contentPath.empty()) Machine::RestoreContent(shadow->contentPath, v->hostPath);
  v->revertEndsMs = now + machine_->timing.commitMs * machine_->timing.timeScale;
}

void SimSession::QueryRevertStatus(const std::string& volume, AsyncControl& control) {
  const char* op = "QueryRevertStatus";
  EnforceRules(op, Facts());
  double endsMs;
  {
    MachineLock lock(*machine_);
    SimVolume* v = machine_->FindVolume(volume);
    if (!v) throw VssException(hr::kVssObjectNotFound, op, "no volume " + volume);
    // Nothing to track: VShadow (revert.cpp) takes VSS_E_OBJECT_NOT_FOUND here as "no revert running".
    if (v->revertEndsMs == 0) throw VssException(hr::kVssObjectNotFound, op, "no revert was started on " + v->name);
    endsMs = v->revertEndsMs;
  }
  const double started = NowMs();
  // A revert cannot be cancelled: the wait ends with the revert (QueryRevertStatus remarks).
  while (NowMs() < endsMs) {
    Progress progress;
    progress.operation = op;
    progress.status = hr::kVssAsyncPending;
    progress.elapsedMs = NowMs() - started;
    control.Report(progress);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace sim
}  // namespace vss

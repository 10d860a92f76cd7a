// One VSS requester session (one IVssBackupComponents) as a JS object. Every
// operation runs on the session's own thread and settles a Promise; at most one
// runs at a time. The TypeScript BackupSession class is the public face of this.
#pragma once
#include <napi.h>

#include <memory>
#include <optional>
#include <string>

#include "../core/backend.h"
#include "env_gate.h"
#include "operations.h"
#include "session_thread.h"

namespace vssnapi {

using Completion = std::function<void(Napi::Env)>;
void RunCompletion(Napi::Env env, Napi::Function, void*, Completion* completion);
using CompletionQueue = Napi::TypedThreadSafeFunction<void, Completion, RunCompletion>;

class NativeSession : public Napi::ObjectWrap<NativeSession> {
 public:
  static Napi::Function Define(Napi::Env env);

  // new NativeSession('com') or new NativeSession('simulated', machine)
  explicit NativeSession(const Napi::CallbackInfo& info);
  ~NativeSession() override;

 private:
  // State the session thread owns; the JS thread only hands it over in tasks.
  struct ThreadState {
    std::shared_ptr<vss::Backend> backend;
    std::unique_ptr<vss::Session> session;
    bool entered = false;
  };
  using ThreadWork = std::function<ResultBuilder(ThreadState&, vss::AsyncControl&)>;

  Napi::Value Open(const Napi::CallbackInfo& info);            // → Promise<string backend name>
  Napi::Value Call(const Napi::CallbackInfo& info);            // (op, args?, onProgress?) → Promise
  Napi::Value QueryDiffAreas(const Napi::CallbackInfo& info);  // → Promise<DiffArea[]>
  // → Promise<{ snapshotsPresent, snapshotCompatibility }>
  Napi::Value IsVolumeSnapshotted(const Napi::CallbackInfo& info);
  Napi::Value ShouldBlockRevert(const Napi::CallbackInfo& info);  // → Promise<boolean>
  Napi::Value ChangeDiffAreaMaximumSize(const Napi::CallbackInfo& info);  // (volume, diffAreaVolume, bytes) → Promise<void>
  Napi::Value AddDiffArea(const Napi::CallbackInfo& info);                // (volume, diffAreaVolume, bytes) → Promise<void>
  Napi::Value DiffAreaCall(const Napi::CallbackInfo& info, const char* operation, const char* usage,
                           void (vss::Backend::*method)(const std::string&, const std::string&, int64_t));
  // (volume, diffAreaVolume, bytes, volatile) → Promise<void>
  Napi::Value ChangeDiffAreaMaximumSizeEx(const Napi::CallbackInfo& info);
  // (operation, name): QueryDiffAreasForVolume/OnVolume (a volume name) or QueryDiffAreasForSnapshot
  // (a shadow copy id) → Promise<DiffArea[]>
  Napi::Value QueryDiffAreasBy(const Napi::CallbackInfo& info);
  // (originalVolume) → Promise<DiffVolume[]>
  Napi::Value QueryVolumesSupportedForDiffAreas(const Napi::CallbackInfo& info);
  // (operation, volume, level?): SetVolumeProtectLevel, GetVolumeProtectLevel (resolves to the
  // VSS_VOLUME_PROTECTION_INFO), ClearVolumeProtectFault, DeleteUnusedDiffAreas
  Napi::Value ProtectionCall(const Napi::CallbackInfo& info);
  Napi::Value ReadEvents(const Napi::CallbackInfo& info);  // (query) → Promise<EventRecord[]>
  Napi::Value FollowEvents(const Napi::CallbackInfo& info);  // (query, timeoutMs) → Promise<EventRecord[]>
  Napi::Value RestartService(const Napi::CallbackInfo& info);  // (request) → Promise<ServiceRestartResult>
  Napi::Value Cancel(const Napi::CallbackInfo& info);          // cancels the running operation, if any
  Napi::Value Release(const Napi::CallbackInfo& info);         // → Promise<void>
  Napi::Value GetBusy(const Napi::CallbackInfo& info);
  Napi::Value GetReleased(const Napi::CallbackInfo& info);

  Napi::Value Start(Napi::Env env, const std::string& operation, ThreadWork work, Napi::Value onProgress);
  void Finish(Napi::Env env, const ResultBuilder& result, const struct Failure* failure);
  static void EnterThread(ThreadState& state);  // Backend::ThreadEnter once, before the thread's first VSS call
  static void ReleaseOnThread(ThreadState& state);
  // The JS event loop stays alive while any completion is owed (counted).
  void HoldLoop(Napi::Env env);
  void DropLoop(Napi::Env env);

  std::shared_ptr<ThreadState> state_;
  std::unique_ptr<SessionThread> thread_;
  CompletionQueue completions_;
  std::shared_ptr<EnvGate> gate_;  // session-thread uses of completions_ go through it
  std::shared_ptr<vss::AsyncControl> control_;  // of the running operation
  std::optional<Napi::Promise::Deferred> pending_;
  std::optional<Napi::Promise::Deferred> releasing_;
  // The release promise, kept across handle scopes so a second release() returns it.
  Napi::ObjectReference releasePromise_;
  Napi::FunctionReference onProgress_;
  std::string runningOperation_;
  bool released_ = false;
  int loopHolds_ = 0;
};

}  // namespace vssnapi

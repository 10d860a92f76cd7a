// One VSS requester session (one IVssBackupComponents) as a JS object. Every
// operation runs on the session's own thread and settles a Promise; at most one
// runs at a time. The TypeScript BackupSession class is the public face of this.
#pragma once
#include <napi.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "../core/backend.h"
#include "operations.h"
#include "session_thread.h"

namespace vssnapi {

using Completion = std::function<void(Napi::Env)>;
void RunCompletion(Napi::Env env, Napi::Function, void*, Completion* completion);
using CompletionQueue = Napi::TypedThreadSafeFunction<void, Completion, RunCompletion>;

// Node deletes a thread-safe function when its environment goes away (a worker
// terminated), even while other threads still hold it: the session thread
// passes this gate before every call, and the queue's finalizer closes it.
struct QueueGate {
  std::mutex mutex;
  bool open = true;
};

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
  Napi::Value Cancel(const Napi::CallbackInfo& info);          // cancels the running operation, if any
  Napi::Value Release(const Napi::CallbackInfo& info);         // → Promise<void>
  Napi::Value GetBusy(const Napi::CallbackInfo& info);
  Napi::Value GetReleased(const Napi::CallbackInfo& info);

  Napi::Value Start(Napi::Env env, const std::string& operation, ThreadWork work, Napi::Value onProgress);
  void Finish(Napi::Env env, ResultBuilder result, const struct Failure* failure);
  static void ReleaseOnThread(ThreadState& state);

  std::shared_ptr<ThreadState> state_;
  std::unique_ptr<SessionThread> thread_;
  CompletionQueue completions_;
  std::shared_ptr<QueueGate> gate_ = std::make_shared<QueueGate>();
  std::shared_ptr<vss::AsyncControl> control_;  // of the running operation
  std::optional<Napi::Promise::Deferred> pending_;
  std::optional<Napi::Promise::Deferred> releasing_;
  Napi::FunctionReference onProgress_;
  std::string runningOperation_;
  bool released_ = false;
};

}  // namespace vssnapi

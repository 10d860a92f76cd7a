#include "native_session.h"

#include <chrono>

#include "addon_data.h"
#include "convert.h"
#include "errors.h"
#include "simulated_machine.h"
#ifdef _WIN32
#include "../com/com_backend.h"
#endif

namespace vssnapi {

void RunCompletion(Napi::Env env, Napi::Function, void*, Completion* completion) {
  std::unique_ptr<Completion> owned(completion);
  // env is null when the environment is going away: drop the work unrun.
  if (env == nullptr || !owned) return;
  try {
    (*owned)(env);
  } catch (const Napi::Error& error) {
    // A progress callback threw (an uncaught exception, as from an event listener),
    // or JS can no longer run here (a worker being terminated: resolving the promise
    // failed). Reporting it may fail the same way, and nothing may unwind from here.
    try {
      napi_fatal_exception(env, error.Value());
    } catch (...) {
    }
  } catch (const std::exception& error) {
    // No C++ exception may unwind into Node's event loop: that ends the process.
    try {
      Napi::Error::New(env, std::string("vss-napi: a completion failed: ") + error.what()).ThrowAsJavaScriptException();
    } catch (...) {
    }
  }
}

Napi::Function NativeSession::Define(Napi::Env env) {
  return DefineClass(env, "NativeSession",
                     {InstanceMethod<&NativeSession::Open>("open"),
                      InstanceMethod<&NativeSession::Call>("call"),
                      InstanceMethod<&NativeSession::QueryDiffAreas>("queryDiffAreas"),
                      InstanceMethod<&NativeSession::ChangeDiffAreaMaximumSize>("changeDiffAreaMaximumSize"),
                      InstanceMethod<&NativeSession::AddDiffArea>("addDiffArea"),
                      InstanceMethod<&NativeSession::ChangeDiffAreaMaximumSizeEx>("changeDiffAreaMaximumSizeEx"),
                      InstanceMethod<&NativeSession::QueryDiffAreasBy>("queryDiffAreasBy"),
                      InstanceMethod<&NativeSession::ProtectionCall>("protectionCall"),
                      InstanceMethod<&NativeSession::QueryVolumesSupportedForDiffAreas>("queryVolumesSupportedForDiffAreas"),
                      InstanceMethod<&NativeSession::IsVolumeSnapshotted>("isVolumeSnapshotted"),
                      InstanceMethod<&NativeSession::ShouldBlockRevert>("shouldBlockRevert"),
                      InstanceMethod<&NativeSession::ReadEvents>("readEvents"),
                      InstanceMethod<&NativeSession::RestartService>("restartService"),
                      InstanceMethod<&NativeSession::FollowEvents>("followEvents"),
                      InstanceMethod<&NativeSession::Cancel>("cancel"),
                      InstanceMethod<&NativeSession::Release>("release"),
                      InstanceAccessor<&NativeSession::GetBusy>("busy"),
                      InstanceAccessor<&NativeSession::GetReleased>("released")});
}

NativeSession::NativeSession(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<NativeSession>(info), state_(std::make_shared<ThreadState>()) {
  Napi::Env env = info.Env();
  std::string kind = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (kind == "simulated") {
    std::shared_ptr<vss::sim::Machine> machine = info.Length() > 1 ? SimulatedMachine::From(env, info[1]) : nullptr;
    if (!machine) throw MakeError(env, "ERR_INVALID_ARG_TYPE", "The simulated backend needs a SimulatedMachine");
    state_->backend = vss::sim::CreateBackend(std::move(machine));
  } else if (kind == "com") {
#ifdef _WIN32
    state_->backend = vss::CreateComBackend();
#else
    throw MakeError(env, "ERR_VSS_UNSUPPORTED_PLATFORM",
                    "The native VSS backend exists only on Windows; this build has the simulated backend only");
#endif
  } else {
    throw MakeError(env, "ERR_INVALID_ARG_VALUE", "Unknown backend kind '" + kind + "'");
  }

  // One thread slot for the session thread; it gives it back as it exits.
  completions_ = CompletionQueue::New(env, "vss-napi session", 0, 1);
  completions_.Unref(env);  // an idle session must not keep the process alive
  gate_ = GetAddonData(env).gate;
  CompletionQueue queue = completions_;
  std::shared_ptr<EnvGate> gate = gate_;
  thread_ = std::make_unique<SessionThread>([queue, gate]() mutable { gate->Use([&] { queue.Release(); }); });
}

NativeSession::~NativeSession() {
  // Garbage-collected without release(): release on the owning thread, as VSS
  // expects (non-persistent shadow copies are auto-released then).
  if (!released_ && thread_) {
    if (control_) control_->RequestCancel();
    std::shared_ptr<ThreadState> state = state_;
    thread_->Post([state]() { ReleaseOnThread(*state); });
    thread_->Stop();
  }
}

void NativeSession::EnterThread(ThreadState& state) {
  if (state.entered) return;
  state.backend->ThreadEnter();
  state.entered = true;
}

void NativeSession::ReleaseOnThread(ThreadState& state) {
  try {
    state.session.reset();
  } catch (...) {
    // A destructor that throws has nobody to report to; the session is gone either way.
  }
  if (state.entered) {
    state.backend->ThreadLeave();
    state.entered = false;
  }
}

Napi::Value NativeSession::Start(Napi::Env env, const std::string& operation, ThreadWork work,
                                 Napi::Value onProgress) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  if (released_) {
    deferred.Reject(MakeError(env, "ERR_VSS_SESSION_RELEASED", operation + " called on a released session").Value());
    return deferred.Promise();
  }
  if (pending_) {
    deferred.Reject(MakeError(env, "ERR_VSS_SESSION_BUSY",
                              operation + " called while " + runningOperation_ + " is still running; a session runs one operation at a time")
                        .Value());
    return deferred.Promise();
  }
  pending_ = deferred;
  runningOperation_ = operation;
  control_ = std::make_shared<vss::AsyncControl>();
  if (onProgress.IsFunction()) onProgress_ = Napi::Persistent(onProgress.As<Napi::Function>());

  Ref();  // the wrapper stays alive until the operation settles
  HoldLoop(env);

  CompletionQueue queue = completions_;
  std::shared_ptr<EnvGate> gate = gate_;
  NativeSession* self = this;
  if (!onProgress_.IsEmpty()) {
    control_->onProgress = [queue, gate, self](const vss::Progress& progress) mutable {
      gate->Use([&] { queue.NonBlockingCall(new Completion([self, progress](Napi::Env env) {
        if (self->onProgress_.IsEmpty()) return;
        Napi::Object event = Napi::Object::New(env);
        event.Set("operation", progress.operation);
        event.Set("status", Napi::Number::New(env, progress.status));
        event.Set("elapsedMs", Napi::Number::New(env, progress.elapsedMs));
        if (!progress.phase.empty()) event.Set("phase", progress.phase);
        if (!progress.writer.empty()) event.Set("writer", progress.writer);
        self->onProgress_.Call({event});
      })); });
    };
  }

  std::shared_ptr<ThreadState> state = state_;
  std::shared_ptr<vss::AsyncControl> control = control_;
  bool posted = thread_->Post([queue, gate, self, state, control, work, operation]() mutable {
    ResultBuilder result;
    auto failure = std::make_shared<Failure>();
    bool ok = Capture(*failure, operation, [&] { result = work(*state, *control); });
    gate->Use([&] {
      // The result is moved, never copied: a System Writer's metadata is 19,000 files of
      // strings, and each copy (and its freeing, on the JS thread) cost as much as turning
      // it into JavaScript (BENCHMARKS.md).
      queue.BlockingCall(new Completion([self, result = std::move(result), failure, ok](Napi::Env env) {
        self->Finish(env, result, ok ? nullptr : failure.get());
      }));
    });
  });
  if (!posted) {
    Failure failure;
    failure.code = "ERR_VSS_SESSION_RELEASED";
    failure.operation = operation;
    failure.message = operation + " called on a released session";
    Finish(env, nullptr, &failure);
  }
  return deferred.Promise();
}

void NativeSession::Finish(Napi::Env env, const ResultBuilder& result, const Failure* failure) {
  std::optional<Napi::Promise::Deferred> deferred = std::move(pending_);
  pending_.reset();
  runningOperation_.clear();
  control_.reset();
  onProgress_.Reset();
  DropLoop(env);
  if (deferred) {
    if (failure) {
      deferred->Reject(ToJsError(env, *failure).Value());
    } else {
      Napi::Value value = env.Undefined();
      Failure conversionFailure;
      if (Capture(conversionFailure, "convert", [&] { value = result ? result(env) : env.Undefined(); }))
        deferred->Resolve(value);
      else
        deferred->Reject(ToJsError(env, conversionFailure).Value());
    }
  }
  Unref();
}

Napi::Value NativeSession::Open(const Napi::CallbackInfo& info) {
  return Start(info.Env(), "CreateVssBackupComponents",
               [](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 if (state.session) throw vss::VssException(vss::hr::kVssBadState, "CreateVssBackupComponents", "the session is already open");
                 EnterThread(state);
                 state.session = state.backend->CreateSession();
                 std::string name = state.backend->Name();
                 return [name](Napi::Env env) -> Napi::Value { return Napi::String::New(env, name); };
               },
               info.Env().Undefined());
}

Napi::Value NativeSession::Call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  const Operation* found = FindOperation(name);
  if (!found) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_VALUE", "Unknown session operation '" + name + "'").Value());
    return deferred.Promise();
  }
  Napi::Object args = info.Length() > 1 && info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(env);
  SessionWork sessionWork;
  try {
    sessionWork = found->factory(args);
  } catch (const Napi::Error& e) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(e.Value());
    return deferred.Promise();
  }
  const std::string& operation = found->comMethod;  // what errors and busy reports name
  return Start(env, operation,
               [sessionWork, operation](ThreadState& state, vss::AsyncControl& control) -> ResultBuilder {
                 if (!state.session)
                   throw vss::VssException(vss::hr::kVssBadState, operation, "the session is not open (CreateVssBackupComponents failed or was not called)");
                 return sessionWork(*state.session, control);
               },
               info.Length() > 2 ? info[2] : env.Undefined());
}

Napi::Value NativeSession::QueryDiffAreas(const Napi::CallbackInfo& info) {
  return Start(info.Env(), "QueryDiffAreas",
               [](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 std::vector<vss::DiffArea> areas = state.backend->QueryDiffAreas();
                 return [areas](Napi::Env env) -> Napi::Value { return ToJsArray(env, areas); };
               },
               info.Env().Undefined());
}

// ChangeDiffAreaMaximumSize and AddDiffArea: (volume, diffAreaVolume, maximumSize) on the backend.
Napi::Value NativeSession::DiffAreaCall(const Napi::CallbackInfo& info, const char* operation, const char* usage,
                                        void (vss::Backend::*method)(const std::string&, const std::string&, int64_t)) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", usage).Value());
    return deferred.Promise();
  }
  std::string volume = info[0].As<Napi::String>().Utf8Value();
  std::string diffAreaVolume = info[1].As<Napi::String>().Utf8Value();
  int64_t maximumSize = info[2].As<Napi::Number>().Int64Value();
  return Start(env, operation,
               [volume, diffAreaVolume, maximumSize, method](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 (state.backend.get()->*method)(volume, diffAreaVolume, maximumSize);
                 return nullptr;
               },
               env.Undefined());
}

Napi::Value NativeSession::ChangeDiffAreaMaximumSize(const Napi::CallbackInfo& info) {
  return DiffAreaCall(info, "ChangeDiffAreaMaximumSize", "changeDiffAreaMaximumSize(volume, diffAreaVolume, maximumSize)", &vss::Backend::ChangeDiffAreaMaximumSize);
}

Napi::Value NativeSession::AddDiffArea(const Napi::CallbackInfo& info) {
  return DiffAreaCall(info, "AddDiffArea", "addDiffArea(volume, diffAreaVolume, maximumSize)", &vss::Backend::AddDiffArea);
}

Napi::Value NativeSession::ChangeDiffAreaMaximumSizeEx(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber() || !info[3].IsBoolean()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "changeDiffAreaMaximumSizeEx(volume, diffAreaVolume, maximumSize, volatile)").Value());
    return deferred.Promise();
  }
  std::string volume = info[0].As<Napi::String>().Utf8Value();
  std::string diffAreaVolume = info[1].As<Napi::String>().Utf8Value();
  int64_t maximumSize = info[2].As<Napi::Number>().Int64Value();
  bool isVolatile = info[3].As<Napi::Boolean>().Value();
  return Start(env, "ChangeDiffAreaMaximumSizeEx",
               [volume, diffAreaVolume, maximumSize, isVolatile](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 state.backend->ChangeDiffAreaMaximumSizeEx(volume, diffAreaVolume, maximumSize, isVolatile);
                 return nullptr;
               },
               env.Undefined());
}

Napi::Value NativeSession::QueryDiffAreasBy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string operation = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  const bool known = operation == "QueryDiffAreasForVolume" || operation == "QueryDiffAreasOnVolume" || operation == "QueryDiffAreasForSnapshot";
  std::optional<vss::Guid> snapshotId;
  if (known && info.Length() > 1 && info[1].IsString() && operation == "QueryDiffAreasForSnapshot")
    snapshotId = vss::Guid::Parse(info[1].As<Napi::String>().Utf8Value());
  if (!known || info.Length() < 2 || !info[1].IsString() || (operation == "QueryDiffAreasForSnapshot" && !snapshotId)) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "queryDiffAreasBy('QueryDiffAreasForVolume' | 'QueryDiffAreasOnVolume', volume) or ('QueryDiffAreasForSnapshot', snapshotId)").Value());
    return deferred.Promise();
  }
  std::string name = info[1].As<Napi::String>().Utf8Value();
  return Start(env, operation,
               [operation, name, snapshotId](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 std::vector<vss::DiffArea> areas = operation == "QueryDiffAreasForSnapshot" ? state.backend->QueryDiffAreasForSnapshot(*snapshotId)
                                                    : operation == "QueryDiffAreasOnVolume"  ? state.backend->QueryDiffAreasOnVolume(name)
                                                                                             : state.backend->QueryDiffAreasForVolume(name);
                 return [areas](Napi::Env env) -> Napi::Value { return ToJsArray(env, areas); };
               },
               env.Undefined());
}

Napi::Value NativeSession::ProtectionCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string operation = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  const bool known = operation == "SetVolumeProtectLevel" || operation == "GetVolumeProtectLevel" || operation == "ClearVolumeProtectFault" ||
                     operation == "DeleteUnusedDiffAreas";
  const bool withLevel = operation == "SetVolumeProtectLevel";
  if (!known || info.Length() < 2 || !info[1].IsString() || (withLevel && (info.Length() < 3 || !info[2].IsNumber()))) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "protectionCall(operation, volume, level?)").Value());
    return deferred.Promise();
  }
  std::string volume = info[1].As<Napi::String>().Utf8Value();
  int32_t level = withLevel ? info[2].As<Napi::Number>().Int32Value() : 0;
  return Start(env, operation,
               [operation, volume, level](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 if (operation == "SetVolumeProtectLevel") state.backend->SetVolumeProtectLevel(volume, level);
                 if (operation == "ClearVolumeProtectFault") state.backend->ClearVolumeProtectFault(volume);
                 if (operation == "DeleteUnusedDiffAreas") state.backend->DeleteUnusedDiffAreas(volume);
                 if (operation != "GetVolumeProtectLevel") return nullptr;
                 vss::VolumeProtection p = state.backend->GetVolumeProtectLevel(volume);
                 return [p](Napi::Env env) -> Napi::Value {
                   Napi::Object out = Napi::Object::New(env);
                   out.Set("protectionLevel", Napi::Number::New(env, p.level));
                   out.Set("volumeIsOfflineForProtection", Napi::Boolean::New(env, p.offline));
                   out.Set("protectionFault", Napi::Number::New(env, p.fault));
                   out.Set("failureStatus", Napi::Number::New(env, p.failureStatus));
                   out.Set("volumeHasUnusedDiffArea", Napi::Boolean::New(env, p.hasUnusedDiffArea));
                   return out;
                 };
               },
               env.Undefined());
}

Napi::Value NativeSession::QueryVolumesSupportedForDiffAreas(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "queryVolumesSupportedForDiffAreas(originalVolume)").Value());
    return deferred.Promise();
  }
  std::string volume = info[0].As<Napi::String>().Utf8Value();
  return Start(env, "QueryVolumesSupportedForDiffAreas",
               [volume](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 std::vector<vss::DiffVolume> volumes = state.backend->QueryVolumesSupportedForDiffAreas(volume);
                 return [volumes](Napi::Env env) -> Napi::Value { return ToJsArray(env, volumes); };
               },
               env.Undefined());
}

Napi::Value NativeSession::IsVolumeSnapshotted(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "isVolumeSnapshotted(volume)").Value());
    return deferred.Promise();
  }
  std::string volume = info[0].As<Napi::String>().Utf8Value();
  return Start(env, "IsVolumeSnapshotted",
               [volume](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 vss::VolumeSnapshotState answer = state.backend->IsVolumeSnapshotted(volume);
                 return [answer](Napi::Env env) -> Napi::Value {
                   Napi::Object out = Napi::Object::New(env);
                   out.Set("snapshotsPresent", Napi::Boolean::New(env, answer.snapshotsPresent));
                   out.Set("snapshotCompatibility", Napi::Number::New(env, answer.snapshotCompatibility));
                   return out;
                 };
               },
               env.Undefined());
}

Napi::Value NativeSession::ShouldBlockRevert(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "shouldBlockRevert(volume)").Value());
    return deferred.Promise();
  }
  std::string volume = info[0].As<Napi::String>().Utf8Value();
  return Start(env, "ShouldBlockRevert",
               [volume](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 bool block = state.backend->ShouldBlockRevert(volume);
                 return [block](Napi::Env env) -> Napi::Value { return Napi::Boolean::New(env, block); };
               },
               env.Undefined());
}

Napi::Value NativeSession::ReadEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "readEvents(query)").Value());
    return deferred.Promise();
  }
  vss::EventQuery query = GetEventQuery(info[0].As<Napi::Object>());
  return Start(env, "ReadEvents",
               [query](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 std::vector<vss::EventRecord> events = state.backend->ReadEvents(query);
                 return [events](Napi::Env env) -> Napi::Value { return ToJsArray(env, events); };
               },
               env.Undefined());
}

Napi::Value NativeSession::FollowEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsNumber()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "followEvents(query, timeoutMs)").Value());
    return deferred.Promise();
  }
  vss::EventQuery query = GetEventQuery(info[0].As<Napi::Object>());
  const uint32_t timeoutMs = info[1].As<Napi::Number>().Uint32Value();
  return Start(env, "FollowEvents",
               [query, timeoutMs](ThreadState& state, vss::AsyncControl& control) -> ResultBuilder {
                 EnterThread(state);
                 std::vector<vss::EventRecord> events = state.backend->FollowEvents(query, timeoutMs, control);
                 return [events](Napi::Env env) -> Napi::Value { return ToJsArray(env, events); };
               },
               env.Undefined());
}

Napi::Value NativeSession::RestartService(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Validated in lib/restart.ts: { service, displayName, writerIds, timeoutMs }.
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(MakeError(env, "ERR_INVALID_ARG_TYPE", "restartService(request)").Value());
    return deferred.Promise();
  }
  vss::ServiceRestartRequest request = GetServiceRestartRequest(info[0].As<Napi::Object>());
  return Start(env, "RestartService",
               [request](ThreadState& state, vss::AsyncControl&) -> ResultBuilder {
                 EnterThread(state);
                 vss::ServiceRestartResult result = state.backend->RestartService(request);
                 return [result](Napi::Env env) -> Napi::Value { return ToJs(env, result); };
               },
               env.Undefined());
}

Napi::Value NativeSession::Cancel(const Napi::CallbackInfo& info) {
  if (control_) control_->RequestCancel();
  return Napi::Boolean::New(info.Env(), static_cast<bool>(control_));
}

Napi::Value NativeSession::Release(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Not releasing_->Promise(): that handle belonged to the first call's scope.
  if (releasing_) return releasePromise_.Value();
  releasing_ = Napi::Promise::Deferred::New(env);
  Napi::Promise promise = releasing_->Promise();
  releasePromise_ = Napi::Persistent(promise.As<Napi::Object>());
  if (released_) {
    releasing_->Resolve(env.Undefined());
    return promise;
  }
  released_ = true;
  if (control_) control_->RequestCancel();  // a running operation ends first, cancelled

  Ref();
  HoldLoop(env);
  CompletionQueue queue = completions_;
  std::shared_ptr<EnvGate> gate = gate_;
  NativeSession* self = this;
  std::shared_ptr<ThreadState> state = state_;
  thread_->Post([queue, gate, self, state]() mutable {
    ReleaseOnThread(*state);
    gate->Use([&] {
      queue.BlockingCall(new Completion([self](Napi::Env env) {
        self->DropLoop(env);
        self->releasing_->Resolve(env.Undefined());
        self->Unref();
      }));
    });
  });
  thread_->Stop();
  return promise;
}

// uv_ref/uv_unref are flags, not counts: with release() called while an operation
// runs, the operation's end would unref the loop while the release is still owed
// a completion, and Node could exit (code 13) with the release promise unsettled.
void NativeSession::HoldLoop(Napi::Env env) {
  if (loopHolds_++ == 0) completions_.Ref(env);
}

void NativeSession::DropLoop(Napi::Env env) {
  if (--loopHolds_ == 0) completions_.Unref(env);
}

Napi::Value NativeSession::GetBusy(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pending_.has_value());
}

Napi::Value NativeSession::GetReleased(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), released_);
}

}  // namespace vssnapi

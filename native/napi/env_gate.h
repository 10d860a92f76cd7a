// Whether this addon's JS environment (main thread or worker) still exists, as
// seen from session threads. Node deletes every thread-safe function when its
// environment is torn down, whatever threads still hold it; a session thread that
// touched one afterwards (its last Release, a late completion) used freed memory
// and aborted the process at exit. Session threads therefore reach the JS thread
// only through Use(), which runs nothing once the environment's cleanup hook has
// closed the gate, and which the hook waits for while it runs.
#pragma once
#include <napi.h>

#include <memory>
#include <mutex>

namespace vssnapi {

class EnvGate {
 public:
  // A gate that closes when `env` is torn down.
  static std::shared_ptr<EnvGate> Open(napi_env env) {
    auto gate = std::make_shared<EnvGate>();
    auto* held = new std::shared_ptr<EnvGate>(gate);
    napi_add_env_cleanup_hook(
        env,
        [](void* arg) {
          auto* holder = static_cast<std::shared_ptr<EnvGate>*>(arg);
          (*holder)->Close();
          delete holder;
        },
        held);
    return gate;
  }

  // Runs `action` if the environment still exists; returns whether it ran.
  template <typename Action>
  bool Use(Action&& action) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!open_) return false;
    action();
    return true;
  }

 private:
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = false;
  }

  std::mutex mutex_;
  bool open_ = true;
};

}  // namespace vssnapi

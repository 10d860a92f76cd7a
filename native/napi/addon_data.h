// Per-environment state (one per main thread or worker), so the addon is
// context-aware: nothing JS-related is kept in globals.
#pragma once
#include <napi.h>

#include <memory>

#include "env_gate.h"

namespace vssnapi {

struct AddonData {
  Napi::FunctionReference simulatedMachineConstructor;
  // Closed when this environment is torn down; session threads check it.
  std::shared_ptr<EnvGate> gate;
};

inline AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace vssnapi

// Per-environment state (one per main thread or worker), so the addon is
// context-aware: nothing JS-related is kept in globals.
#pragma once
#include <napi.h>

namespace vssnapi {

struct AddonData {
  Napi::FunctionReference simulatedMachineConstructor;
};

inline AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace vssnapi

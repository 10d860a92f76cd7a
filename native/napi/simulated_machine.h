// JS handle on a simulated machine (native/sim): built from a scenario, shared by
// every session created on it, changeable while they run.
#pragma once
#include <napi.h>

#include <memory>

#include "../sim/simulator.h"

namespace vssnapi {

class SimulatedMachine : public Napi::ObjectWrap<SimulatedMachine> {
 public:
  static Napi::Function Define(Napi::Env env);
  // The machine behind a JS value, or nullptr when it is not a SimulatedMachine.
  static std::shared_ptr<vss::sim::Machine> From(Napi::Env env, const Napi::Value& value);

  explicit SimulatedMachine(const Napi::CallbackInfo& info);  // (scenarioJson: string, stateFile?: string)

 private:
  Napi::Value Configure(const Napi::CallbackInfo& info);  // (patchJson: string)
  Napi::Value Describe(const Napi::CallbackInfo& info);   // → JSON string
  Napi::Value Restart(const Napi::CallbackInfo& info);    // RestartMachine: what a reboot keeps

  std::shared_ptr<vss::sim::Machine> machine_;
};

}  // namespace vssnapi

#include "simulated_machine.h"

#include "addon_data.h"
#include "errors.h"

namespace vssnapi {

Napi::Function SimulatedMachine::Define(Napi::Env env) {
  return DefineClass(env, "SimulatedMachine",
                     {InstanceMethod<&SimulatedMachine::Configure>("configure"),
                      InstanceMethod<&SimulatedMachine::Describe>("describe"),
                      InstanceMethod<&SimulatedMachine::Restart>("restart")});
}

std::shared_ptr<vss::sim::Machine> SimulatedMachine::From(Napi::Env env, const Napi::Value& value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object object = value.As<Napi::Object>();
  if (!object.InstanceOf(GetAddonData(env).simulatedMachineConstructor.Value())) return nullptr;
  return Unwrap(object)->machine_;
}

SimulatedMachine::SimulatedMachine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SimulatedMachine>(info) {
  std::string scenario = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  std::string stateFile = info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  Failure failure;
  if (!Capture(failure, "LoadScenario", [&] { machine_ = vss::sim::CreateMachine(scenario, stateFile); }))
    throw ToJsError(info.Env(), failure);
}

Napi::Value SimulatedMachine::Configure(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) throw MakeError(info.Env(), "ERR_INVALID_ARG_TYPE", "configure() takes a JSON string");
  std::string patch = info[0].As<Napi::String>().Utf8Value();
  Failure failure;
  if (!Capture(failure, "ConfigureMachine", [&] { vss::sim::ConfigureMachine(*machine_, patch); }))
    throw ToJsError(info.Env(), failure);
  return info.Env().Undefined();
}

Napi::Value SimulatedMachine::Restart(const Napi::CallbackInfo& info) {
  Failure failure;
  if (!Capture(failure, "RestartMachine", [&] { vss::sim::RestartMachine(*machine_); })) throw ToJsError(info.Env(), failure);
  return info.Env().Undefined();
}

Napi::Value SimulatedMachine::Describe(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), vss::sim::DescribeMachine(*machine_));
}

}  // namespace vssnapi

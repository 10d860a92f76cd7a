// Module entry: registers the classes and functions lib/native.ts loads.
#include <napi.h>

#include <mutex>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include "../core/hresult.h"
#include "../core/vocabulary.h"
#include "../sim/simulator.h"
#include "addon_data.h"
#include "native_session.h"
#include "operations.h"
#include "simulated_machine.h"
#include "process_info.h"
#include "stream_state.h"
#include "volume_names.h"
#include "xml_documents_json.h"

namespace vssnapi {
namespace {

Napi::Value BuiltInScenarios(const Napi::CallbackInfo& info) {
  std::vector<std::string> names = vss::sim::BuiltInScenarioNames();
  Napi::Array array = Napi::Array::New(info.Env(), names.size());
  for (size_t i = 0; i < names.size(); ++i) array.Set(static_cast<uint32_t>(i), names[i]);
  return array;
}

// The native layer's view of the shared HRESULT table, so a test can check that
// the TypeScript copy generated from the same source agrees with it.
Napi::Value HresultName(const Napi::CallbackInfo& info) {
  uint32_t value = info[0].As<Napi::Number>().Uint32Value();
  return Napi::String::New(info.Env(), vss::HresultName(value));
}

// The native layer's view of the vocabulary table, { WriterState: [[code, name,
// xmlName | null], ...], ... }, for the test that compares it with lib/vocabulary.generated.ts.
Napi::Value VocabularyTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  for (const vss::Term& term : vss::AllTerms()) {
    const char* id = vss::VocabularyName(term.vocabulary);
    if (!result.Has(id)) result.Set(id, Napi::Array::New(env));
    Napi::Array rows = result.Get(id).As<Napi::Array>();
    Napi::Array row = Napi::Array::New(env, 3);
    row.Set(0u, Napi::Number::New(env, term.code));
    row.Set(1u, term.name);
    row.Set(2u, *term.xmlName ? Napi::Value(Napi::String::New(env, term.xmlName)) : env.Null());
    rows.Set(rows.Length(), row);
  }
  return result;
}

// { saveAsXml: 'SaveAsXML', ... }: every operation NativeSession.call runs, with
// the COM method it stands for; lib/native.ts names them for timings and logs.
Napi::Object OperationList(Napi::Env env) {
  Napi::Object list = Napi::Object::New(env);
  for (const auto& [name, operation] : Operations()) list.Set(name, operation.comMethod);
  list.Freeze();
  return list;
}

// Session threads run addon code after a worker thread's environment is gone,
// and Node unloads an addon with the worker that loaded it: keep this module
// mapped for the life of the process so those threads never run unmapped code.
void PinModule() {
  // Workers may load the addon at the same time: pin once, from whichever comes first.
  static std::once_flag pinned;
  std::call_once(pinned, [] {
#ifdef _WIN32
    HMODULE self = nullptr;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       reinterpret_cast<LPCWSTR>(&PinModule), &self);
#else
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&PinModule), &info) != 0 && info.dli_fname != nullptr)
      dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE);  // the extra reference is never closed
#endif
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  PinModule();
  auto* data = new AddonData();
  env.SetInstanceData(data);
  data->gate = EnvGate::Open(env);
  Napi::Function machine = SimulatedMachine::Define(env);
  data->simulatedMachineConstructor = Napi::Persistent(machine);
  exports.Set("SimulatedMachine", machine);
  exports.Set("NativeSession", NativeSession::Define(env));
  exports.Set("builtInScenarios", Napi::Function::New<BuiltInScenarios>(env, "builtInScenarios"));
  exports.Set("volumeGuidPath", Napi::Function::New<VolumeGuidPath>(env, "volumeGuidPath"));
  exports.Set("volumePathNames", Napi::Function::New<VolumePathNames>(env, "volumePathNames"));
  exports.Set("volumeMountPoints", Napi::Function::New<VolumeMountPoints>(env, "volumeMountPoints"));
  exports.Set("processStartTime", Napi::Function::New<ProcessStartTime>(env, "processStartTime"));
  exports.Set("outputClosed", Napi::Function::New<OutputClosed>(env, "outputClosed"));
  exports.Set("operations", OperationList(env));
  exports.Set("vocabulary", Napi::Function::New<VocabularyTable>(env, "vocabulary"));
  exports.Set("hresultName", Napi::Function::New<HresultName>(env, "hresultName"));
  exports.Set("readXmlDocument", Napi::Function::New<ReadXmlDocument>(env, "readXmlDocument"));
#ifdef _WIN32
  exports.Set("hasComBackend", Napi::Boolean::New(env, true));
#else
  exports.Set("hasComBackend", Napi::Boolean::New(env, false));
#endif
  return exports;
}

}  // namespace
}  // namespace vssnapi

static Napi::Object InitVssNapi(Napi::Env env, Napi::Object exports) { return vssnapi::Init(env, exports); }

NODE_API_MODULE(vss_napi, InitVssNapi)

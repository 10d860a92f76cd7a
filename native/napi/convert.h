// Plain C++ VSS structs to JS values and back. Field names are the camelCase of the
// C++ fields; readable enum names are added by the TypeScript layer, which keeps
// the raw numbers this layer passes.
#pragma once
#include <napi.h>

#include <string>
#include <vector>

#include "../core/types.h"

namespace vssnapi {

// --- C++ → JS ---
Napi::Value ToJs(Napi::Env env, const vss::Guid& guid);
Napi::Object ToJs(Napi::Env env, const vss::WriterStatus& status);
Napi::Object ToJs(Napi::Env env, const vss::WriterMetadata& metadata);
Napi::Object ToJs(Napi::Env env, const vss::SnapshotProperties& snapshot);
Napi::Object ToJs(Napi::Env env, const vss::ProviderProperties& provider);
Napi::Object ToJs(Napi::Env env, const vss::WriterComponents& components);
Napi::Object ToJs(Napi::Env env, const vss::DiffArea& diffArea);
Napi::Object ToJs(Napi::Env env, const vss::DiffVolume& diffVolume);
Napi::Object ToJs(Napi::Env env, const vss::EventRecord& event);
// { sinceMs?, untilMs?, channels?, ids?, levels?, max? } (times in ms since 1970).
vss::EventQuery GetEventQuery(const Napi::Object& args);
vss::ServiceRestartRequest GetServiceRestartRequest(const Napi::Object& args);
Napi::Object ToJs(Napi::Env env, const vss::ServiceRestartResult& r);
Napi::Object ToJs(Napi::Env env, const vss::DeleteResult& result);
Napi::Object ToJs(Napi::Env env, const vss::RootAndLogicalPrefix& paths);

template <typename T>
Napi::Array ToJsArray(Napi::Env env, const std::vector<T>& items) {
  Napi::Array array = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); ++i) array.Set(static_cast<uint32_t>(i), ToJs(env, items[i]));
  return array;
}

// --- JS → C++ (argument objects are validated by the TypeScript layer; these
// still throw a TypeError naming the field rather than trusting it) ---
std::string GetString(const Napi::Object& args, const char* field);
std::string GetOptionalString(const Napi::Object& args, const char* field, const std::string& fallback = {});
bool GetBool(const Napi::Object& args, const char* field, bool fallback);
int32_t GetInt32(const Napi::Object& args, const char* field);
vss::Guid GetGuid(const Napi::Object& args, const char* field);
vss::Guid GetOptionalGuid(const Napi::Object& args, const char* field);
std::vector<vss::Guid> GetGuidList(const Napi::Object& args, const char* field);
vss::ComponentRef GetComponentRef(const Napi::Object& args, const char* field);

}  // namespace vssnapi

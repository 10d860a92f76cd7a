// Turning backend failures into JS errors the TypeScript layer can type.
#pragma once
#include <napi.h>

#include <string>

namespace vssnapi {

// What a failed operation carries from the session thread to the JS thread.
struct Failure {
  uint32_t hresult = 0;
  std::string operation;
  std::string detail;
  std::string message;
  std::string code;  // set for failures that are not HRESULTs (ERR_VSS_*)
};

// An Error with `hresult`, `operation`, `detail` and `code` set; lib/errors.ts wraps it.
Napi::Error ToJsError(Napi::Env env, const Failure& failure);
// Runs `body`, turning a vss::VssException or std::exception into a Failure.
template <typename Body>
bool Capture(Failure& failure, const std::string& operation, Body&& body);
Napi::Error MakeError(Napi::Env env, const std::string& code, const std::string& message);

}  // namespace vssnapi

#include "errors_inl.h"

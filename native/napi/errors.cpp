#include "errors.h"

#include "../core/hresult.h"

namespace vssnapi {

Napi::Error MakeError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", code);
  return error;
}

Napi::Error ToJsError(Napi::Env env, const Failure& failure) {
  Napi::Error error = Napi::Error::New(env, failure.message);
  if (failure.code.empty()) {
    error.Set("code", vss::HresultName(failure.hresult));
    error.Set("hresult", Napi::Number::New(env, failure.hresult));
  } else {
    error.Set("code", failure.code);
  }
  error.Set("operation", failure.operation);
  error.Set("detail", failure.detail);
  return error;
}

}  // namespace vssnapi

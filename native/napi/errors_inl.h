#pragma once
#include "../core/error.h"

namespace vssnapi {

template <typename Body>
bool Capture(Failure& failure, const std::string& operation, Body&& body) {
  try {
    body();
    return true;
  } catch (const vss::VssException& e) {
    failure.hresult = e.hresult();
    failure.operation = e.operation();
    failure.detail = e.detail();
    failure.message = e.what();
  } catch (const vss::UnsupportedPlatformException& e) {
    failure.code = "ERR_VSS_UNSUPPORTED_PLATFORM";
    failure.operation = operation;
    failure.message = e.what();
  } catch (const std::bad_alloc&) {
    failure.hresult = vss::hr::kOutOfMemory;
    failure.operation = operation;
    failure.message = operation + " failed: out of memory";
  } catch (const std::exception& e) {
    failure.code = "ERR_VSS_INTERNAL";
    failure.operation = operation;
    failure.message = operation + " failed: " + e.what();
  } catch (...) {
    failure.code = "ERR_VSS_INTERNAL";
    failure.operation = operation;
    failure.message = operation + " failed with an unknown C++ exception";
  }
  return false;
}

}  // namespace vssnapi

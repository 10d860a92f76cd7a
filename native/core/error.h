// The one exception type the backends throw: an HRESULT, the VSS/COM operation
// that returned it, and optional context (a writer, a detail message).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

#include "hresult.h"

namespace vss {

class VssException : public std::runtime_error {
 public:
  VssException(uint32_t hresult, std::string operation, std::string detail = {})
      : std::runtime_error(Describe(hresult, operation, detail)),
        hresult_(hresult),
        operation_(std::move(operation)),
        detail_(std::move(detail)) {}

  uint32_t hresult() const { return hresult_; }
  const std::string& operation() const { return operation_; }
  const std::string& detail() const { return detail_; }
  std::string name() const { return HresultName(hresult_); }

 private:
  static std::string Describe(uint32_t hresult, const std::string& operation, const std::string& detail) {
    std::string text = operation + " failed with " + HresultName(hresult);
    const char* meaning = HresultMeaning(hresult);
    if (*meaning) text += std::string(": ") + meaning;
    if (!detail.empty()) text += " (" + detail + ")";
    return text;
  }

  uint32_t hresult_;
  std::string operation_;
  std::string detail_;
};

// VSS cannot run in this process at all (a 32-bit process on 64-bit Windows):
// reported as ERR_VSS_UNSUPPORTED_PLATFORM, before any VSS call is made.
class UnsupportedPlatformException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws unless the HRESULT is a success code.
inline void ThrowIfFailed(uint32_t hresult, const char* operation, const std::string& detail = {}) {
  if (Failed(hresult)) throw VssException(hresult, operation, detail);
}

}  // namespace vss

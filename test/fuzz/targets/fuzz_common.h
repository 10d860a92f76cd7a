// Shared by the libFuzzer targets: what counts as a bug. The engine reports bad
// input by throwing VssException (the N-API layer turns it into a typed JS error);
// the low-level parsers throw JsonError / std::runtime_error as documented. Any
// other exception would reach JS as an untyped error, so it is a finding too.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

#include "../../../native/core/error.h"

namespace fuzz {

template <typename Body>
void ExpectOnlyDocumentedErrors(const char* target, Body body, bool runtimeErrorsAllowed = false) {
  try {
    body();
  } catch (const vss::VssException&) {
  } catch (const std::runtime_error& e) {
    if (!runtimeErrorsAllowed) {
      std::fprintf(stderr, "%s: undocumented std::runtime_error: %s\n", target, e.what());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: undocumented exception: %s\n", target, e.what());
    std::abort();
  }
}

}  // namespace fuzz

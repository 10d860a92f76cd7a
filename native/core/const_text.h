// String equality usable in constant expressions (C++17 has no constexpr strcmp),
// for looking names up in the generated tables at compile time.
#pragma once

namespace vss {

constexpr bool SameText(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

}  // namespace vss

// A GUID in the memory layout of Windows' GUID, so the COM code can copy it
// across without conversion, and its canonical text form (lowercase, no braces).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace vss {

struct Guid {
  uint32_t data1 = 0;
  uint16_t data2 = 0;
  uint16_t data3 = 0;
  std::array<uint8_t, 8> data4{};

  bool IsNull() const;
  // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase, no braces.
  std::string ToString() const;
  // Accepts the canonical form with or without braces, any case.
  static std::optional<Guid> Parse(const std::string& text);
  // Deterministic GUID derived from a seed string (simulation ids must be
  // reproducible across runs and across the Linux and Wine builds).
  static Guid FromSeed(const std::string& seed);

  friend bool operator==(const Guid& a, const Guid& b) {
    return a.data1 == b.data1 && a.data2 == b.data2 && a.data3 == b.data3 && a.data4 == b.data4;
  }
  friend bool operator!=(const Guid& a, const Guid& b) { return !(a == b); }
  friend bool operator<(const Guid& a, const Guid& b) { return a.ToString() < b.ToString(); }
};

static_assert(sizeof(Guid) == 16, "Guid must match the layout of Windows' GUID");

}  // namespace vss

// GUID and enum conversions between the plain C++ types and the Windows ones.
#pragma once
#include <windows.h>

#include <cstring>

#include "../core/guid.h"

namespace vss {
namespace com {

inline GUID ToGuid(const Guid& g) {
  GUID out;
  std::memcpy(&out, &g, sizeof out);
  return out;
}

inline Guid FromGuid(const GUID& g) {
  Guid out;
  out.data1 = g.Data1;
  out.data2 = g.Data2;
  out.data3 = g.Data3;
  std::memcpy(out.data4.data(), g.Data4, sizeof g.Data4);
  return out;
}

}  // namespace com
}  // namespace vss

#include "guid.h"

#include <cstdio>

namespace vss {

bool Guid::IsNull() const { return *this == Guid{}; }

std::string Guid::ToString() const {
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", data1, data2, data3,
                data4[0], data4[1], data4[2], data4[3], data4[4], data4[5], data4[6], data4[7]);
  return buf;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<Guid> Guid::Parse(const std::string& input) {
  std::string text = input;
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  uint8_t bytes[16];
  size_t byteIndex = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[byteIndex++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  Guid g;
  g.data1 = (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) | bytes[3];
  g.data2 = static_cast<uint16_t>((bytes[4] << 8) | bytes[5]);
  g.data3 = static_cast<uint16_t>((bytes[6] << 8) | bytes[7]);
  for (int i = 0; i < 8; ++i) g.data4[i] = bytes[8 + i];
  return g;
}

Guid Guid::FromSeed(const std::string& seed) {
  // Two FNV-1a passes with different offsets give 128 well-mixed bits.
  uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull * 7919ull;
  for (unsigned char c : seed) {
    h1 = (h1 ^ c) * 1099511628211ull;
    h2 = (h2 ^ c) * 1099511628211ull + 0x9e3779b97f4a7c15ull;
  }
  Guid g;
  g.data1 = static_cast<uint32_t>(h1 >> 32);
  g.data2 = static_cast<uint16_t>(h1 >> 16);
  // Version 4 and RFC 4122 variant bits, so the ids look like real ones.
  g.data3 = static_cast<uint16_t>((h1 & 0x0fff) | 0x4000);
  for (int i = 0; i < 8; ++i) g.data4[i] = static_cast<uint8_t>(h2 >> (8 * i));
  g.data4[0] = static_cast<uint8_t>((g.data4[0] & 0x3f) | 0x80);
  return g;
}

}  // namespace vss

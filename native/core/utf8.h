// Appending one Unicode code point as UTF-8: the JSON reader's \u escapes and the
// XML reader's character references both produce code points.
#pragma once
#include <cstdint>
#include <string>

namespace vss {

// Into a buffer with room for four bytes; returns the end of what it wrote.
inline char* WriteUtf8(char* out, uint32_t codePoint) {
  if (codePoint < 0x80) {
    *out++ = static_cast<char>(codePoint);
  } else if (codePoint < 0x800) {
    *out++ = static_cast<char>(0xC0 | (codePoint >> 6));
    *out++ = static_cast<char>(0x80 | (codePoint & 0x3F));
  } else if (codePoint < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (codePoint >> 12));
    *out++ = static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (codePoint & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (codePoint >> 18));
    *out++ = static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (codePoint & 0x3F));
  }
  return out;
}

inline void AppendUtf8(std::string& out, uint32_t codePoint) {
  char bytes[4];
  out.append(bytes, static_cast<size_t>(WriteUtf8(bytes, codePoint) - bytes));
}

}  // namespace vss

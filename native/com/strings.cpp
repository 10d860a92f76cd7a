#include <cstdint>
#include <cstring>
#include <cwchar>

#include "../core/utf8.h"
#include "bstr.h"

namespace vss {
namespace com {

// Hand-written for well-formed text, which is all VSS hands out in practice: a writer's
// metadata document is one string of millions of characters, and Wine's conversion
// functions take tens of milliseconds for one. Anything not well-formed (a lone surrogate,
// an invalid UTF-8 sequence) goes through the Windows functions, so their replacement
// rules stay the ones that apply.
namespace {

// The Windows conversions, for text that is not well-formed: their replacement rules apply.
std::string WindowsUtf8(const wchar_t* text) {
  int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  if (size <= 1) return {};
  std::string out(static_cast<size_t>(size - 1), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, &out[0], size, nullptr, nullptr);
  return out;
}

std::wstring WindowsWide(const std::string& utf8) {
  int size = MultiByteToWideChar(CP_UTF8, 0, utf8.c_str(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(size), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.c_str(), static_cast<int>(utf8.size()), &out[0], size);
  return out;
}

}  // namespace

static_assert(sizeof(wchar_t) == 2, "UTF-16 wchar_t (Windows)");

std::string Utf8(const wchar_t* text) {
  if (!text || !*text) return {};
  const size_t length = std::wcslen(text);
  // A writer's document is millions of characters, nearly always all ASCII: they are copied
  // four at a time (one 64-bit test for all four below 0x80) into a string of one byte per
  // character, which is then exactly sized. From the first other character on, two passes:
  // the exact UTF-8 length of the rest first (growing the string character by character,
  // or reserving three bytes per character, cost more than the conversion itself under
  // Wine's heap), then the bytes.
  std::string ascii(length, '\0');
  size_t start = 0;
  for (; start + 4 <= length; start += 4) {
    uint64_t four;
    std::memcpy(&four, text + start, sizeof four);
    if (four & 0xFF80FF80FF80FF80ull) break;
    ascii[start] = static_cast<char>(four);
    ascii[start + 1] = static_cast<char>(four >> 16);
    ascii[start + 2] = static_cast<char>(four >> 32);
    ascii[start + 3] = static_cast<char>(four >> 48);
  }
  for (; start < length && static_cast<uint16_t>(text[start]) < 0x80; ++start) ascii[start] = static_cast<char>(text[start]);
  if (start == length) return ascii;
  size_t bytes = start;
  for (size_t i = start; i < length; ++i) {
    const uint32_t c = static_cast<uint16_t>(text[i]);
    if (c < 0x80) {
      ++bytes;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      const uint32_t low = i + 1 < length ? static_cast<uint16_t>(text[i + 1]) : 0;
      if (c > 0xDBFF || low < 0xDC00 || low > 0xDFFF) return WindowsUtf8(text);  // a lone surrogate
      bytes += 4;
      ++i;
    } else {
      bytes += 3;
    }
  }
  std::string out = std::move(ascii);
  out.resize(bytes);
  char* o = &out[start];
  for (size_t i = start; i < length; ++i) {
    uint32_t c = static_cast<uint16_t>(text[i]);
    if (c < 0x80) {
      *o++ = static_cast<char>(c);
      continue;
    }
    if (c >= 0xD800 && c <= 0xDBFF) {  // a pair, checked above
      c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<uint16_t>(text[i + 1]) - 0xDC00);
      ++i;
    }
    o = WriteUtf8(o, c);
  }
  return out;
}

std::wstring Wide(const std::string& utf8) {
  if (utf8.empty()) return {};
  std::wstring out(utf8.size(), L'\0');
  wchar_t* o = &out[0];
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  const size_t n = utf8.size();
  bool wellFormed = true;
  for (size_t i = 0; i < n && wellFormed;) {
    const unsigned char b = s[i];
    auto cont = [&](size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
    if (b < 0x80) {
      *o++ = static_cast<wchar_t>(b);
      ++i;
    } else if (b >= 0xC2 && b <= 0xDF && cont(1)) {
      *o++ = static_cast<wchar_t>(((b & 0x1F) << 6) | (s[i + 1] & 0x3F));
      i += 2;
    } else if (b >= 0xE0 && b <= 0xEF && cont(1) && cont(2)) {
      const uint32_t cp = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      wellFormed = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
      *o++ = static_cast<wchar_t>(cp);
      i += 3;
    } else if (b >= 0xF0 && b <= 0xF4 && cont(1) && cont(2) && cont(3)) {
      const uint32_t cp = ((b & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
      wellFormed = cp >= 0x10000 && cp <= 0x10FFFF;
      *o++ = static_cast<wchar_t>(0xD800 + ((cp - 0x10000) >> 10));
      *o++ = static_cast<wchar_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
      i += 4;
    } else {
      wellFormed = false;
    }
  }
  if (wellFormed) {
    out.resize(static_cast<size_t>(o - out.data()));
    return out;
  }
  return WindowsWide(utf8);
}

}  // namespace com
}  // namespace vss

#include "string_pieces.h"

#include <cstdint>
#include <cstring>

namespace vssnapi {

Napi::Array TextPieces(Napi::Env env, std::string_view text) {
  Napi::Array pieces = Napi::Array::New(env);
  uint32_t n = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.size();
    if (end - at > kStringPieceBytes) {
      end = at + kStringPieceBytes;
      // Back off continuation bytes (10xxxxxx) to the start of the sequence they belong to.
      while (end > at && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
      if (end == at) end = at + kStringPieceBytes;  // not UTF-8 at all: V8 replaces it either way
    }
    pieces.Set(n++, Napi::String::New(env, text.data() + at, end - at));
    at = end;
  }
  return pieces;
}

Napi::Array PackedStringPieces(Napi::Env env, std::string_view strings, size_t count) {
  Napi::Array pieces = Napi::Array::New(env);
  if (count == 0) return pieces;
  uint32_t n = 0;
  size_t start = 0;
  size_t separators = 0;  // NULs since `start`: every third one ends a file
  const char* data = strings.data();
  size_t at = 0;
  while (at < strings.size()) {
    const void* found = std::memchr(data + at, '\0', strings.size() - at);
    if (!found) break;
    const size_t nul = static_cast<const char*>(found) - data;
    at = nul + 1;
    if (++separators % 3 != 0 || nul - start < kStringPieceBytes) continue;
    pieces.Set(n++, Napi::String::New(env, data + start, nul - start));
    start = at;
    separators = 0;
  }
  pieces.Set(n, Napi::String::New(env, data + start, strings.size() - start));
  return pieces;
}

}  // namespace vssnapi

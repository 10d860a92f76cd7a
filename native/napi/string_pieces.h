// Long text handed to JavaScript as pieces that V8 keeps in its young generation.
//
// V8 gives every string above its regular object size (128 KiB of payload) a large-object
// page of its own, mapped fresh for that string and unmapped when it dies, so each one
// costs a page fault per 4 KiB on first write. On the machines we measure (BENCHMARKS.md,
// "JS side: long strings in pieces", 5 Dec) that is about 3 ms per MiB, under Wine and on
// Linux alike: a 2.1 MiB string took 4.3-7 ms, the same text as 64 KiB pieces 0.2-0.3 ms.
// lib/ joins the pieces with `+` (a rope: no copy until the text is first read) or splits
// each piece on its own; it never calls Array.prototype.join, which would flatten them.
#pragma once
#include <napi.h>

#include <string_view>

namespace vssnapi {

// Bytes per piece: well under V8's 128 KiB, so a piece (one byte per ASCII character,
// two per UTF-16 unit otherwise) never becomes a large object.
constexpr size_t kStringPieceBytes = 48 * 1024;

// UTF-8 `text` as an array of strings whose concatenation is `text`. No piece ends inside
// a UTF-8 sequence (a surrogate pair stays in one piece). An empty text gives [].
Napi::Array TextPieces(Napi::Env env, std::string_view text);

// A packed file list's strings (packed_files.h: three NUL-separated parts per file, files
// NUL-separated too) as pieces that each hold whole files: each piece splits on NUL into
// a multiple of three parts. `count` is the number of files; zero files give [].
Napi::Array PackedStringPieces(Napi::Env env, std::string_view strings, size_t count);

}  // namespace vssnapi

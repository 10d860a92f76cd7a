// A file list in the form it crosses to JavaScript: one string (path, filespec and alternate
// path of each file, NUL separated) and two numbers per file (backup type mask; 1 when
// recursive), which lib/metadata-convert.ts unpacks. The System Writer's 19,000 files as
// N-API objects cost about three times JSON.parse of the same result (BENCHMARKS.md); as
// 19,000 x 3 std::strings first, each a heap allocation and a free (slow under Wine's heap),
// they cost the COM route a copy it does not need: the COM route packs the reader's views
// straight into this form on the session thread.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace vss {

struct PackedFiles {
  uint32_t count = 0;
  std::string strings;
  std::vector<uint32_t> numbers;  // per file: backup type mask, then 1 if recursive
};

// A writer's file lists, packed, in WriterMetadata's order.
struct PackedFileLists {
  PackedFiles includeFiles, excludeFiles, excludeFromSnapshot, alternateLocationMappings;
  struct OfComponent {
    PackedFiles files, databaseFiles, logFiles;
  };
  std::vector<OfComponent> components;  // one per WriterMetadata::components entry
};

// Packs `files` (FileDescriptor or xml::FileView: path, filespec, alternatePath, recursive,
// backupTypeMask). False when a string holds a NUL, which the packing cannot carry (the
// caller then hands the list over another way); `out` is then unspecified.
template <typename File>
bool PackFiles(const std::vector<File>& files, PackedFiles& out) {
  size_t length = 0;
  for (const File& f : files)
    length += std::string_view(f.path).size() + std::string_view(f.filespec).size() + std::string_view(f.alternatePath).size() + 3;
  out.count = static_cast<uint32_t>(files.size());
  // Sized once and written through a pointer: no growth checks per append.
  out.strings.resize(length > 0 ? length - 1 : 0);
  out.numbers.resize(files.size() * 2);
  char* at = out.strings.data();
  for (size_t i = 0; i < files.size(); ++i) {
    const File& f = files[i];
    const std::string_view parts[] = {f.path, f.filespec, f.alternatePath};
    for (size_t p = 0; p < 3; ++p) {
      const std::string_view part = parts[p];
      if (!part.empty()) {
        if (std::memchr(part.data(), '\0', part.size())) return false;
        std::memcpy(at, part.data(), part.size());
        at += part.size();
      }
      if (i + 1 < files.size() || p < 2) *at++ = '\0';
    }
    out.numbers[i * 2] = f.backupTypeMask;
    out.numbers[i * 2 + 1] = f.recursive ? 1u : 0u;
  }
  return true;
}

}  // namespace vss

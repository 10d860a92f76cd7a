// The Windows addon's global operator new and delete: large blocks are kept for reuse.
//
// Why: the Windows heap hands a block of more than about half a megabyte straight from
// VirtualAlloc and gives it back to the system when freed, so every such block a call
// allocates is fresh pages, each faulted in on first touch. A writer's metadata takes
// several (the UTF-8 copy of a 2.1 MiB document, the packed file lists, their copies on
// the way to JavaScript) at every getWriterMetadata. Measured under Wine on the project's
// machine (mingw-w64 malloc, CPU time, least of 30): allocating, filling and freeing 2 MiB
// 6.3 ms, filling a kept 2 MiB block 0.07 ms; glibc keeps freed large blocks (its mmap
// threshold adapts), which is why the same code on Linux did not show it (BENCHMARKS.md).
// Whether real Windows' page faults are as dear is not measured; its heap frees large
// blocks the same way (HeapFree of a VirtualAlloc'ed block, inferred from Wine's heap).
//
// How: every block carries a 16-byte header with its usable size. A freed block of at least
// kLarge bytes is kept (at most kKept blocks, kKeptBytes in all; past that the block is
// freed); a large allocation takes the smallest kept block that fits and is not more than
// twice the request. Small blocks go to malloc and free as before.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

namespace {

constexpr size_t kHeader = 16;  // keeps malloc's 16-byte alignment for the caller
constexpr size_t kLarge = 256u << 10;
constexpr size_t kGranule = 64u << 10;  // large sizes round up to this: a document a few bytes longer reuses the block
constexpr int kKept = 8;
constexpr size_t kKeptBytes = 96u << 20;

struct Kept {
  std::mutex mutex;
  void* blocks[kKept] = {};
  size_t sizes[kKept] = {};
  size_t total = 0;
};

Kept& kept() {
  static Kept* k = new Kept();  // never destroyed: delete may run after static destructors
  return *k;
}

void* Allocate(size_t size) {
  size_t usable = size;
  if (size >= kLarge) {
    usable = (size + kGranule - 1) / kGranule * kGranule;
    Kept& k = kept();
    std::lock_guard<std::mutex> lock(k.mutex);
    int best = -1;
    for (int i = 0; i < kKept; ++i)
      if (k.blocks[i] && k.sizes[i] >= size && k.sizes[i] <= 2 * usable && (best < 0 || k.sizes[i] < k.sizes[best])) best = i;
    if (best >= 0) {
      char* block = static_cast<char*>(k.blocks[best]);
      k.blocks[best] = nullptr;
      k.total -= k.sizes[best];
      return block + kHeader;
    }
  }
  if (usable > SIZE_MAX - kHeader) return nullptr;
  char* block = static_cast<char*>(std::malloc(usable + kHeader));
  if (!block) return nullptr;
  *reinterpret_cast<size_t*>(block) = usable;
  return block + kHeader;
}

void Release(void* p) {
  if (!p) return;
  char* block = static_cast<char*>(p) - kHeader;
  const size_t usable = *reinterpret_cast<size_t*>(block);
  if (usable >= kLarge) {
    Kept& k = kept();
    std::lock_guard<std::mutex> lock(k.mutex);
    if (usable <= kKeptBytes) {
      // Make room: drop the smallest kept blocks until this one fits the budget.
      while (k.total + usable > kKeptBytes) {
        int smallest = -1;
        for (int i = 0; i < kKept; ++i)
          if (k.blocks[i] && (smallest < 0 || k.sizes[i] < k.sizes[smallest])) smallest = i;
        if (smallest < 0) break;
        std::free(k.blocks[smallest]);
        k.blocks[smallest] = nullptr;
        k.total -= k.sizes[smallest];
      }
      int slot = -1;
      for (int i = 0; i < kKept && slot < 0; ++i)
        if (!k.blocks[i]) slot = i;
      if (slot < 0) {  // all slots taken: replace the smallest if this one is larger
        for (int i = 0; i < kKept; ++i)
          if (slot < 0 || k.sizes[i] < k.sizes[slot]) slot = i;
        if (k.sizes[slot] >= usable) slot = -1;
        else {
          std::free(k.blocks[slot]);
          k.total -= k.sizes[slot];
          k.blocks[slot] = nullptr;
        }
      }
      if (slot >= 0 && k.total + usable <= kKeptBytes) {
        k.blocks[slot] = block;
        k.sizes[slot] = usable;
        k.total += usable;
        return;
      }
    }
  }
  std::free(block);
}

void* AllocateOrThrow(size_t size) {
  for (;;) {
    if (void* p = Allocate(size == 0 ? 1 : size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

// Every non-aligned form, so that no block reaches Release without its header (libstdc++'s
// own nothrow forms may call malloc directly).
void* operator new(size_t size) { return AllocateOrThrow(size); }
void* operator new[](size_t size) { return AllocateOrThrow(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  try {
    return AllocateOrThrow(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  try {
    return AllocateOrThrow(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, size_t) noexcept { Release(p); }
void operator delete[](void* p, size_t) noexcept { Release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Release(p); }

// Whether the reader of one of our output streams went away: `vss events --follow | head -1`
// writes nothing until the next event, so Node would only learn of the closed pipe (EPIPE)
// then; the command asks instead, and ends at once.
#pragma once
#include <napi.h>

namespace vssnapi {

// outputClosed(fd: number): true when nobody can read what is written to `fd` any more
// (the read end of its pipe closed, its socket's peer or its terminal hung up), false when
// it seems open, null when this system cannot tell (Windows: a pipe's write end does not
// report its reader closing; a write is the only way to learn it).
Napi::Value OutputClosed(const Napi::CallbackInfo& info);

}  // namespace vssnapi

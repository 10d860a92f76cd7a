#include "stream_state.h"

#ifndef _WIN32
#include <poll.h>
#endif

namespace vssnapi {

Napi::Value OutputClosed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return env.Null();
  const double fd = info[0].As<Napi::Number>().DoubleValue();
  if (!(fd >= 0 && fd <= 65535) || fd != static_cast<double>(static_cast<int>(fd))) return env.Null();
#ifdef _WIN32
  return env.Null();
#else
  // poll(2) always reports POLLERR and POLLHUP, asked or not: POLLERR "is also set for a file
  // descriptor referring to the write end of a pipe when the read end has been closed"; a
  // socket whose peer closed and a terminal that hung up give POLLHUP. A 0 timeout: never waits.
  pollfd p{static_cast<int>(fd), 0, 0};
  if (poll(&p, 1, 0) < 0) return env.Null();
  if (p.revents & POLLNVAL) return env.Null();  // not an open descriptor: nothing to tell
  return Napi::Boolean::New(env, (p.revents & (POLLERR | POLLHUP)) != 0);
#endif
}

}  // namespace vssnapi

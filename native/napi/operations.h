// The table of session operations JS can run: each entry reads its arguments on
// the JS thread and returns the work to run on the session thread; that work
// returns a closure that builds the JS result back on the JS thread.
#pragma once
#include <napi.h>

#include <functional>
#include <string>

#include "../core/backend.h"

namespace vssnapi {

using ResultBuilder = std::function<Napi::Value(Napi::Env)>;
using SessionWork = std::function<ResultBuilder(vss::Session&, vss::AsyncControl&)>;
using WorkFactory = std::function<SessionWork(const Napi::Object& args)>;

// nullptr when no operation has that name.
const WorkFactory* FindOperation(const std::string& name);

}  // namespace vssnapi

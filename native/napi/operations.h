// The table of session operations JS can run: each entry reads its arguments on
// the JS thread and returns the work to run on the session thread; that work
// returns a closure that builds the JS result back on the JS thread.
#pragma once
#include <napi.h>

#include <functional>
#include <map>
#include <string>

#include "../core/backend.h"

namespace vssnapi {

using ResultBuilder = std::function<Napi::Value(Napi::Env)>;
using SessionWork = std::function<ResultBuilder(vss::Session&, vss::AsyncControl&)>;
using WorkFactory = std::function<SessionWork(const Napi::Object& args)>;

// One entry of the table: the COM method it stands for (IVssBackupComponents::
// SaveAsXML for "saveAsXml"), named in errors, progress and timings, and how to
// read its arguments. lib/native.ts declares the same names with their types;
// test/operations.test.ts compares the two lists.
struct Operation {
  std::string comMethod;
  WorkFactory factory;
};

// nullptr when no operation has that name.
const Operation* FindOperation(const std::string& name);

// Every operation by its JS name.
const std::map<std::string, Operation>& Operations();

}  // namespace vssnapi

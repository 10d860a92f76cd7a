// When a process started: with its id, it tells a live process from a later one that
// reused the id (the leak journal's test for "the process that made this set is gone").
#pragma once
#include <napi.h>

namespace vssnapi {

// processStartTime(pid: number): an opaque string that is the same for the same process
// and differs for a later process with the same id (Windows: GetProcessTimes' creation
// time in 100 ns ticks; Linux: the boot time and /proc/<pid>/stat's start time in clock
// ticks), or null when there is no such process or it cannot be read.
Napi::Value ProcessStartTime(const Napi::CallbackInfo& info);

}  // namespace vssnapi

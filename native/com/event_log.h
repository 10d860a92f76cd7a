// The Windows Event Log API (wevtapi.dll, loaded from System32 only, like
// vssapi.dll): reads the VSS-related records of the machine's event logs.
#pragma once
#include <vector>

#include "../core/types.h"

namespace vss {
namespace com {

// EvtQuery on each channel of `query` (a channel that does not exist, such as the
// Hyper-V ones on a machine without Hyper-V, is skipped), EvtNext, EvtRender for the
// system properties and the event data, EvtFormatMessage for the message in the
// system's language. Oldest first; the newest `query.max` when set.
std::vector<EventRecord> ReadEventLog(const EventQuery& query);

}  // namespace com
}  // namespace vss

// The Windows Event Log API (wevtapi.dll, loaded from System32 only, like
// vssapi.dll): reads the VSS-related records of the machine's event logs.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "../core/async_control.h"
#include "../core/types.h"

namespace vss {
namespace com {

// EvtQuery on each channel of `query` (a channel that does not exist, such as the
// Hyper-V ones on a machine without Hyper-V, is skipped), EvtNext, EvtRender for the
// system properties and the event data, EvtFormatMessage for the message in the
// system's language. Oldest first; the newest `query.max` when set.
std::vector<EventRecord> ReadEventLog(const EventQuery& query);

// Follows the log from now on: EvtSubscribe (pull model, EvtSubscribeToFutureEvents)
// on each channel of the query; Next drains the subscriptions with EvtNext and waits
// on their signal events for up to timeoutMs (or until cancelled).
class EventFollower {
 public:
  explicit EventFollower(const EventQuery& query);
  ~EventFollower();
  EventFollower(const EventFollower&) = delete;
  EventFollower& operator=(const EventFollower&) = delete;
  std::vector<EventRecord> Next(uint32_t timeoutMs, AsyncControl& control);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace com
}  // namespace vss

// Which Service Control Manager events count as VSS-related: 7023 "The %1 service terminated with
// the following error", 7031 "... terminated unexpectedly ... corrective action" and 7034 "...
// terminated unexpectedly. It has done this %2 time(s)." (services.exe message table), for the
// services lib/services.ts lists (vssRelatedServices, passed in EventQuery::services). SCM logs
// them for every service of the machine with param1 the service's display name in the system's
// language, so the channel is queried by id and the service is matched here, on the key, the
// English display name or (Windows) the localized display name the backend looks up.
#pragma once
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "types.h"

namespace vss {

inline constexpr const char* kServiceControlManager = "Service Control Manager";
inline constexpr uint32_t kServiceEventIds[] = {7023, 7031, 7034};

inline bool SameTextIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// SCM's 7023/7031/7034: the events filtered by service.
inline bool IsServiceEvent(const EventRecord& e) {
  if (!SameTextIgnoringCase(e.provider, kServiceControlManager)) return false;
  return std::find(std::begin(kServiceEventIds), std::end(kServiceEventIds), e.eventId) != std::end(kServiceEventIds);
}

// The names an event's service may carry: each service's key and English display name.
inline std::vector<std::string> ServiceNames(const EventQuery& q) {
  std::vector<std::string> names;
  for (const auto& s : q.services) {
    names.push_back(s.first);
    names.push_back(s.second);
  }
  return names;
}

// Whether the event's service (param1) is one of `names`; an event without a param1 is matched
// on its text ("The <name> service ...").
inline bool NamesOneOf(const EventRecord& e, const std::vector<std::string>& names) {
  const auto param1 = std::find_if(e.data.begin(), e.data.end(), [](const auto& d) { return d.first == "param1"; });
  for (const std::string& name : names) {
    if (name.empty()) continue;
    if (param1 != e.data.end() ? SameTextIgnoringCase(param1->second, name) : e.message.find("The " + name + " service ") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace vss

#include "service_dependents.h"

#include <functional>

namespace vss {

bool SameServiceName(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c; };
    if (lower(static_cast<unsigned char>(a[i])) != lower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::vector<std::string> ActiveDependentsInStopOrder(const std::string& service, const std::vector<ServiceDependency>& services) {
  std::vector<std::string> order;
  std::vector<bool> visited(services.size(), false);
  // Depth first: a dependent's own dependents are listed before it (post-order).
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    for (size_t i = 0; i < services.size(); ++i) {
      if (visited[i]) continue;
      bool depends = false;
      for (const std::string& d : services[i].dependsOn) depends = depends || SameServiceName(d, name);
      if (!depends || SameServiceName(services[i].name, service)) continue;
      visited[i] = true;
      visit(services[i].name);
      if (services[i].active) order.push_back(services[i].name);
    }
  };
  visit(service);
  return order;
}

}  // namespace vss

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

bool DependsOn(const ServiceDependency& dependent, const std::string& name, const std::string& group) {
  for (const std::string& d : dependent.dependsOn) {
    if (!d.empty() && d[0] == '+') {
      if (!group.empty() && SameServiceName(d.substr(1), group)) return true;
    } else if (SameServiceName(d, name)) {
      return true;
    }
  }
  return false;
}

namespace {

std::string GroupOf(const std::string& name, const std::vector<ServiceDependency>& services) {
  for (const ServiceDependency& s : services)
    if (SameServiceName(s.name, name)) return s.group;
  return std::string();
}

// Every service that depends on `service`, depth first: a dependent's own dependents are
// visited (and `emit`ted) before it (post-order). `skipSelf` leaves `service` out where
// a cycle leads back to it.
void VisitDependents(const std::string& service, const std::vector<ServiceDependency>& services, bool skipSelf,
                     const std::function<void(const ServiceDependency&)>& emit) {
  std::vector<bool> visited(services.size(), false);
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    const std::string group = GroupOf(name, services);
    for (size_t i = 0; i < services.size(); ++i) {
      if (visited[i] || !DependsOn(services[i], name, group)) continue;
      if (skipSelf && SameServiceName(services[i].name, service)) continue;
      visited[i] = true;
      visit(services[i].name);
      emit(services[i]);
    }
  };
  visit(service);
}

}  // namespace

std::vector<std::string> ActiveDependentsInStopOrder(const std::string& service, const std::vector<ServiceDependency>& services) {
  std::vector<std::string> order;
  VisitDependents(service, services, true, [&](const ServiceDependency& s) {
    if (s.active) order.push_back(s.name);
  });
  return order;
}

bool InDependencyCycle(const std::string& service, const std::vector<ServiceDependency>& services) {
  bool cycle = false;
  VisitDependents(service, services, false, [&](const ServiceDependency& s) { cycle = cycle || SameServiceName(s.name, service); });
  return cycle;
}

}  // namespace vss

// The built-in scenarios, by name, as scenario JSON text.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace vss {
namespace sim {

const std::vector<std::pair<std::string, const char*>>& BuiltInScenarios();

}  // namespace sim
}  // namespace vss

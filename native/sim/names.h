// Names on the simulated machine compare as Windows compares them: volume, share, server and
// writer names without regard to ASCII case; a volume or share root ends in a backslash.
#pragma once
#include <algorithm>
#include <cctype>
#include <string>

namespace vss {
namespace sim {

inline std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

inline bool SameName(const std::string& a, const std::string& b) { return Lower(a) == Lower(b); }

inline std::string WithTrailingBackslash(std::string text) {
  if (!text.empty() && text.back() != '\\') text += '\\';
  return text;
}

}  // namespace sim
}  // namespace vss

#include "file_shares.h"

#include <algorithm>
#include <cctype>

#include "../core/vocabulary.h"
#include "names.h"

namespace vss {
namespace sim {

namespace {

// Dotted IPv4 or any IPv6 text (has a colon): an address, not a name.
bool LooksLikeAddress(const std::string& s) {
  if (s.find(':') != std::string::npos) return true;
  int dots = 0;
  for (char c : s) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}
}  // namespace

bool IsUncPath(const std::string& path) {
  return path.size() > 2 && path[0] == '\\' && path[1] == '\\' && path[2] != '?' && path[2] != '.' && path[2] != '\\';
}

std::optional<ShareLocation> LocateShare(Machine& machine, const std::string& path) {
  if (!IsUncPath(path)) return std::nullopt;
  const size_t serverEnd = path.find('\\', 2);
  if (serverEnd == std::string::npos || serverEnd == 2) return std::nullopt;
  size_t shareEnd = path.find('\\', serverEnd + 1);
  const std::string share = path.substr(serverEnd + 1, shareEnd == std::string::npos ? std::string::npos : shareEnd - serverEnd - 1);
  if (share.empty()) return std::nullopt;
  ShareLocation l;
  l.serverAsNamed = path.substr(2, serverEnd - 2);
  l.shareAsNamed = share;
  l.rest = shareEnd == std::string::npos ? "" : path.substr(shareEnd + 1);
  for (SimFileServer& s : machine.fileServers) {
    const bool byAddress = std::any_of(s.addresses.begin(), s.addresses.end(), [&](const std::string& a) { return SameName(a, l.serverAsNamed); });
    if (!SameName(s.name, l.serverAsNamed) && !SameName(s.fqdn, l.serverAsNamed) && !byAddress) continue;
    l.server = &s;
    l.form = byAddress ? ServerForm::Address : SameName(s.fqdn, l.serverAsNamed) && !SameName(s.name, s.fqdn) ? ServerForm::Fqdn : ServerForm::Host;
    for (SimShare& sh : s.shares)
      if (SameName(sh.name, share)) l.share = &sh;
  }
  if (!l.server && LooksLikeAddress(l.serverAsNamed)) l.form = ServerForm::Address;
  else if (!l.server && l.serverAsNamed.find('.') != std::string::npos) l.form = ServerForm::Fqdn;
  return l;
}

std::string ShareRoot(const ShareLocation& l, bool fqdn) {
  const std::string server = fqdn ? l.server->fqdn : l.server->name;
  return "\\\\" + server + "\\" + l.share->name + "\\";
}

std::string SharePhysicalPath(const ShareLocation& l) { return ShareRoot(l, true); }

SimProvider* FileShareProvider(Machine& machine) {
  const int32_t fileshare = static_cast<int32_t>(TermCode(Vocabulary::ProviderType, "fileshare"));
  for (SimProvider& p : machine.providers)
    if (p.properties.type == fileshare) return &p;
  return nullptr;
}

}  // namespace sim
}  // namespace vss

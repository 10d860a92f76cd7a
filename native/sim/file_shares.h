// Remote file shares (\\server\share\) as VSS for SMB File Shares sees them: which file server
// and share a UNC path names, in which form it names the server, and the paths
// IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths gives for it.
// Sources: AddToSnapshotSet ("A UNC path that specifies a remote file share, for example,
// \\Clusterx\Share1\"; remarks: the server part "must be in hostname or fully qualified domain name
// format", IP addresses must first be normalized by GetRootAndLogicalPrefixPaths), and
// GetRootAndLogicalPrefixPaths (learn.microsoft.com/windows/win32/api/vsbackup/
// nf-vsbackup-ivssbackupcomponentsex4-getrootandlogicalprefixpaths).
#pragma once
#include <optional>
#include <string>

#include "machine.h"

namespace vss {
namespace sim {

// How a UNC path names its server.
enum class ServerForm { Host, Fqdn, Address };

struct ShareLocation {
  SimFileServer* server = nullptr;  // null: no server of that name is reachable
  SimShare* share = nullptr;        // null: the server has no such share
  std::string serverAsNamed;        // the server part as the path spells it
  std::string shareAsNamed;
  ServerForm form = ServerForm::Host;
  std::string rest;                 // what follows \\server\share\ (no leading backslash)
};

// A UNC path: \\server\share..., not a \\?\ or \\.\ device path.
bool IsUncPath(const std::string& path);

// Splits \\server\share[\rest] and finds the server (by host name, FQDN or address, any case) and
// its share; nullopt when `path` is not of that shape.
std::optional<ShareLocation> LocateShare(Machine& machine, const std::string& path);

// \\host\share\ or, with `fqdn`, \\host.domain\share\: the root AddToSnapshotSet takes.
std::string ShareRoot(const ShareLocation& location, bool fqdn);
// The same share named by its server's FQDN: the "fully evaluated" share path (no DFS or cluster
// name is modelled, so it is the physical share itself). Also the key two spellings share.
std::string SharePhysicalPath(const ShareLocation& location);

// The machine's File Share Shadow Copy provider (VSS_PROV_FILESHARE), or null.
SimProvider* FileShareProvider(Machine& machine);

}  // namespace sim
}  // namespace vss

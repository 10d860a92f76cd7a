#include "machine.h"

#include "../core/service_events.h"
#include "event_log.h"
#include "external_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#ifdef _WIN32
#include <windows.h>
#else
#include <cerrno>
#include <csignal>
#include <unistd.h>
#endif

#include "../core/error.h"
#include "names.h"
#include "../core/event_catalogue.h"

namespace fs = std::filesystem;

namespace vss {
namespace sim {

namespace {
void MakeWritable(const fs::path& root) {
  std::error_code ec;
  fs::permissions(root, fs::perms::owner_all, fs::perm_options::add, ec);
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code ignored;
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
  }
}

}  // namespace

#ifdef _WIN32
unsigned long CurrentProcessId() { return static_cast<unsigned long>(GetCurrentProcessId()); }
bool ProcessAlive(unsigned long pid) {
  HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
  if (!process) return GetLastError() == ERROR_ACCESS_DENIED;
  DWORD code = 0;
  bool alive = GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
  CloseHandle(process);
  return alive;
}
#else
unsigned long CurrentProcessId() { return static_cast<unsigned long>(getpid()); }
bool ProcessAlive(unsigned long pid) { return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }
#endif

namespace {

// A process killed outright runs no destructor, so its machines' content folders
// ("vss-sim-<pid>-<id>") stay behind; the next machine that needs one removes them.
void RemoveOrphanedContent(const fs::path& base) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(base, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("vss-sim-", 0) != 0) continue;
    const size_t dash = name.find('-', 8);
    if (dash == std::string::npos || dash == 8 || name.find_first_not_of("0123456789", 8) != dash) continue;
    const unsigned long pid = std::strtoul(name.c_str() + 8, nullptr, 10);
    if (pid == 0 || pid == CurrentProcessId() || ProcessAlive(pid)) continue;
    MakeWritable(it->path());
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

void MakeReadOnly(const fs::path& root) {
  std::error_code ec;
  std::vector<fs::path> dirs;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code ignored;
    if (it->is_directory(ignored)) dirs.push_back(it->path());
    else fs::permissions(it->path(), fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write, fs::perm_options::remove, ignored);
  }
  dirs.push_back(root);
  // Folders last, deepest first, so the walk above could still enter them.
  for (auto d = dirs.rbegin(); d != dirs.rend(); ++d) {
    std::error_code ignored;
    fs::permissions(*d, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write, fs::perm_options::remove, ignored);
  }
}
}  // namespace

Machine::Machine() : random_(std::random_device{}()) {}

MachineLock::MachineLock(Machine& machine) : machine_(machine), lock_(machine.mutex) {
  if (machine_.stateFile) machine_.stateFile->Begin(machine_);
}

MachineLock::~MachineLock() {
  if (machine_.stateFile) machine_.stateFile->End(machine_);
  // Events for subscribed writers queued while the machine was held reach them now, so
  // their handlers may call into the machine (external_writer.h).
  lock_.unlock();
  DeliverExternalWriterEvents();
}

Machine::~Machine() {
  // Shadow copies kept in a state file keep their content beside it.
  if (stateFile) return;
  for (const SimShadow& shadow : shadows)
    if (!shadow.contentPath.empty()) RemoveContent(shadow.contentPath);
  if (!contentRoot_.empty() && ownsContentRoot_) {
    std::error_code ec;
    fs::remove_all(contentRoot_, ec);
  }
}

Guid Machine::NewGuid() {
  Guid g;
  uint64_t a = random_(), b = random_();
  g.data1 = static_cast<uint32_t>(a >> 32);
  g.data2 = static_cast<uint16_t>(a >> 16);
  g.data3 = static_cast<uint16_t>((a & 0x0fff) | 0x4000);
  for (int i = 0; i < 8; ++i) g.data4[i] = static_cast<uint8_t>(b >> (8 * i));
  g.data4[0] = static_cast<uint8_t>((g.data4[0] & 0x3f) | 0x80);
  return g;
}

SimWriter* Machine::FindWriter(const std::string& nameOrId) {
  std::optional<Guid> id = Guid::Parse(nameOrId);
  std::string lower = Lower(nameOrId);
  for (SimWriter& w : writers) {
    if (id && (w.metadata.writerId == *id || w.metadata.instanceId == *id)) return &w;
    if (Lower(w.metadata.name) == lower) return &w;
  }
  return nullptr;
}

SimWriter* Machine::FindWriterByInstance(const Guid& instanceId) {
  for (SimWriter& w : writers)
    if (w.metadata.instanceId == instanceId) return &w;
  return nullptr;
}

SimVolume* Machine::FindVolume(const std::string& name) {
  std::string wanted = Lower(WithTrailingBackslash(name));
  for (SimVolume& v : volumes)
    if (Lower(v.name) == wanted || Lower(v.guidName) == wanted) return &v;
  return nullptr;
}

SimProvider* Machine::FindProvider(const Guid& providerId) {
  for (SimProvider& p : providers)
    if (p.properties.providerId == providerId) return &p;
  return nullptr;
}

std::string Machine::ContentRoot() {
  if (contentRoot_.empty() && stateFile) {
    std::error_code ec;
    fs::create_directories(stateFile->ContentRoot(), ec);
    if (ec) throw VssException(hr::kVssInsufficientStorage, "DoSnapshotSet", "cannot create " + stateFile->ContentRoot() + ": " + ec.message());
    return stateFile->ContentRoot();
  }
  if (contentRoot_.empty()) {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = ".";
    RemoveOrphanedContent(base);
    for (int attempt = 0; attempt < 100; ++attempt) {
      fs::path candidate = base / ("vss-sim-" + std::to_string(CurrentProcessId()) + "-" + NewGuid().ToString().substr(0, 8));
      if (fs::create_directory(candidate, ec)) {
        contentRoot_ = candidate.string();
        break;
      }
    }
    if (contentRoot_.empty()) throw VssException(hr::kVssInsufficientStorage, "DoSnapshotSet", "cannot create a folder for shadow copy content");
  }
  return contentRoot_;
}

void Machine::UseContentRoot(const std::string& folder) {
  contentRoot_ = folder;
  ownsContentRoot_ = false;
  // Device numbers are then the folder's, not one machine's: continue after the copies
  // already there (another machine's, or another process's).
  const std::string prefix = "harddiskvolumeshadowcopy";
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = Lower(it->path().filename().string());
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    nextDeviceNumber = std::max(nextDeviceNumber, std::atoi(name.c_str() + prefix.size()) + 1);
  }
}

std::string Machine::FreezeContent(const SimVolume& volume, int deviceNumber) {
  fs::path target = fs::path(ContentRoot()) / ("HarddiskVolumeShadowCopy" + std::to_string(deviceNumber));
  std::error_code ec;
  // In a shared content root another machine may hold this number: never merge two copies.
  if (fs::exists(target, ec))
    throw VssException(hr::kVssUnexpectedProviderError, "DoSnapshotSet", target.string() + " already exists (device number in use)");
  fs::copy(volume.hostPath, target, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) {
    RemoveContent(target.string());
    throw VssException(hr::kVssUnexpectedProviderError, "DoSnapshotSet",
                       "copying " + volume.hostPath + " for the shadow copy of " + volume.name + " failed: " + ec.message());
  }
  MakeReadOnly(target);
  return target.string();
}

void Machine::RestoreContent(const std::string& contentPath, const std::string& volumePath) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(volumePath, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
  fs::copy(contentPath, volumePath, fs::copy_options::recursive | fs::copy_options::copy_symlinks | fs::copy_options::overwrite_existing, ec);
  if (ec) throw VssException(hr::kFail, "RevertToSnapshot", "copying the shadow copy back into " + volumePath + " failed: " + ec.message());
  // The copy kept the shadow copy's read-only permissions: the volume is writable again.
  MakeWritable(volumePath);
}

void Machine::RemoveContent(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  MakeWritable(path);
  fs::remove_all(path, ec);
}

void Machine::LogEvent(const std::string& provider, uint32_t eventId, std::string message,
                       std::vector<std::pair<std::string, std::string>> data, int64_t time, bool trim) {
  const CatalogueEvent* entry = FindCatalogueEvent(provider, eventId);
  if (!entry) throw VssException(hr::kInvalidArg, "LogEvent", provider + " event " + std::to_string(eventId) + " is not in the event catalogue");
  EventRecord record;
  record.timeCreated = time ? time : NowFileTime();
  record.channel = entry->channel;
  record.provider = entry->provider;
  record.eventId = eventId;
  record.level = entry->level;
  record.recordId = nextRecordId_++;
  record.message = std::move(message);
  record.data = std::move(data);
  // Kept in time order (a scenario may preload older records after newer ones).
  std::vector<EventRecord>& events = MutableEvents();
  auto at = events.end();
  while (at != events.begin() && (at - 1)->timeCreated > record.timeCreated) --at;
  const std::string channel = record.channel;
  events.insert(at, std::move(record));
  // A full log overwrites its oldest records, as Windows' do by default (event_log.h).
  if (trim) TrimEventLog(*this, channel);
}

const std::vector<EventRecord>& Machine::Events() const {
  if (eventsUnread_ && stateFile) stateFile->ReadEvents(*this);
  return events_;
}

std::vector<EventRecord>& Machine::MutableEvents() {
  Events();
  ++eventsRevision_;
  return events_;
}

// The classic logs, VolSnap's operational channel (Windows 8 and later), the Hyper-V
// ones where the role is installed (its writer is there), and any channel logged to.
std::vector<std::string> Machine::Channels() const {
  std::vector<std::string> channels = {"Application", "System", "Security", "Setup", "Microsoft-Windows-VolumeSnapshot-Driver/Operational"};
  auto add = [&](const std::string& c) {
    for (const std::string& have : channels)
      if (Lower(have) == Lower(c)) return;
    channels.push_back(c);
  };
  for (const SimWriter& w : writers)
    if (w.metadata.name == "Microsoft Hyper-V VSS Writer") {
      add("Microsoft-Windows-Hyper-V-VMMS-Admin");
      add("Microsoft-Windows-Hyper-V-Worker-Admin");
    }
  for (const EventRecord& e : Events()) add(e.channel);
  return channels;
}

std::vector<EventRecord> Machine::ReadEvents(const EventQuery& query) const {
  auto lower = [](std::string t) { return Lower(std::move(t)); };
  if (query.channelsNamed) {
    const std::vector<std::string> have = Channels();
    for (const std::string& c : query.channels)
      if (std::none_of(have.begin(), have.end(), [&](const std::string& h) { return lower(h) == lower(c); }))
        throw VssException(hr::kEvtChannelNotFound, "EvtQuery", c);
  }
  std::vector<EventRecord> out;
  const std::vector<std::string> services = ServiceNames(query);
  for (const EventRecord& e : Events()) {
    if (!services.empty() && IsServiceEvent(e) && !NamesOneOf(e, services)) continue;
    if (query.since && e.timeCreated < query.since) continue;
    if (query.until && e.timeCreated > query.until) continue;
    if (!query.ids.empty() && std::find(query.ids.begin(), query.ids.end(), e.eventId) == query.ids.end()) continue;
    if (!query.levels.empty() && std::find(query.levels.begin(), query.levels.end(), e.level) == query.levels.end()) continue;
    if (!query.channels.empty() &&
        std::none_of(query.channels.begin(), query.channels.end(), [&](const std::string& c) { return lower(c) == lower(e.channel); }))
      continue;
    out.push_back(e);
  }
  if (query.max && out.size() > query.max) out.erase(out.begin(), out.end() - query.max);
  return out;
}

int64_t NowFileTime() {
  using namespace std::chrono;
  int64_t unixMicros = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  return unixMicros * 10 + 116444736000000000LL;
}

}  // namespace sim
}  // namespace vss

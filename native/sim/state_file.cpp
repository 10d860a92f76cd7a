#include "state_file.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

#include "../core/error.h"
#include "json.h"
#include "machine.h"
#include "xml.h"

namespace fs = std::filesystem;

namespace vss {
namespace sim {

namespace {

constexpr const char* kFormat = "vss-napi-simulated-machine";
constexpr int kVersion = 1;

[[noreturn]] void Fail(uint32_t hresult, const std::string& path, const std::string& what) {
  throw VssException(hresult, "LoadState", "state file " + path + ": " + what);
}

#ifdef _WIN32
std::wstring Wide(const std::string& utf8) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.c_str(), -1, nullptr, 0);
  std::wstring out(n > 0 ? n - 1 : 0, L'\0');
  if (n > 1) MultiByteToWideChar(CP_UTF8, 0, utf8.c_str(), -1, &out[0], n);
  return out;
}
#endif

std::string ReadAll(const std::string& path) {
  std::string text;
#ifdef _WIN32
  FILE* f = _wfopen(Wide(path).c_str(), L"rb");
#else
  FILE* f = std::fopen(path.c_str(), "rb");
#endif
  if (!f) return text;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  std::fclose(f);
  return text;
}

Guid GuidField(const Json& j, const char* key) {
  const Json* v = j.Find(key);
  std::optional<Guid> g = v && v->IsString() ? Guid::Parse(v->AsString()) : std::nullopt;
  return g ? *g : Guid();
}
std::string StrField(const Json& j, const char* key) {
  const Json* v = j.Find(key);
  return v && v->IsString() ? v->AsString() : std::string();
}
double NumField(const Json& j, const char* key, double fallback = 0) {
  const Json* v = j.Find(key);
  return v && v->IsNumber() ? v->AsNumber() : fallback;
}
bool BoolField(const Json& j, const char* key) {
  const Json* v = j.Find(key);
  return v && v->IsBool() && v->AsBool();
}
const std::vector<Json>& ArrayField(const Json& j, const char* key) {
  static const std::vector<Json> empty;
  const Json* v = j.Find(key);
  return v && v->IsArray() ? v->AsArray() : empty;
}

std::vector<EventRecord> ParseEvents(const Json& list) {
  std::vector<EventRecord> events;
  for (const Json& e : list.AsArray()) {
    EventRecord record;
    record.recordId = std::strtoull(StrField(e, "recordId").c_str(), nullptr, 10);  // strings: ids and FILETIMEs may exceed 2^53
    record.timeCreated = std::strtoll(StrField(e, "time").c_str(), nullptr, 10);
    record.channel = StrField(e, "channel");
    record.provider = StrField(e, "provider");
    record.eventId = static_cast<uint32_t>(NumField(e, "eventId"));
    record.level = static_cast<int32_t>(NumField(e, "level"));
    record.message = StrField(e, "message");
    if (const Json* data = e.Find("data"); data && data->IsObject())
      for (const auto& [key, value] : data->AsObject())
        if (value.IsString()) record.data.emplace_back(key, value.AsString());
    events.push_back(std::move(record));
  }
  return events;
}

}  // namespace

StateFile::StateFile(std::string path, std::string scenarioJson) : path_(std::move(path)), scenario_(std::move(scenarioJson)) {
  // A process that died mid-write leaves its temporary file ("<name>.tmp-<pid>") behind.
  std::error_code ec;
  const fs::path file(path_);
  const std::string prefix = file.filename().string() + ".tmp-";
  for (auto it = fs::directory_iterator(file.has_parent_path() ? file.parent_path() : fs::path("."), ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const unsigned long pid = std::strtoul(name.c_str() + prefix.size(), nullptr, 10);
    std::error_code ignored;
    if (pid != 0 && pid != CurrentProcessId() && !ProcessAlive(pid)) fs::remove(it->path(), ignored);
  }
  const std::string lockPath = path_ + ".lock";
#ifdef _WIN32
  HANDLE h = CreateFileW(Wide(lockPath).c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) Fail(hr::kAccessDenied, path_, "cannot open " + lockPath + " (error " + std::to_string(GetLastError()) + ")");
  lockHandle_ = reinterpret_cast<intptr_t>(h);
#else
  int fd = open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) Fail(errno == EACCES ? hr::kAccessDenied : hr::kFail, path_, "cannot open " + lockPath + ": " + std::strerror(errno));
  lockHandle_ = fd;
#endif
}

StateFile::~StateFile() {
#ifdef _WIN32
  if (lockHandle_ != -1) CloseHandle(reinterpret_cast<HANDLE>(lockHandle_));
#else
  if (lockHandle_ >= 0) close(static_cast<int>(lockHandle_));
#endif
}

void StateFile::LockFile() {
#ifdef _WIN32
  OVERLAPPED at = {};
  if (!LockFileEx(reinterpret_cast<HANDLE>(lockHandle_), LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &at))
    Fail(hr::kFail, path_, "cannot lock (error " + std::to_string(GetLastError()) + ")");
#else
  while (flock(static_cast<int>(lockHandle_), LOCK_EX) != 0)
    if (errno != EINTR) Fail(hr::kFail, path_, std::string("cannot lock: ") + std::strerror(errno));
#endif
}

void StateFile::UnlockFile() noexcept {
#ifdef _WIN32
  OVERLAPPED at = {};
  UnlockFileEx(reinterpret_cast<HANDLE>(lockHandle_), 0, 1, 0, &at);
#else
  flock(static_cast<int>(lockHandle_), LOCK_UN);
#endif
}

void StateFile::Begin(Machine& machine) {
  LockFile();
  try {
    std::string text = ReadAll(path_);
    if (text.empty()) {
      // A new file: the machine as the scenario made it (its preloaded log included).
      if (seen_.empty()) Commit(machine);
      return;
    }
    if (text != seen_) Load(machine, text);
  } catch (...) {
    UnlockFile();
    throw;
  }
}

void StateFile::End(Machine& machine) noexcept {
  try {
    Commit(machine);
  } catch (...) {
    // The change stays in this process; the next lock writes it again.
    seen_.clear();
  }
  UnlockFile();
}

namespace {
// A scenario as the user named it: the state file keeps its JSON text, and "({})" said nothing (cold8 F11).
std::string ScenarioName(const std::string& scenarioJson) {
  try {
    const Json j = Json::Parse(scenarioJson);
    if (j.IsObject() && j.AsObject().empty()) return "--simulate (the default machine)";
    const Json* base = j.IsObject() ? j.Find("base") : nullptr;
    if (base && base->IsString() && j.AsObject().size() == 1) return "--simulate=" + base->AsString();
  } catch (const JsonError&) {
    // Not JSON: shown as it is below.
  }
  return "the scenario " + (scenarioJson.size() > 80 ? scenarioJson.substr(0, 80) + "..." : scenarioJson);
}
}  // namespace

void StateFile::Load(Machine& m, const std::string& text) {
  Json j;
  try {
    j = Json::Parse(text);
  } catch (const JsonError& e) {
    Fail(hr::kInvalidArg, path_, std::string("not JSON (") + e.what() + ")");
  }
  if (!j.IsObject() || StrField(j, "format") != kFormat) Fail(hr::kInvalidArg, path_, std::string("not a simulated machine's state (no \"format\": \"") + kFormat + "\")");
  if (NumField(j, "version") != kVersion) Fail(hr::kInvalidArg, path_, "written by another version of vss-napi (version " + std::to_string(NumField(j, "version")) + ")");
  if (StrField(j, "scenario") != scenario_)
    Fail(hr::kInvalidArg, path_,
         "holds a machine made with " + ScenarioName(StrField(j, "scenario")) + ", not with " + ScenarioName(scenario_) +
             "; use the same scenario, or another state file");

  const unsigned long self = CurrentProcessId();
  m.nextDeviceNumber = std::max(m.nextDeviceNumber, static_cast<int>(NumField(j, "nextDeviceNumber", 1)));

  // The machine-wide snapshot-set lock: ours, another live process's, or nobody's.
  m.setHeldElsewhere = false;
  foreignSetPid_ = 0;
  if (const Json* owner = j.Find("setCreation"); owner && owner->IsObject()) {
    const unsigned long pid = static_cast<unsigned long>(NumField(*owner, "pid"));
    const uint64_t session = static_cast<uint64_t>(NumField(*owner, "session"));
    if (pid != self && ProcessAlive(pid)) {
      m.setHeldElsewhere = true;
      foreignSetPid_ = pid;
      foreignSetSession_ = session;
    }
  }

  // Express writers: one another process unregistered leaves, one it registered joins.
  const std::vector<Json>& savedWriters = ArrayField(j, "writers");
  m.writers.erase(std::remove_if(m.writers.begin(), m.writers.end(),
                                 [&](const SimWriter& w) {
                                   return w.express && std::none_of(savedWriters.begin(), savedWriters.end(), [&](const Json& saved) {
                                            return GuidField(saved, "instanceId") == w.metadata.instanceId;
                                          });
                                 }),
                  m.writers.end());
  for (const Json& w : savedWriters) {
    SimWriter* writer = m.FindWriterByInstance(GuidField(w, "instanceId"));
    if (!writer) {
      const Json* express = w.Find("expressMetadataXml");
      if (!express || !express->IsString()) continue;
      SimWriter joined;
      joined.metadata = ParseWriterMetadataXml(express->AsString(), "LoadState");
      joined.express = true;
      m.writers.push_back(std::move(joined));
      writer = &m.writers.back();
    }
    writer->state = static_cast<int32_t>(NumField(w, "state", writer->state));
    writer->waitingOwner = 0;
    const bool waiting = writer->state >= ws::kWaitingForFreeze && writer->state <= ws::kWaitingForBackupComplete;
    const unsigned long owner = static_cast<unsigned long>(NumField(w, "ownerPid"));
    if (waiting && owner != 0 && owner != self) {
      if (ProcessAlive(owner)) {
        writer->waitingOwner = owner;
        writer->waitingOwnerState = writer->state;
      } else {
        // Its requester died mid-backup: nobody can call BackupComplete any more. The model
        // treats that backup as aborted ("Aborting VSS Operations", learn.microsoft.com: a
        // backup that will not complete ends in an Abort event) and the writer, told OnAbort,
        // is stable again, so the next backup is not kept from its components by a dead process.
        writer->state = ws::kStable;
      }
    }
    writer->lastError = static_cast<uint32_t>(NumField(w, "lastError"));
    writer->applicationError = static_cast<uint32_t>(NumField(w, "applicationError"));
    writer->failureMessage = StrField(w, "failureMessage");
    const std::vector<Json>& remaining = ArrayField(w, "faultsRemaining");
    // Fault counters carry over only where both processes configured the same faults.
    if (remaining.size() == writer->faults.size())
      for (size_t i = 0; i < remaining.size(); ++i) writer->faults[i].remaining = static_cast<int>(remaining[i].AsNumber());
  }
  for (const Json& p : ArrayField(j, "providers")) {
    SimProvider* provider = m.FindProvider(GuidField(p, "providerId"));
    if (provider) provider->failRemaining = static_cast<int>(NumField(p, "failRemaining", provider->failRemaining));
  }
  for (const Json& v : ArrayField(j, "volumes")) {
    SimVolume* volume = m.FindVolume(StrField(v, "name"));
    if (!volume) continue;
    volume->diffAreaMaximum = static_cast<int64_t>(NumField(v, "diffAreaMaximum", -1));
    volume->diffAreaOn = StrField(v, "diffAreaOn");
    volume->diffAreaAdded = NumField(v, "diffAreaAdded", 0) != 0;
    volume->protectionLevel = static_cast<int32_t>(NumField(v, "protectionLevel", volume->protectionLevel));
    volume->offlineForProtection = NumField(v, "offlineForProtection", 0) != 0;
    volume->protectionFault = static_cast<int32_t>(NumField(v, "protectionFault", 0));
    volume->protectionFailureStatus = static_cast<int32_t>(NumField(v, "protectionFailureStatus", 0));
    // Present only while a volatile maximum (ChangeDiffAreaMaximumSizeEx) is in effect.
    const Json* boot = v.Find("diffAreaBootMaximum");
    volume->diffAreaBootMaximum = boot && boot->IsNumber() ? std::optional<int64_t>(static_cast<int64_t>(boot->AsNumber())) : std::nullopt;
  }

  // Services: the whole configuration and whether each runs, so that a restart or a
  // configure() in one process is what the next one finds (absent from older files).
  if (const Json* list = j.Find("services"); list && list->IsArray()) {
    std::vector<SimService> services;
    for (const Json& s : list->AsArray()) {
      SimService service;
      service.name = StrField(s, "name");
      service.group = StrField(s, "group");
      service.running = BoolField(s, "running");
      for (const Json& d : ArrayField(s, "dependsOn"))
        if (d.IsString()) service.dependsOn.push_back(d.AsString());
      if (!service.name.empty()) services.push_back(std::move(service));
    }
    m.services = std::move(services);
  }
  // The event log: what any process logged, bounded as the machine bounds it, and the next record id.
  if (const Json* sizes = j.Find("eventLogMaxSize"); sizes && sizes->IsObject()) {
    m.eventLogMaxSize.clear();
    for (const auto& [channel, bytes] : sizes->AsObject())
      if (bytes.IsNumber()) m.eventLogMaxSize.emplace_back(channel, static_cast<uint64_t>(bytes.AsNumber()));
  }
  // The log itself is read when the machine uses it (ReadEvents); here only which
  // generation holds it. Files of earlier versions hold the records inline ("events").
  m.setNextRecordId(std::max<uint64_t>(m.nextRecordId(), std::strtoull(StrField(j, "nextRecordId").c_str(), nullptr, 10)));
  if (const Json* file = j.Find("eventsFile"); file && file->IsObject()) {
    const uint64_t generation = std::strtoull(StrField(*file, "generation").c_str(), nullptr, 10);
    if (!eventsKnown_ || generation != eventsGeneration_) {
      eventsKnown_ = true;
      eventsGeneration_ = generation;
      m.events_.clear();
      m.eventsUnread_ = generation != 0;
      committedRevision_ = m.eventsRevision_;
    }
  } else if (const Json* list = j.Find("events"); list && list->IsArray()) {
    m.events_ = ParseEvents(*list);
    m.eventsUnread_ = false;
    eventsKnown_ = true;
    eventsGeneration_ = 0;
    committedRevision_ = m.eventsRevision_ - 1;  // written to a log file at the next commit
  }

  std::vector<SimShadow> shadows;
  for (const Json& s : ArrayField(j, "shadows")) {
    SimShadow shadow;
    const unsigned long pid = static_cast<unsigned long>(NumField(s, "ownerPid"));
    shadow.persistent = BoolField(s, "persistent");
    // An auto-release shadow copy whose requester's process is gone went with it.
    if (!shadow.persistent && pid != self && !ProcessAlive(pid)) continue;
    shadow.ownerProcess = pid == self ? 0 : pid;
    shadow.ownerSession = static_cast<uint64_t>(NumField(s, "ownerSession"));
    shadow.volumeName = StrField(s, "volume");
    shadow.contentPath = StrField(s, "contentPath");
    shadow.context = static_cast<int32_t>(NumField(s, "context"));
    SnapshotProperties& p = shadow.properties;
    p.snapshotId = GuidField(s, "snapshotId");
    p.snapshotSetId = GuidField(s, "snapshotSetId");
    p.snapshotsCount = static_cast<int32_t>(NumField(s, "snapshotsCount"));
    p.snapshotDeviceObject = StrField(s, "deviceObject");
    p.originalVolumeName = StrField(s, "originalVolume");
    p.originatingMachine = StrField(s, "originatingMachine");
    p.serviceMachine = StrField(s, "serviceMachine");
    p.exposedName = StrField(s, "exposedName");
    p.exposedPath = StrField(s, "exposedPath");
    p.providerId = GuidField(s, "providerId");
    p.snapshotAttributes = static_cast<int32_t>(NumField(s, "attributes"));
    p.creationTimestamp = std::strtoll(StrField(s, "created").c_str(), nullptr, 10);  // a string: FILETIMEs exceed 2^53
    p.status = static_cast<int32_t>(NumField(s, "status"));
    shadows.push_back(std::move(shadow));
  }
  m.shadows = std::move(shadows);
  seen_ = text;
}

std::string StateFile::Serialize(const Machine& m) const {
  const unsigned long self = CurrentProcessId();
  JsonWriter out;
  out.BeginObject();
  out.Key("format").String(kFormat);
  out.Key("version").Int(kVersion);
  out.Key("scenario").String(scenario_);
  out.Key("nextDeviceNumber").Int(m.nextDeviceNumber);
  out.Key("setCreation");
  if (m.setCreationOwner != 0) {
    out.BeginObject().Key("pid").Int(self).Key("session").Int(static_cast<int64_t>(m.setCreationOwner)).EndObject();
  } else if (m.setHeldElsewhere) {
    out.BeginObject().Key("pid").Int(foreignSetPid_).Key("session").Int(static_cast<int64_t>(foreignSetSession_)).EndObject();
  } else {
    out.Null();
  }
  out.Key("writers").BeginArray();
  for (const SimWriter& w : m.writers) {
    out.BeginObject();
    out.Key("instanceId").String(w.metadata.instanceId.ToString());
    out.Key("name").String(w.metadata.name);
    out.Key("state").Int(w.state);
    // Who left it waiting: another live process (the state unchanged here since it was loaded), or this one.
    const bool foreign = w.waitingOwner != 0 && w.state == w.waitingOwnerState;
    out.Key("ownerPid").Int(static_cast<int64_t>(foreign ? w.waitingOwner : self));
    out.Key("lastError").Int(w.lastError);
    out.Key("applicationError").Int(w.applicationError);
    out.Key("failureMessage").String(w.failureMessage);
    out.Key("faultsRemaining").BeginArray();
    for (const WriterFault& f : w.faults) out.Int(f.remaining);
    out.EndArray();
    if (w.express) out.Key("expressMetadataXml").String(WriterMetadataXml(w.metadata));
    out.EndObject();
  }
  out.EndArray();
  out.Key("providers").BeginArray();
  for (const SimProvider& p : m.providers)
    out.BeginObject().Key("providerId").String(p.properties.providerId.ToString()).Key("failRemaining").Int(p.failRemaining).EndObject();
  out.EndArray();
  out.Key("volumes").BeginArray();
  for (const SimVolume& v : m.volumes) {
    out.BeginObject()
        .Key("name")
        .String(v.name)
        .Key("diffAreaMaximum")
        .Int(v.diffAreaMaximum)
        .Key("diffAreaOn")
        .String(v.diffAreaOn)
        .Key("diffAreaAdded")
        .Int(v.diffAreaAdded ? 1 : 0)
        .Key("protectionLevel")
        .Int(v.protectionLevel)
        .Key("offlineForProtection")
        .Int(v.offlineForProtection ? 1 : 0)
        .Key("protectionFault")
        .Int(v.protectionFault)
        .Key("protectionFailureStatus")
        .Int(v.protectionFailureStatus);
    if (v.diffAreaBootMaximum) out.Key("diffAreaBootMaximum").Int(*v.diffAreaBootMaximum);
    out.EndObject();
  }
  out.EndArray();
  out.Key("services").BeginArray();
  for (const SimService& s : m.services) {
    out.BeginObject().Key("name").String(s.name).Key("group").String(s.group).Key("running").Bool(s.running).Key("dependsOn").BeginArray();
    for (const std::string& d : s.dependsOn) out.String(d);
    out.EndArray().EndObject();
  }
  out.EndArray();
  out.Key("eventLogMaxSize").BeginObject();
  for (const auto& [channel, bytes] : m.eventLogMaxSize) out.Key(channel).Int(static_cast<int64_t>(bytes));
  out.EndObject();
  out.Key("nextRecordId").String(std::to_string(m.nextRecordId()));
  out.Key("eventsFile").BeginObject();
  out.Key("generation").String(std::to_string(eventsGeneration_));
  out.EndObject();
  out.Key("shadows").BeginArray();
  for (const SimShadow& s : m.shadows) {
    const SnapshotProperties& p = s.properties;
    out.BeginObject();
    out.Key("snapshotId").String(p.snapshotId.ToString());
    out.Key("snapshotSetId").String(p.snapshotSetId.ToString());
    out.Key("snapshotsCount").Int(p.snapshotsCount);
    out.Key("volume").String(s.volumeName);
    out.Key("originalVolume").String(p.originalVolumeName);
    out.Key("deviceObject").String(p.snapshotDeviceObject);
    out.Key("originatingMachine").String(p.originatingMachine);
    out.Key("serviceMachine").String(p.serviceMachine);
    out.Key("exposedName").String(p.exposedName);
    out.Key("exposedPath").String(p.exposedPath);
    out.Key("providerId").String(p.providerId.ToString());
    out.Key("attributes").Int(p.snapshotAttributes);
    out.Key("created").String(std::to_string(p.creationTimestamp));
    out.Key("status").Int(p.status);
    out.Key("context").Int(s.context);
    out.Key("persistent").Bool(s.persistent);
    out.Key("contentPath").String(s.contentPath);
    out.Key("ownerPid").Int(s.ownerProcess ? s.ownerProcess : self);
    out.Key("ownerSession").Int(static_cast<int64_t>(s.ownerSession));
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  return out.str() + "\n";
}

void StateFile::Write(const std::string& text) {
  WriteAtomic(path_, text);
  seen_ = text;
}

void StateFile::Commit(Machine& machine) {
  const bool logChanged = machine.eventsRevision_ != committedRevision_ || !eventsKnown_;
  if (logChanged) WriteEvents(machine);
  std::string text = Serialize(machine);
  if (text != seen_) Write(text);
  // Only now that the state names the new generation may the old one go.
  if (logChanged) RemoveOtherEventFiles();
}

std::string StateFile::EventsPath(uint64_t generation) const { return path_ + ".events." + std::to_string(generation); }

void StateFile::WriteEvents(const Machine& machine) {
  const std::vector<EventRecord>& events = machine.Events();
  if (events.empty() && (!eventsKnown_ || eventsGeneration_ == 0)) {
    // An empty log needs no file.
    eventsKnown_ = true;
    eventsGeneration_ = 0;
    committedRevision_ = machine.eventsRevision_;
    return;
  }
  JsonWriter out;
  out.BeginArray();
  for (const EventRecord& e : events) {
    out.BeginObject();
    out.Key("recordId").String(std::to_string(e.recordId));
    out.Key("time").String(std::to_string(e.timeCreated));
    out.Key("channel").String(e.channel);
    out.Key("provider").String(e.provider);
    out.Key("eventId").Int(e.eventId);
    out.Key("level").Int(e.level);
    out.Key("message").String(e.message);
    out.Key("data").BeginObject();
    for (const auto& [key, value] : e.data) out.Key(key).String(value);
    out.EndObject();
    out.EndObject();
  }
  out.EndArray();
  const uint64_t next = eventsGeneration_ + 1;
  WriteAtomic(EventsPath(next), out.str() + "\n");
  eventsKnown_ = true;
  eventsGeneration_ = next;
  committedRevision_ = machine.eventsRevision_;
}

void StateFile::ReadEvents(const Machine& machine) const {
  const std::string file = EventsPath(eventsGeneration_);
  const std::string text = ReadAll(file);
  if (text.empty()) Fail(hr::kInvalidArg, path_, "its event log " + file + " is missing or empty");
  Json j;
  try {
    j = Json::Parse(text);
  } catch (const JsonError& e) {
    Fail(hr::kInvalidArg, path_, "its event log " + file + " is not JSON (" + e.what() + ")");
  }
  if (!j.IsArray()) Fail(hr::kInvalidArg, path_, "its event log " + file + " is not a list of records");
  machine.events_ = ParseEvents(j);
  machine.eventsUnread_ = false;
}

// Generations other than the one the state names: the one just replaced, and any a
// process that died between writing a log and the state left behind.
void StateFile::RemoveOtherEventFiles() const noexcept {
  std::error_code ec;
  const fs::path file(path_);
  const std::string prefix = file.filename().string() + ".events.";
  const std::string keep = eventsGeneration_ == 0 ? std::string() : fs::path(EventsPath(eventsGeneration_)).filename().string();
  for (auto it = fs::directory_iterator(file.has_parent_path() ? file.parent_path() : fs::path("."), ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0 || name == keep) continue;
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

void StateFile::WriteAtomic(const std::string& target, const std::string& text) const {
  const std::string temp = target + ".tmp-" + std::to_string(CurrentProcessId());
#ifdef _WIN32
  HANDLE h = CreateFileW(Wide(temp).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) Fail(hr::kAccessDenied, path_, "cannot write " + temp + " (error " + std::to_string(GetLastError()) + ")");
  DWORD written = 0;
  bool ok = WriteFile(h, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) && written == text.size() && FlushFileBuffers(h);
  CloseHandle(h);
  if (!ok || !MoveFileExW(Wide(temp).c_str(), Wide(target).c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    DeleteFileW(Wide(temp).c_str());
    Fail(hr::kFail, path_, "cannot replace " + target + " (error " + std::to_string(GetLastError()) + ")");
  }
#else
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) Fail(errno == EACCES ? hr::kAccessDenied : hr::kFail, path_, "cannot write " + temp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == text.size() && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(temp.c_str(), target.c_str()) != 0) {
    unlink(temp.c_str());
    Fail(hr::kFail, path_, "cannot replace " + target + ": " + std::strerror(errno));
  }
  // The rename itself reaches the disk with the folder.
  std::string folder = fs::path(target).parent_path().string();
  int dir = open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
#endif
}

}  // namespace sim
}  // namespace vss

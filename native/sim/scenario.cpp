// Scenarios: building and changing a simulated machine from JSON, and describing it.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>
#include <set>

#include "names.h"
#include "../core/error.h"
#include "../core/service_dependents.h"
#include "../core/vocabulary.h"
#include "../core/vss_constants.h"
#include "builtin_scenarios.h"
#include "json.h"
#include "../core/event_catalogue.h"
#include "event_log.h"
#include "machine.h"
#include "simulator.h"
#include "xml.h"

namespace vss {
namespace sim {

namespace {

[[noreturn]] void Bad(const std::string& where, const std::string& what) {
  throw VssException(hr::kInvalidArg, "LoadScenario", where + ": " + what);
}

// A readable name from the vocabulary table (the names lib/enums.ts gives), or its code.
int32_t EnumValue(const Json& value, Vocabulary vocabulary, const std::string& where) {
  if (value.IsNumber()) {
    double n = value.AsNumber();
    if (n < 0 || n > 0xffffffff || n != std::floor(n) || !TermName(vocabulary, static_cast<uint32_t>(n))) Bad(where, "out of range");
    return static_cast<int32_t>(static_cast<uint32_t>(n));
  }
  if (value.IsString())
    if (std::optional<uint32_t> code = TermFromName(vocabulary, value.AsString())) return static_cast<int32_t>(*code);
  Bad(where, "expected one of " + TermNames(vocabulary));
}

std::string Str(const Json& value, const std::string& where) {
  if (!value.IsString()) Bad(where, "expected a string");
  return value.AsString();
}

bool Bool(const Json& value, const std::string& where) {
  if (!value.IsBool()) Bad(where, "expected true or false");
  return value.AsBool();
}

double NonNegative(const Json& value, const std::string& where) {
  if (!value.IsNumber() || value.AsNumber() < 0) Bad(where, "expected a number >= 0");
  return value.AsNumber();
}

// A count, size or mask: a number from 0 below 2^digits of T. A larger double does
// not convert to T at all (undefined behaviour; found by the scenario fuzzer).
template <typename T>
T Bounded(const Json& value, const std::string& where) {
  double n = NonNegative(value, where);
  if (n >= std::ldexp(1.0, std::numeric_limits<T>::digits)) Bad(where, "too large");
  return static_cast<T>(n);
}

Guid GuidOf(const Json& value, const std::string& where) {
  std::optional<Guid> guid = value.IsString() ? Guid::Parse(value.AsString()) : std::nullopt;
  if (!guid) Bad(where, "expected a GUID");
  return *guid;
}

uint32_t HresultOf(const Json& value, const std::string& where) {
  if (value.IsNumber() && value.AsNumber() >= 0 && value.AsNumber() <= 4294967295.0) return static_cast<uint32_t>(value.AsNumber());
  if (value.IsString()) {
    if (std::optional<uint32_t> hr = HresultFromName(value.AsString())) return *hr;
    // At most 8 hex digits: std::stoul would throw on more (found by the scenario fuzzer).
    const std::string digits = value.AsString().rfind("0x", 0) == 0 ? value.AsString().substr(2) : "";
    if (!digits.empty() && digits.size() <= 8 && digits.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos)
      return static_cast<uint32_t>(std::stoul(digits, nullptr, 16));
  }
  Bad(where, "expected an HRESULT name such as VSS_E_WRITERERROR_RETRYABLE, or a number");
}

const Json& ArrayOf(const Json& value, const std::string& where) {
  if (!value.IsArray()) Bad(where, "expected an array");
  return value;
}

void CheckKeys(const Json& object, const std::string& where, std::initializer_list<const char*> allowed) {
  if (!object.IsObject()) Bad(where, "expected an object");
  for (const auto& member : object.AsObject()) {
    bool known = false;
    for (const char* key : allowed) known = known || member.first == key;
    if (!known) Bad(where, "unknown key '" + member.first + "'");
  }
}

FileDescriptor ParseFile(const Json& j, const std::string& where) {
  CheckKeys(j, where, {"path", "filespec", "recursive", "alternatePath", "backupTypeMask"});
  FileDescriptor f;
  f.path = Str(j.Find("path") ? *j.Find("path") : Json(), where + ".path");
  f.filespec = j.Find("filespec") ? Str(*j.Find("filespec"), where + ".filespec") : "*";
  if (const Json* v = j.Find("recursive")) f.recursive = Bool(*v, where + ".recursive");
  if (const Json* v = j.Find("alternatePath")) f.alternatePath = Str(*v, where + ".alternatePath");
  // 3855 (0xF0F): every backup type, the value real writers report by default.
  f.backupTypeMask = j.Find("backupTypeMask") ? Bounded<uint32_t>(*j.Find("backupTypeMask"), where + ".backupTypeMask") : 3855;
  return f;
}

std::vector<FileDescriptor> ParseFiles(const Json* j, const std::string& where) {
  std::vector<FileDescriptor> files;
  if (!j) return files;
  const Json& list = ArrayOf(*j, where);
  for (size_t i = 0; i < list.AsArray().size(); ++i) files.push_back(ParseFile(list.AsArray()[i], where + "[" + std::to_string(i) + "]"));
  return files;
}

// `partial` receives the component's "partialFiles": what the writer records with
// IVssComponent::AddPartialFile when the requester supports partial files.
// `sets` receives what else the writer sets on the component while handling events (SimWriter::ComponentSets).
Component ParseComponent(const Json& j, const std::string& where, std::vector<PartialFile>& partial, SimWriter::ComponentSets& sets) {
  CheckKeys(j, where, {"name", "logicalPath", "caption", "type", "selectable", "selectableForRestore", "restoreMetadata",
                       "notifyOnBackupComplete", "flags", "files", "databaseFiles", "logFiles", "dependencies", "partialFiles",
                       "differencedFiles", "failure", "restoreTarget", "directedTargets", "preRestoreMetadata"});
  Component c;
  c.name = Str(j.Find("name") ? *j.Find("name") : Json(), where + ".name");
  if (c.name.empty()) Bad(where + ".name", "must not be empty");
  if (const Json* v = j.Find("logicalPath")) c.logicalPath = Str(*v, where + ".logicalPath");
  if (const Json* v = j.Find("caption")) c.caption = Str(*v, where + ".caption");
  c.type = 2;
  if (const Json* v = j.Find("type")) {
    std::string type = Str(*v, where + ".type");
    if (type == "database") c.type = 1;
    else if (type != "file-group") Bad(where + ".type", "expected 'database' or 'file-group'");
  }
  c.selectable = j.Find("selectable") ? Bool(*j.Find("selectable"), where + ".selectable") : true;
  if (const Json* v = j.Find("selectableForRestore")) c.selectableForRestore = Bool(*v, where + ".selectableForRestore");
  if (const Json* v = j.Find("restoreMetadata")) c.restoreMetadata = Bool(*v, where + ".restoreMetadata");
  if (const Json* v = j.Find("notifyOnBackupComplete")) c.notifyOnBackupComplete = Bool(*v, where + ".notifyOnBackupComplete");
  if (const Json* v = j.Find("flags")) c.flags = Bounded<uint32_t>(*v, where + ".flags");
  c.files = ParseFiles(j.Find("files"), where + ".files");
  c.databaseFiles = ParseFiles(j.Find("databaseFiles"), where + ".databaseFiles");
  c.logFiles = ParseFiles(j.Find("logFiles"), where + ".logFiles");
  if (c.type == 2 && (!c.databaseFiles.empty() || !c.logFiles.empty())) Bad(where, "a file-group component has no database or log files");
  if (const Json* list = j.Find("partialFiles")) {
    for (size_t i = 0; i < ArrayOf(*list, where + ".partialFiles").AsArray().size(); ++i) {
      const Json& f = list->AsArray()[i];
      const std::string at = where + ".partialFiles[" + std::to_string(i) + "]";
      CheckKeys(f, at, {"path", "filespec", "ranges", "metadata"});
      PartialFile p;
      p.path = Str(f.Find("path") ? *f.Find("path") : Json(), at + ".path");
      p.filespec = Str(f.Find("filespec") ? *f.Find("filespec") : Json(), at + ".filespec");
      if (p.path.empty() || p.filespec.empty()) Bad(at, "needs a path and a filespec");
      if (const Json* v = f.Find("ranges")) p.ranges = Str(*v, at + ".ranges");
      if (const Json* v = f.Find("metadata")) p.metadata = Str(*v, at + ".metadata");
      partial.push_back(std::move(p));
    }
  }
  auto text = [&](const Json& o, const char* key, const std::string& at) {
    const Json* v = o.Find(key);
    return v ? Str(*v, at + "." + key) : std::string();
  };
  if (const Json* list = j.Find("differencedFiles")) {
    for (size_t i = 0; i < ArrayOf(*list, where + ".differencedFiles").AsArray().size(); ++i) {
      const Json& f = list->AsArray()[i];
      const std::string at = where + ".differencedFiles[" + std::to_string(i) + "]";
      CheckKeys(f, at, {"path", "filespec", "recursive", "lastModifyTime"});
      DifferencedFile d;
      d.path = text(f, "path", at);
      d.filespec = text(f, "filespec", at);
      if (d.path.empty() || d.filespec.empty()) Bad(at, "needs a path and a filespec");
      if (const Json* v = f.Find("recursive")) d.recursive = Bool(*v, at + ".recursive");
      // A FILETIME (UTC), as decimal text: it does not fit a JSON number. 0 or absent: none.
      const std::string time = text(f, "lastModifyTime", at);
      if (!time.empty()) {
        if (time.size() > 19 || time.find_first_not_of("0123456789") != std::string::npos) Bad(at + ".lastModifyTime", "expected a FILETIME as decimal text");
        d.lastModifyTime = std::stoull(time);
        d.hasTime = d.lastModifyTime != 0;
      }
      sets.differencedFiles.push_back(std::move(d));
    }
  }
  if (const Json* f = j.Find("failure")) {
    const std::string at = where + ".failure";
    CheckKeys(*f, at, {"error", "applicationError", "message"});
    sets.failure.set = true;
    sets.failure.hr = f->Find("error") ? HresultOf(*f->Find("error"), at + ".error") : 0;
    // IVssComponentEx2::SetFailure takes S_OK or one of five VSS_E_WRITERERROR_* ("the error codes that
    // this method can set"); PARTIAL_FAILURE is the writer's own error (SetWriterFailureEx), not a component's.
    const uint32_t code = sets.failure.hr;
    if (code != 0 && !(code >= hr::kWriterErrorInconsistentSnapshot && code <= hr::kWriterErrorNonRetryable))
      Bad(at + ".error", "a component fails with S_OK or VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, OUTOFRESOURCES, TIMEOUT, RETRYABLE or NONRETRYABLE (IVssComponentEx2::SetFailure)");
    if (const Json* v = f->Find("applicationError")) sets.failure.applicationError = HresultOf(*v, at + ".applicationError");
    sets.failure.message = text(*f, "message", at);
  }
  if (const Json* v = j.Find("restoreTarget")) sets.restoreTarget = EnumValue(*v, Vocabulary::RestoreTarget, where + ".restoreTarget");
  if (const Json* list = j.Find("directedTargets")) {
    for (size_t i = 0; i < ArrayOf(*list, where + ".directedTargets").AsArray().size(); ++i) {
      const Json& t = list->AsArray()[i];
      const std::string at = where + ".directedTargets[" + std::to_string(i) + "]";
      CheckKeys(t, at, {"sourcePath", "sourceFilespec", "sourceRanges", "targetPath", "targetFilespec", "targetRanges"});
      DirectedTarget d{text(t, "sourcePath", at), text(t, "sourceFilespec", at), text(t, "sourceRanges", at),
                       text(t, "targetPath", at), text(t, "targetFilespec", at), text(t, "targetRanges", at)};
      if (d.sourcePath.empty() || d.sourceFilespec.empty() || d.targetPath.empty() || d.targetFilespec.empty())
        Bad(at, "needs a sourcePath, sourceFilespec, targetPath and targetFilespec");
      sets.directedTargets.push_back(std::move(d));
    }
  }
  if (const Json* v = j.Find("preRestoreMetadata")) sets.restoreMetadata = Str(*v, where + ".preRestoreMetadata");
  if (const Json* deps = j.Find("dependencies")) {
    for (size_t i = 0; i < ArrayOf(*deps, where + ".dependencies").AsArray().size(); ++i) {
      const Json& d = deps->AsArray()[i];
      std::string at = where + ".dependencies[" + std::to_string(i) + "]";
      CheckKeys(d, at, {"writerId", "logicalPath", "componentName"});
      Dependency dep;
      dep.writerId = GuidOf(d.Find("writerId") ? *d.Find("writerId") : Json(), at + ".writerId");
      if (const Json* v = d.Find("logicalPath")) dep.logicalPath = Str(*v, at + ".logicalPath");
      dep.componentName = Str(d.Find("componentName") ? *d.Find("componentName") : Json(), at + ".componentName");
      c.dependencies.push_back(dep);
    }
  }
  return c;
}

void ApplyWriter(Machine& m, const Json& j, const std::string& where) {
  CheckKeys(j, where, {"name", "writerId", "instanceId", "instanceName", "usage", "source", "backupSchema", "version", "restoreMethod",
                       "components", "includeFiles", "excludeFiles", "excludeFromSnapshot", "alternateLocationMappings", "volumes",
                       "blocksRevert", "state", "lastError", "applicationError", "failureMessage", "freezeTimeoutMs", "remove", "metadataXml"});
  SimWriter* existing = nullptr;
  if (const Json* x = j.Find("metadataXml")) {
    // A writer given by its metadata document, as IVssExamineWriterMetadata::SaveAsXML wrote it.
    WriterMetadata parsed;
    try {
      parsed = ParseWriterMetadataXml(Str(*x, where + ".metadataXml"), "LoadScenario");
    } catch (const VssException& e) {
      Bad(where + ".metadataXml", e.detail());
    }
    if (j.Find("writerId") && GuidOf(*j.Find("writerId"), where + ".writerId") != parsed.writerId)
      Bad(where + ".writerId", "differs from the writerId in metadataXml");
    for (SimWriter& w : m.writers)
      if (w.metadata.writerId == parsed.writerId && w.metadata.instanceId == parsed.instanceId) existing = &w;
    if (!existing) {
      m.writers.push_back(SimWriter{});
      existing = &m.writers.back();
    }
    existing->metadata = std::move(parsed);
  } else if (const Json* id = j.Find("writerId")) {
    // Instances of one writer class share its writerId (Exchange's writer and replica
    // writer); with an instanceId, only that instance is the same writer.
    Guid writerId = GuidOf(*id, where + ".writerId");
    std::optional<Guid> instanceId;
    if (const Json* v = j.Find("instanceId")) instanceId = GuidOf(*v, where + ".instanceId");
    for (SimWriter& w : m.writers)
      if (w.metadata.writerId == writerId && (!instanceId || w.metadata.instanceId == *instanceId)) existing = &w;
  } else if (const Json* name = j.Find("name")) {
    existing = m.FindWriter(Str(*name, where + ".name"));
    if (!existing) Bad(where, "no writer named '" + name->AsString() + "' (a new writer needs a writerId)");
  } else {
    Bad(where, "a writer needs a writerId or the name of an existing writer");
  }
  if (const Json* remove = j.Find("remove"); remove && Bool(*remove, where + ".remove")) {
    if (!existing) Bad(where, "cannot remove a writer that does not exist");
    m.writers.erase(m.writers.begin() + (existing - m.writers.data()));
    return;
  }
  if (!existing) {
    SimWriter fresh;
    fresh.metadata.writerId = GuidOf(*j.Find("writerId"), where + ".writerId");
    if (!j.Find("name")) Bad(where, "a new writer needs a name");
    fresh.metadata.instanceId = Guid::FromSeed("instance:" + fresh.metadata.writerId.ToString());
    fresh.metadata.usage = 4;
    fresh.metadata.source = 3;
    m.writers.push_back(fresh);
    existing = &m.writers.back();
  }
  SimWriter& w = *existing;
  WriterMetadata& md = w.metadata;
  if (const Json* v = j.Find("name")) md.name = Str(*v, where + ".name");
  if (const Json* v = j.Find("instanceId")) md.instanceId = GuidOf(*v, where + ".instanceId");
  if (const Json* v = j.Find("instanceName")) md.instanceName = Str(*v, where + ".instanceName");
  if (const Json* v = j.Find("usage")) md.usage = EnumValue(*v, Vocabulary::UsageType, where + ".usage");
  if (const Json* v = j.Find("source")) md.source = EnumValue(*v, Vocabulary::SourceType, where + ".source");
  if (const Json* v = j.Find("backupSchema")) md.backupSchema = Bounded<uint32_t>(*v, where + ".backupSchema");
  if (const Json* v = j.Find("version")) {
    std::string text = Str(*v, where + ".version");
    size_t dot = text.find('.');
    md.versionMajor = static_cast<uint32_t>(std::atoi(text.c_str()));
    md.versionMinor = dot == std::string::npos ? 0 : static_cast<uint32_t>(std::atoi(text.c_str() + dot + 1));
  }
  if (const Json* r = j.Find("restoreMethod")) {
    if (r->IsNull()) {
      md.hasRestoreMethod = false;
    } else {
      std::string at = where + ".restoreMethod";
      CheckKeys(*r, at, {"method", "service", "userProcedure", "writerRestore", "rebootRequired"});
      md.hasRestoreMethod = true;
      md.restoreMethod = RestoreMethod{};
      if (const Json* v = r->Find("method")) md.restoreMethod.method = EnumValue(*v, Vocabulary::RestoreMethod, at + ".method");
      if (const Json* v = r->Find("service")) md.restoreMethod.service = Str(*v, at + ".service");
      if (const Json* v = r->Find("userProcedure")) md.restoreMethod.userProcedure = Str(*v, at + ".userProcedure");
      if (const Json* v = r->Find("writerRestore")) md.restoreMethod.writerRestore = EnumValue(*v, Vocabulary::WriterRestore, at + ".writerRestore");
      if (const Json* v = r->Find("rebootRequired")) md.restoreMethod.rebootRequired = Bool(*v, at + ".rebootRequired");
    }
  }
  if (const Json* comps = j.Find("components")) {
    md.components.clear();
    w.partialFiles.clear();
    w.componentSets.clear();
    std::set<std::string> seen;
    for (size_t i = 0; i < ArrayOf(*comps, where + ".components").AsArray().size(); ++i) {
      std::vector<PartialFile> partial;
      SimWriter::ComponentSets sets;
      Component c = ParseComponent(comps->AsArray()[i], where + ".components[" + std::to_string(i) + "]", partial, sets);
      if (!partial.empty()) w.partialFiles[ComponentKey(c.logicalPath, c.name)] = std::move(partial);
      w.componentSets[ComponentKey(c.logicalPath, c.name)] = std::move(sets);
      if (!seen.insert(c.logicalPath + "\\" + c.name).second)
        Bad(where + ".components[" + std::to_string(i) + "]", "duplicate component '" + c.name + "'");
      md.components.push_back(std::move(c));
    }
  }
  if (const Json* v = j.Find("includeFiles")) md.includeFiles = ParseFiles(v, where + ".includeFiles");
  if (const Json* v = j.Find("excludeFiles")) md.excludeFiles = ParseFiles(v, where + ".excludeFiles");
  if (const Json* v = j.Find("excludeFromSnapshot")) md.excludeFromSnapshot = ParseFiles(v, where + ".excludeFromSnapshot");
  if (const Json* v = j.Find("alternateLocationMappings")) md.alternateLocationMappings = ParseFiles(v, where + ".alternateLocationMappings");
  md.restoreMethod.mappingCount = static_cast<uint32_t>(md.alternateLocationMappings.size());
  if (const Json* v = j.Find("volumes")) {
    w.volumes.clear();
    for (size_t i = 0; i < ArrayOf(*v, where + ".volumes").AsArray().size(); ++i)
      w.volumes.push_back(Str(v->AsArray()[i], where + ".volumes[" + std::to_string(i) + "]"));
  }
  if (const Json* v = j.Find("blocksRevert")) w.blocksRevert = Bool(*v, where + ".blocksRevert");
  if (const Json* v = j.Find("state")) {
    w.state = EnumValue(*v, Vocabulary::WriterState, where + ".state");
    w.identifyBroken = w.state == FailedStateFor(Phase::Identify);
  }
  if (const Json* v = j.Find("lastError")) w.lastError = v->IsNull() ? 0 : HresultOf(*v, where + ".lastError");
  if (const Json* v = j.Find("applicationError")) w.applicationError = v->IsNull() ? 0 : HresultOf(*v, where + ".applicationError");
  if (const Json* v = j.Find("failureMessage")) w.failureMessage = v->IsNull() ? "" : Str(*v, where + ".failureMessage");
  if (const Json* v = j.Find("freezeTimeoutMs")) w.freezeTimeoutMs = NonNegative(*v, where + ".freezeTimeoutMs");
  // The scenario's writer calls AddDifferencedFilesByLastModifyTime for its differencedFiles, which
  // "can be called only by writers that support the last modify schema (VSS_BS_LAST_MODIFY)" (that
  // method's page): a writer that declares no such schema could not have set them.
  constexpr uint32_t kLastModifySchema = 0x40;  // VSS_BS_LAST_MODIFY (vss.h)
  if ((md.backupSchema & kLastModifySchema) == 0)
    for (const Component& c : md.components) {
      auto sets = w.componentSets.find(ComponentKey(c.logicalPath, c.name));
      if (sets != w.componentSets.end() && !sets->second.differencedFiles.empty())
        Bad(where + ".backupSchema", "component '" + c.name + "' has differencedFiles, which need VSS_BS_LAST_MODIFY (0x40) in the writer's backupSchema (IVssComponent::AddDifferencedFilesByLastModifyTime)");
    }
}

// A list of LUN names (scenario keys "luns" of a volume and of a hardware provider).
std::vector<std::string> LunList(const Json& j, const std::string& where) {
  std::vector<std::string> luns;
  for (size_t i = 0; i < ArrayOf(j, where).AsArray().size(); ++i) {
    std::string lun = Str(j.AsArray()[i], where + "[" + std::to_string(i) + "]");
    if (lun.empty()) Bad(where + "[" + std::to_string(i) + "]", "must not be empty");
    luns.push_back(std::move(lun));
  }
  return luns;
}

void ApplyProvider(Machine& m, const Json& j, const std::string& where) {
  CheckKeys(j, where, {"providerId", "name", "type", "version", "versionId", "classId", "failAtCommit", "times", "luns"});
  Guid id = GuidOf(j.Find("providerId") ? *j.Find("providerId") : Json(), where + ".providerId");
  SimProvider* p = m.FindProvider(id);
  if (!p) {
    m.providers.push_back(SimProvider{});
    p = &m.providers.back();
    p->properties.providerId = id;
    p->properties.type = 2;
    p->properties.version = "1.0";
    p->properties.versionId = Guid::FromSeed("version:" + id.ToString());
    p->properties.classId = Guid::FromSeed("class:" + id.ToString());
    if (!j.Find("name")) Bad(where, "a new provider needs a name");
  }
  if (const Json* v = j.Find("name")) p->properties.name = Str(*v, where + ".name");
  if (const Json* v = j.Find("type")) p->properties.type = EnumValue(*v, Vocabulary::ProviderType, where + ".type");
  if (const Json* v = j.Find("version")) p->properties.version = Str(*v, where + ".version");
  if (const Json* v = j.Find("versionId")) p->properties.versionId = GuidOf(*v, where + ".versionId");
  if (const Json* v = j.Find("classId")) p->properties.classId = GuidOf(*v, where + ".classId");
  if (const Json* v = j.Find("failAtCommit")) p->failAtCommit = v->IsNull() ? 0 : HresultOf(*v, where + ".failAtCommit");
  if (const Json* v = j.Find("times")) p->failRemaining = Bounded<int>(*v, where + ".times");
  if (const Json* v = j.Find("luns")) p->luns = LunList(*v, where + ".luns");
}

void ApplyVolume(Machine& m, const Json& j, const std::string& where) {
  CheckKeys(j, where, {"name", "guid", "label", "path", "unsupported", "providers", "luns", "maxShadows", "diffAreaMaximum", "snapshotCompatibility", "totalSpace",
                       "freeSpace", "protectionLevel", "remove"});
  std::string name = Str(j.Find("name") ? *j.Find("name") : Json(), where + ".name");
  if (name.empty()) Bad(where + ".name", "must not be empty");
  if (name.back() != '\\') name += '\\';
  // The forms README gives (a drive, a mount folder on one, a volume GUID path): a bare "Q" would be
  // listed as "Q\" and then never match "Q:" (cold8 F11).
  static const std::regex kVolumeName(R"re(^([A-Za-z]:\\([^\\/:*?"<>|]+\\)*|\\\\\?\\Volume\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}\\)$)re");
  if (!std::regex_match(name, kVolumeName))
    Bad(where + ".name", "must be a drive (E:\\), a mount folder (E:\\Mount\\Data\\) or a \\\\?\\Volume{guid}\\ name, not '" + name.substr(0, name.size() - 1) + "'");
  SimVolume* v = m.FindVolume(name);
  if (const Json* remove = j.Find("remove"); remove && Bool(*remove, where + ".remove")) {
    if (!v) Bad(where, "cannot remove a volume that does not exist");
    m.volumes.erase(m.volumes.begin() + (v - m.volumes.data()));
    return;
  }
  if (!v) {
    m.volumes.push_back(SimVolume{});
    v = &m.volumes.back();
    v->name = name;
    Guid guid = j.Find("guid") ? GuidOf(*j.Find("guid"), where + ".guid") : Guid::FromSeed("volume:" + m.machineName + ":" + name);
    v->guidName = "\\\\?\\Volume{" + guid.ToString() + "}\\";
  } else if (const Json* g = j.Find("guid")) {
    v->guidName = "\\\\?\\Volume{" + GuidOf(*g, where + ".guid").ToString() + "}\\";
  }
  if (const Json* x = j.Find("label")) v->label = Str(*x, where + ".label");
  if (const Json* x = j.Find("path")) {
    v->hostPath = x->IsNull() ? "" : Str(*x, where + ".path");
    // A volume backed by a folder that is not there would fail only at the first snapshot.
    std::error_code ec;
    if (!v->hostPath.empty() && !std::filesystem::is_directory(v->hostPath, ec))
      Bad(where + ".path", "no folder " + v->hostPath + " on this host (a volume's path must be an existing folder)");
  }
  if (const Json* x = j.Find("unsupported")) v->unsupported = Bool(*x, where + ".unsupported");
  if (const Json* x = j.Find("providers")) {
    v->providers.clear();
    for (size_t i = 0; i < ArrayOf(*x, where + ".providers").AsArray().size(); ++i)
      v->providers.push_back(GuidOf(x->AsArray()[i], where + ".providers[" + std::to_string(i) + "]"));
  }
  if (const Json* x = j.Find("luns")) v->luns = LunList(*x, where + ".luns");
  if (const Json* x = j.Find("maxShadows")) v->maxShadows = Bounded<int>(*x, where + ".maxShadows");
  if (const Json* x = j.Find("snapshotCompatibility")) {
    v->snapshotCompatibility = Bounded<int>(*x, where + ".snapshotCompatibility");
    // VSS_SC_DISABLE_DEFRAG | VSS_SC_DISABLE_CONTENTINDEX are the only bits _VSS_SNAPSHOT_COMPATIBILITY defines.
    if (v->snapshotCompatibility < 0 || (v->snapshotCompatibility & ~3) != 0)
      Bad(where + ".snapshotCompatibility", "VSS_SNAPSHOT_COMPATIBILITY bits: 1 (disable defrag), 2 (disable content index), or both");
  }
  if (const Json* x = j.Find("diffAreaMaximum")) v->diffAreaMaximum = Bounded<int64_t>(*x, where + ".diffAreaMaximum");
  if (const Json* x = j.Find("protectionLevel")) v->protectionLevel = EnumValue(*x, Vocabulary::ProtectionLevel, where + ".protectionLevel");
  if (const Json* x = j.Find("totalSpace")) v->totalSpace = Bounded<int64_t>(*x, where + ".totalSpace");
  if (const Json* x = j.Find("freeSpace")) v->freeSpace = Bounded<int64_t>(*x, where + ".freeSpace");
  if (v->totalSpace < 0 || v->freeSpace < 0 || v->freeSpace > v->totalSpace)
    Bad(where + ".freeSpace", "sizes in bytes: 0 <= freeSpace <= totalSpace (" + std::to_string(v->totalSpace) + ")");
}

// A file server this machine reaches: { name, fqdn?, addresses?, agent?, shares: [{ name, volume?,
// path?, unsupported? }] } (file_shares.h). An existing server (by name) is replaced whole.
void ApplyFileServer(Machine& m, const Json& j, const std::string& where) {
  CheckKeys(j, where, {"name", "fqdn", "addresses", "agent", "shares", "remove"});
  SimFileServer server;
  server.name = Str(j.Find("name") ? *j.Find("name") : Json(), where + ".name");
  if (server.name.empty() || server.name.find_first_of("\\/:*?\"<>| .") != std::string::npos)
    Bad(where + ".name", "a host name (no dots, spaces or path characters): its FQDN goes in 'fqdn'");
  auto same = [&](const SimFileServer& s) { return SameName(s.name, server.name); };
  auto existing = std::find_if(m.fileServers.begin(), m.fileServers.end(), same);
  if (const Json* remove = j.Find("remove"); remove && Bool(*remove, where + ".remove")) {
    if (existing == m.fileServers.end()) Bad(where, "cannot remove a file server that does not exist");
    m.fileServers.erase(existing);
    return;
  }
  // Without a domain of its own, the server is in this machine's (sim-server.contoso.local: contoso.local).
  const size_t dot = m.machineName.find('.');
  server.fqdn = j.Find("fqdn") ? Str(*j.Find("fqdn"), where + ".fqdn") : server.name + (dot == std::string::npos ? "" : m.machineName.substr(dot));
  if (server.fqdn.find('.') == std::string::npos && server.fqdn != server.name) Bad(where + ".fqdn", "a fully qualified domain name (host.domain)");
  if (const Json* x = j.Find("addresses")) server.addresses = LunList(*x, where + ".addresses");
  if (const Json* x = j.Find("agent")) server.agent = Bool(*x, where + ".agent");
  if (const Json* list = j.Find("shares")) {
    for (size_t i = 0; i < ArrayOf(*list, where + ".shares").AsArray().size(); ++i) {
      const Json& sj = list->AsArray()[i];
      const std::string at = where + ".shares[" + std::to_string(i) + "]";
      CheckKeys(sj, at, {"name", "volume", "path", "unsupported"});
      SimShare share;
      share.name = Str(sj.Find("name") ? *sj.Find("name") : Json(), at + ".name");
      if (share.name.empty() || share.name.find_first_of("\\/:*?\"<>|") != std::string::npos) Bad(at + ".name", "a share name (no path characters)");
      if (const Json* x = sj.Find("volume")) share.serverVolume = Str(*x, at + ".volume");
      if (const Json* x = sj.Find("unsupported")) share.unsupported = Bool(*x, at + ".unsupported");
      if (const Json* x = sj.Find("path")) {
        share.hostPath = x->IsNull() ? "" : Str(*x, at + ".path");
        std::error_code ec;
        if (!share.hostPath.empty() && !std::filesystem::is_directory(share.hostPath, ec))
          Bad(at + ".path", "no folder " + share.hostPath + " on this host (a share's path must be an existing folder)");
      }
      for (const SimShare& other : server.shares)
        if (SameName(other.name, share.name)) Bad(at + ".name", "two shares of " + server.name + " are named " + share.name);
      server.shares.push_back(share);
    }
  }
  if (existing != m.fileServers.end()) *existing = server;
  else m.fileServers.push_back(server);
}

void ApplyTiming(Machine& m, const Json& j) {
  CheckKeys(j, "timing", {"timeScale", "identifyMs", "prepareBackupMs", "prepareSnapshotMs", "freezeMs", "flushMs", "commitMs", "thawMs",
                          "postSnapshotMs", "backupCompleteMs", "preRestoreMs", "postRestoreMs", "statusMs", "responseTimeoutMs"});
  Timing& t = m.timing;
  std::pair<const char*, double*> fields[] = {
      {"timeScale", &t.timeScale}, {"identifyMs", &t.identifyMs}, {"prepareBackupMs", &t.prepareBackupMs},
      {"prepareSnapshotMs", &t.prepareSnapshotMs}, {"freezeMs", &t.freezeMs}, {"flushMs", &t.flushMs}, {"commitMs", &t.commitMs}, {"thawMs", &t.thawMs},
      {"postSnapshotMs", &t.postSnapshotMs}, {"backupCompleteMs", &t.backupCompleteMs}, {"preRestoreMs", &t.preRestoreMs},
      {"postRestoreMs", &t.postRestoreMs}, {"statusMs", &t.statusMs}, {"responseTimeoutMs", &t.responseTimeoutMs}};
  for (auto& field : fields)
    if (const Json* v = j.Find(field.first)) *field.second = NonNegative(*v, std::string("timing.") + field.first);
}

// VSS_PROTECTION_LEVEL: at original-volume (the default) "I/O to the original volume must be
// maintained at the expense of shadow copies": they are deleted (VolSnap 36 when the storage hit its
// maximum, 25 when it could not grow in time). At snapshot level "all I/O to the original volume
// will fail": the volume goes offline with the fault, and its shadow copies stay.
void StrikeProtectionFault(Machine& m, SimVolume& v, int32_t fault, int32_t status) {
  if (v.protectionLevel == 1) {
    v.offlineForProtection = true;
    v.protectionFault = fault;
    v.protectionFailureStatus = status;
    return;
  }
  std::vector<SimShadow> kept;
  int deleted = 0;
  for (SimShadow& s : m.shadows) {
    if (s.volumeName != v.name) {
      kept.push_back(std::move(s));
      continue;
    }
    if (!s.contentPath.empty()) Machine::RemoveContent(s.contentPath);
    ++deleted;
  }
  m.shadows = std::move(kept);
  if (deleted == 0) return;
  // VolSnap's words (volsnap.sys message table, native/core/event_table.inc), with a drive
  // named as VolSnap names it: "volume C:" (KB 312067's and the CSS blog's logged events).
  std::string drive = v.name;
  if (drive.size() == 3 && drive[1] == ':') drive.pop_back();
  if (fault == static_cast<int32_t>(TermCode(Vocabulary::ProtectionFault, "diff-area-full")))
    m.LogEvent("VolSnap", 36, "The shadow copies of volume " + drive + " were aborted because the shadow copy storage could not grow due to a user imposed limit.",
               {{"volume", v.name}});
  else if (fault == static_cast<int32_t>(TermCode(Vocabulary::ProtectionFault, "grow-too-slow")))
    m.LogEvent("VolSnap", 25,
               "The shadow copies of volume " + drive +
                   " were deleted because the shadow copy storage could not grow in time.  Consider reducing the IO load on the system or choose a shadow copy storage volume that is not being shadow copied.",
               {{"volume", v.name}});
}

void ApplyFaults(Machine& m, const Json& list) {
  // A "faults" list replaces every fault set before, so `configure({ faults: [] })` clears them.
  for (SimWriter& w : m.writers) w.faults.clear();
  for (SimProvider& p : m.providers) {
    p.failAtCommit = 0;
    p.failRemaining = -1;
  }
  for (SimVolume& v : m.volumes) v.faultUnsupported = false;
  m.externalSetInProgress = false;
  m.externalSetInProgressRemaining = -1;
  for (size_t i = 0; i < ArrayOf(list, "faults").AsArray().size(); ++i) {
    const Json& f = list.AsArray()[i];
    std::string where = "faults[" + std::to_string(i) + "]";
    if (f.Find("writer")) {
      CheckKeys(f, where, {"writer", "phase", "kind", "error", "delayMs", "times", "applicationError", "message", "state"});
      SimWriter* w = m.FindWriter(Str(*f.Find("writer"), where + ".writer"));
      if (!w) Bad(where + ".writer", "no writer '" + f.Find("writer")->AsString() + "' on this machine");
      WriterFault fault;
      std::string phase = Str(f.Find("phase") ? *f.Find("phase") : Json(), where + ".phase");
      std::optional<Phase> parsed = ParsePhase(phase);
      if (!parsed) Bad(where + ".phase", "expected identify, prepare-backup, prepare-snapshot, freeze, thaw, post-snapshot, backup-complete, pre-restore, post-restore, backup-shutdown or abort");
      fault.phase = *parsed;
      std::string kind = f.Find("kind") ? Str(*f.Find("kind"), where + ".kind") : (f.Find("delayMs") && !f.Find("error") ? "slow" : "fail");
      if (kind == "fail") fault.kind = FaultKind::Fail;
      else if (kind == "veto") fault.kind = FaultKind::Veto;
      else if (kind == "slow") fault.kind = FaultKind::Slow;
      else if (kind == "hang") fault.kind = FaultKind::Hang;
      else if (kind == "state") fault.kind = FaultKind::State;
      else if (kind == "no-stamp") fault.kind = FaultKind::NoStamp;
      else if (kind == "metadata") fault.kind = FaultKind::Metadata;
      else Bad(where + ".kind", "expected fail, veto, slow, hang, state, no-stamp or metadata");
      // The contract-breaking kinds, each where its event happens: a writer stamps its
      // components in PostSnapshot (IVssComponent::SetBackupStamp) and describes itself in
      // Identify; OnAbort can only leave the writer in the wrong state.
      if (fault.kind == FaultKind::NoStamp && fault.phase != Phase::PostSnapshot) Bad(where + ".phase", "a writer stamps its components in post-snapshot");
      if (fault.kind == FaultKind::Metadata && fault.phase != Phase::Identify) Bad(where + ".phase", "a writer gives its metadata in identify");
      if (fault.phase == Phase::Abort && fault.kind != FaultKind::State) Bad(where + ".kind", "at abort a writer can only be left in the wrong state ('state')");
      if (fault.phase == Phase::BackupShutdown && fault.kind == FaultKind::State) Bad(where + ".kind", "'state' is not modelled at backup-shutdown");
      if (fault.kind == FaultKind::State) {
        if (!f.Find("state")) Bad(where, "a 'state' fault needs the state the writer is left in");
        fault.state = EnumValue(*f.Find("state"), Vocabulary::WriterState, where + ".state");
      } else if (f.Find("state")) {
        Bad(where + ".state", "only a 'state' fault takes a state");
      }
      // Only the handlers of the events inside DoSnapshotSet can veto the shadow copy
      // (CVssWriter::OnPrepareSnapshot, OnFreeze, OnThaw).
      if (fault.kind == FaultKind::Veto && fault.phase != Phase::PrepareSnapshot && fault.phase != Phase::Freeze && fault.phase != Phase::Thaw)
        Bad(where + ".kind", "a writer vetoes the shadow copy only in prepare-snapshot, freeze or thaw; use 'fail' in " + phase);
      if (fault.kind == FaultKind::Fail || fault.kind == FaultKind::Veto) {
        if (!f.Find("error")) Bad(where, "a failing writer needs an error (VSS_E_WRITERERROR_*)");
        fault.error = HresultOf(*f.Find("error"), where + ".error");
        // SetWriterFailure takes only the writer errors (CVssWriter::SetWriterFailure, CVssWriterEx2::SetWriterFailureEx).
        const bool writerError = (fault.error >= hr::kWriterErrorInconsistentSnapshot && fault.error <= hr::kWriterErrorRecoveryFailed) ||
                                 fault.error == hr::kWriterErrorPartialFailure;
        if (!writerError)
          Bad(where + ".error", "a writer fails with a VSS_E_WRITERERROR_* (INCONSISTENTSNAPSHOT, OUTOFRESOURCES, TIMEOUT, RETRYABLE, NONRETRYABLE, RECOVERY_FAILED or PARTIAL_FAILURE); the application's own error goes in applicationError");
        // VSS_E_WRITERERROR_PARTIAL_FAILURE: "The writer is reporting one or more component-level errors.
        // To report errors, the writer must use the IVssComponentEx2::SetFailure method"
        // (CVssWriterEx2::SetWriterFailureEx): a writer failing so names the components that failed.
        if (fault.error == hr::kWriterErrorPartialFailure) {
          bool anyFailed = false;
          for (const auto& [key, sets] : w->componentSets) anyFailed = anyFailed || (sets.failure.set && sets.failure.hr != 0);
          if (!anyFailed)
            Bad(where + ".error", "VSS_E_WRITERERROR_PARTIAL_FAILURE reports component-level errors: give the components that failed a 'failure' (IVssComponentEx2::SetFailure)");
        }
      }
      if (const Json* v = f.Find("delayMs")) fault.delayMs = NonNegative(*v, where + ".delayMs");
      if (fault.kind == FaultKind::Slow && fault.delayMs <= 0) Bad(where + ".delayMs", "a slow writer needs delayMs > 0");
      if (const Json* v = f.Find("times")) fault.remaining = Bounded<int>(*v, where + ".times");
      if (const Json* v = f.Find("applicationError")) fault.applicationError = HresultOf(*v, where + ".applicationError");
      if (const Json* v = f.Find("message")) fault.message = Str(*v, where + ".message");
      w->faults.push_back(fault);
    } else if (f.Find("provider")) {
      CheckKeys(f, where, {"provider", "phase", "error", "times"});
      SimProvider* p = m.FindProvider(GuidOf(*f.Find("provider"), where + ".provider"));
      if (!p) Bad(where + ".provider", "no such provider on this machine");
      if (f.Find("phase") && Str(*f.Find("phase"), where + ".phase") != "commit") Bad(where + ".phase", "providers fail at 'commit'");
      p->failAtCommit = f.Find("error") ? HresultOf(*f.Find("error"), where + ".error") : hr::kVssUnexpectedProviderError;
      p->failRemaining = f.Find("times") ? Bounded<int>(*f.Find("times"), where + ".times") : -1;
    } else if (f.Find("volume")) {
      CheckKeys(f, where, {"volume", "unsupported", "protectionFault", "failureStatus"});
      SimVolume* v = m.FindVolume(Str(*f.Find("volume"), where + ".volume"));
      if (!v) Bad(where + ".volume", "no such volume on this machine");
      if (const Json* p = f.Find("protectionFault")) {
        // A protection fault happens when configured (it is an event, not a standing fault).
        const int32_t fault = EnumValue(*p, Vocabulary::ProtectionFault, where + ".protectionFault");
        if (fault == 0) Bad(where + ".protectionFault", "name a fault (not 'none')");
        const int32_t status = f.Find("failureStatus") ? static_cast<int32_t>(Bounded<uint32_t>(*f.Find("failureStatus"), where + ".failureStatus")) : 0;
        StrikeProtectionFault(m, *v, fault, status);
        if (!f.Find("unsupported")) continue;
      }
      v->faultUnsupported = f.Find("unsupported") ? Bool(*f.Find("unsupported"), where + ".unsupported") : true;
    } else if (f.Find("machine")) {
      CheckKeys(f, where, {"machine", "times"});
      if (Str(*f.Find("machine"), where + ".machine") != "snapshot-set-in-progress") Bad(where + ".machine", "expected 'snapshot-set-in-progress'");
      m.externalSetInProgress = true;
      // `times`: the other requester refuses that many StartSnapshotSet calls, then is done.
      m.externalSetInProgressRemaining = f.Find("times") ? Bounded<int>(*f.Find("times"), where + ".times") : -1;
      if (m.externalSetInProgressRemaining == 0) m.externalSetInProgress = false;
    } else {
      Bad(where, "a fault names a writer, a provider, a volume or the machine");
    }
  }
}

void ApplyShadows(Machine& m, const Json& list) {
  for (size_t i = 0; i < ArrayOf(list, "shadows").AsArray().size(); ++i) {
    const Json& s = list.AsArray()[i];
    std::string where = "shadows[" + std::to_string(i) + "]";
    CheckKeys(s, where, {"volume", "persistent", "createdAt", "snapshotId", "snapshotSetId"});
    SimVolume* v = m.FindVolume(Str(s.Find("volume") ? *s.Find("volume") : Json(), where + ".volume"));
    if (!v) Bad(where + ".volume", "no such volume on this machine");
    SimShadow shadow;
    shadow.volumeName = v->name;
    shadow.persistent = s.Find("persistent") ? Bool(*s.Find("persistent"), where + ".persistent") : true;
    shadow.context = shadow.persistent ? ctx::kAppRollback : ctx::kBackup;
    SnapshotProperties& p = shadow.properties;
    p.snapshotId = s.Find("snapshotId") ? GuidOf(*s.Find("snapshotId"), where + ".snapshotId") : m.NewGuid();
    p.snapshotSetId = s.Find("snapshotSetId") ? GuidOf(*s.Find("snapshotSetId"), where + ".snapshotSetId") : m.NewGuid();
    p.snapshotsCount = 1;
    int number = m.nextDeviceNumber++;
    p.snapshotDeviceObject = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(number);
    p.originalVolumeName = v->guidName;
    p.originatingMachine = p.serviceMachine = m.machineName;
    p.providerId = kSystemProviderId;
    p.snapshotAttributes = shadow.context | static_cast<int32_t>(attr::kDifferential);
    p.creationTimestamp = s.Find("createdAt") && s.Find("createdAt")->IsNumber() ? Bounded<int64_t>(*s.Find("createdAt"), where + ".createdAt") : NowFileTime();
    p.status = kSnapshotCreated;
    if (!v->hostPath.empty()) shadow.contentPath = m.FreezeContent(*v, number);
    m.shadows.push_back(shadow);
  }
}

// Preloaded event log records: { provider, eventId, message?, minutesAgo?, data? };
// the id must be in the event catalogue, which gives the channel and level, and the
// message when none is given (its template or example, %n inserts left as they are).
// The list is written in time order, whatever order it is given in: a log numbers its
// records as it writes them (EventRecordID rises with the time of writing), so the oldest
// gets the lowest record id, and what the engine logs later follows the newest. A list
// given to configure() on a log already holding newer records is numbered after them, as
// records written now that carry an older TimeCreated (the log reads in time order).
void ApplyEvents(Machine& m, const Json& list) {
  struct Preloaded {
    std::string provider;
    uint32_t eventId;
    std::string message;
    std::vector<std::pair<std::string, std::string>> data;
    int64_t time;
  };
  std::vector<Preloaded> records;
  const int64_t now = NowFileTime();
  for (size_t i = 0; i < ArrayOf(list, "events").AsArray().size(); ++i) {
    const Json& e = list.AsArray()[i];
    const std::string where = "events[" + std::to_string(i) + "]";
    CheckKeys(e, where, {"provider", "eventId", "message", "minutesAgo", "data"});
    const std::string provider = Str(e.Find("provider") ? *e.Find("provider") : Json(), where + ".provider");
    const Json* id = e.Find("eventId");
    if (!id || !id->IsNumber() || id->AsNumber() < 0 || id->AsNumber() > 65535 || id->AsNumber() != static_cast<double>(static_cast<uint32_t>(id->AsNumber())))
      Bad(where + ".eventId", "expected an event id (0-65535)");
    const uint32_t eventId = static_cast<uint32_t>(id->AsNumber());
    const CatalogueEvent* known = FindCatalogueEvent(provider, eventId);
    if (!known) Bad(where, provider + " event " + std::to_string(eventId) + " is not in the event catalogue");
    const std::string message = e.Find("message") ? Str(*e.Find("message"), where + ".message") : std::string(known->message);
    const double minutesAgo = e.Find("minutesAgo") ? NonNegative(*e.Find("minutesAgo"), where + ".minutesAgo") : 0;
    std::vector<std::pair<std::string, std::string>> data;
    if (const Json* d = e.Find("data")) {
      if (!d->IsObject()) Bad(where + ".data", "expected an object of strings");
      for (const auto& [key, value] : d->AsObject()) data.emplace_back(key, Str(value, where + ".data." + key));
    }
    records.push_back({provider, eventId, message, std::move(data), now - static_cast<int64_t>(minutesAgo * 60.0 * 1e7)});
  }
  // Stable: records of the same time keep the list's order.
  std::stable_sort(records.begin(), records.end(), [](const Preloaded& a, const Preloaded& b) { return a.time < b.time; });
  for (Preloaded& r : records) m.LogEvent(r.provider, r.eventId, std::move(r.message), std::move(r.data), r.time, false);
  // Bounded once, after the whole list: trimming at each record would be quadratic.
  std::set<std::string> channels;
  for (const EventRecord& e : m.Events()) channels.insert(e.channel);
  for (const std::string& channel : channels) TrimEventLog(m, channel);
}

// Windows services as the SCM's configuration has them: { name, dependsOn?: [names and
// "+Group"], group?, running?: true, remove? }. A name the machine already has (from the base
// scenario or an earlier configure()) changes that service: only the keys given change
// ("dependsOn" is replaced whole); remove: true takes it away. As the SCM's configuration:
// names unique without case; a service may not depend on itself or, through others and
// groups, on itself (CreateService: ERROR_CIRCULAR_DEPENDENCY).
bool ServiceNameOk(const std::string& name) { return !name.empty() && name.size() <= 256 && name.find_first_of("/\\") == std::string::npos; }

void ApplyServices(Machine& m, const Json& list) {
  // Changed on a copy: a refused list leaves the machine's services as they were.
  std::vector<SimService> services = m.services;
  std::vector<std::string> named;  // the names this list gave, to refuse one given twice
  for (size_t i = 0; i < ArrayOf(list, "services").AsArray().size(); ++i) {
    const Json& e = list.AsArray()[i];
    const std::string where = "services[" + std::to_string(i) + "]";
    CheckKeys(e, where, {"name", "dependsOn", "running", "group", "remove"});
    const std::string name = Str(e.Find("name") ? *e.Find("name") : Json(), where + ".name");
    // CreateService: at most 256 characters, no forward slash or backslash.
    if (!ServiceNameOk(name)) Bad(where + ".name", "expected a service name (1 to 256 characters, no slash or backslash)");
    for (const std::string& other : named)
      if (SameServiceName(other, name)) Bad(where + ".name", "two services are named " + name);
    named.push_back(name);
    auto existing = std::find_if(services.begin(), services.end(), [&](const SimService& s) { return SameServiceName(s.name, name); });
    if (const Json* remove = e.Find("remove"); remove && Bool(*remove, where + ".remove")) {
      if (existing == services.end()) Bad(where, "cannot remove a service that does not exist");
      if (e.AsObject().size() > 2) Bad(where, "a service removed takes no other key");
      services.erase(existing);
      continue;
    }
    SimService s = existing == services.end() ? SimService{} : *existing;
    s.name = existing == services.end() ? name : s.name;
    if (const Json* d = e.Find("dependsOn")) {
      s.dependsOn.clear();
      for (size_t k = 0; k < ArrayOf(*d, where + ".dependsOn").AsArray().size(); ++k) {
        const std::string at = where + ".dependsOn[" + std::to_string(k) + "]";
        std::string dep = Str(d->AsArray()[k], at);
        // "+Group": a load-ordering group (SC_GROUP_IDENTIFIER), as lpDependencies writes it.
        const bool isGroup = !dep.empty() && dep[0] == '+';
        if (!ServiceNameOk(isGroup ? dep.substr(1) : dep)) Bad(at, isGroup ? "expected a group name after '+'" : "expected a service name, or +Group for a load-ordering group");
        s.dependsOn.push_back(std::move(dep));
      }
    }
    if (const Json* g = e.Find("group")) {
      s.group = g->IsNull() ? std::string() : Str(*g, where + ".group");
      if (!s.group.empty() && (s.group[0] == '+' || !ServiceNameOk(s.group)))
        Bad(where + ".group", "expected a load-ordering group name (1 to 256 characters, no slash, backslash or leading '+')");
    }
    if (const Json* r = e.Find("running")) s.running = Bool(*r, where + ".running");
    if (existing != services.end()) *existing = std::move(s);
    else services.push_back(std::move(s));
  }
  std::vector<ServiceDependency> graph;
  for (const SimService& s : services) graph.push_back({s.name, s.dependsOn, true, s.group});
  for (const SimService& s : services)
    if (InDependencyCycle(s.name, graph)) Bad("services", "service " + s.name + " depends on itself (a circular dependency)");
  m.services = std::move(services);
}

// { "<channel>": bytes }: a channel's maximum size (event_log.h). Within Windows' limits;
// a smaller maximum overwrites the oldest records at once (Windows applies a smaller size
// once the log is cleared: a simplification).
void ApplyEventLogMaxSize(Machine& m, const Json& j) {
  if (!j.IsObject()) Bad("eventLogMaxSize", "expected an object of channel names and sizes in bytes");
  for (const auto& [key, value] : j.AsObject()) {
    const std::string where = "eventLogMaxSize." + key;
    const std::string channel = CanonicalEventLogChannel(key);
    if (channel.empty()) {
      std::string names;
      for (const std::string& c : KnownEventLogChannels()) names += (names.empty() ? "" : ", ") + c;
      Bad(where, "no such event log channel (known: " + names + ")");
    }
    const uint64_t bytes = Bounded<uint64_t>(value, where);
    if (bytes < kEventLogMinSize || bytes > kEventLogMaxSize)
      Bad(where, "expected a size in bytes from 1048576 (1 MB) to " + std::to_string(kEventLogMaxSize) + " (2 TB), as Windows allows");
    auto at = std::find_if(m.eventLogMaxSize.begin(), m.eventLogMaxSize.end(), [&](const auto& e) { return e.first == channel; });
    if (at != m.eventLogMaxSize.end()) at->second = bytes;
    else m.eventLogMaxSize.emplace_back(channel, bytes);
    TrimEventLog(m, channel);
  }
}

void Apply(Machine& m, const Json& j, bool creating) {
  CheckKeys(j, "scenario", {"base", "name", "machineName", "timing", "providers", "volumes", "writers", "faults", "shadows", "snapshotSetInProgress", "events", "services", "fileServers", "eventLogMaxSize"});
  if (const Json* base = j.Find("base"); base && !creating) Bad("base", "only a new machine can start from a base scenario");
  if (const Json* v = j.Find("name")) m.scenarioName = Str(*v, "name");
  if (const Json* v = j.Find("machineName")) m.machineName = Str(*v, "machineName");
  if (const Json* v = j.Find("timing")) ApplyTiming(m, *v);
  if (const Json* list = j.Find("providers"))
    for (size_t i = 0; i < ArrayOf(*list, "providers").AsArray().size(); ++i) ApplyProvider(m, list->AsArray()[i], "providers[" + std::to_string(i) + "]");
  if (const Json* list = j.Find("volumes"))
    for (size_t i = 0; i < ArrayOf(*list, "volumes").AsArray().size(); ++i) ApplyVolume(m, list->AsArray()[i], "volumes[" + std::to_string(i) + "]");
  if (const Json* list = j.Find("fileServers"))
    for (size_t i = 0; i < ArrayOf(*list, "fileServers").AsArray().size(); ++i) ApplyFileServer(m, list->AsArray()[i], "fileServers[" + std::to_string(i) + "]");
  if (const Json* list = j.Find("writers"))
    for (size_t i = 0; i < ArrayOf(*list, "writers").AsArray().size(); ++i) ApplyWriter(m, list->AsArray()[i], "writers[" + std::to_string(i) + "]");
  if (const Json* list = j.Find("faults")) ApplyFaults(m, *list);
  // After the faults, which clear a machine-wide set in progress they had set.
  if (const Json* v = j.Find("snapshotSetInProgress")) {
    m.externalSetInProgress = Bool(*v, "snapshotSetInProgress");
    m.externalSetInProgressRemaining = -1;
  }
  if (const Json* list = j.Find("shadows")) ApplyShadows(m, *list);
  if (const Json* sizes = j.Find("eventLogMaxSize")) ApplyEventLogMaxSize(m, *sizes);
  if (const Json* list = j.Find("events")) ApplyEvents(m, *list);
  if (const Json* list = j.Find("services")) ApplyServices(m, *list);

  // Contradictions a real machine cannot have.
  std::set<std::string> instances, names;
  for (const SimWriter& w : m.writers) {
    if (!instances.insert(w.metadata.instanceId.ToString()).second)
      Bad("writers", "two writers share the instance id " + w.metadata.instanceId.ToString());
    if (w.metadata.name.empty()) Bad("writers", "a writer has no name");
    for (const std::string& v : w.volumes)
      if (!m.FindVolume(v)) Bad("writers", "writer '" + w.metadata.name + "' names volume " + v + ", which is not on this machine");
  }
  for (const SimVolume& v : m.volumes) {
    if (!names.insert(v.guidName).second) Bad("volumes", "two volumes share the name " + v.guidName);
    for (const Guid& p : v.providers)
      if (!m.FindProvider(p)) Bad("volumes", "volume " + v.name + " names provider " + p.ToString() + ", which is not on this machine");
  }
  if (m.providers.empty()) Bad("providers", "a machine needs at least one provider");
}

Json ParseScenarioText(const std::string& text) {
  try {
    return Json::Parse(text);
  } catch (const JsonError& e) {
    throw VssException(hr::kInvalidArg, "LoadScenario", e.what());
  }
}

// Drive letters the system has take its \\?\Volume{GUID}\ name, and the scenario's
// shadow copies of them report it as their original volume.
void AdoptSystemVolumeNames(Machine& m, const std::function<std::string(const std::string&)>& systemVolumeName) {
  for (SimVolume& v : m.volumes) {
    if (v.name.size() != 3 || v.name[1] != ':') continue;
    const std::string adopted = systemVolumeName(v.name);
    if (adopted.empty()) continue;
    if (const SimVolume* holder = m.FindVolume(adopted)) {
      if (holder == &v) continue;
      Bad("volumes", "volume " + holder->name + " has the name the system gives " + v.name + " (" + adopted + ")");
    }
    for (SimShadow& s : m.shadows)
      if (s.properties.originalVolumeName == v.guidName) s.properties.originalVolumeName = adopted;
    v.guidName = adopted;
  }
}

void Build(Machine& m, const Json& j, int depth) {
  if (depth > 4) Bad("base", "scenarios based on each other too deeply");
  // Without a base, a scenario that brings its own providers describes a whole
  // machine; any other starts from the default Windows Server.
  std::string baseName;
  if (const Json* base = j.Find("base")) baseName = Str(*base, "base");
  else if (!j.Find("providers")) baseName = "windows-server-2022";
  if (!baseName.empty()) {
    const char* text = nullptr;
    for (const auto& builtin : BuiltInScenarios())
      if (builtin.first == baseName) text = builtin.second;
    if (!text) {
      std::string names;
      for (const auto& builtin : BuiltInScenarios()) names += (names.empty() ? "" : ", ") + builtin.first;
      Bad("base", "unknown scenario '" + baseName + "' (built-in: " + names + ")");
    }
    Build(m, Json::Parse(text), depth + 1);
  }
  Apply(m, j, true);
}

}  // namespace

std::vector<std::string> BuiltInScenarioNames() {
  std::vector<std::string> names;
  for (const auto& builtin : BuiltInScenarios()) names.push_back(builtin.first);
  return names;
}

std::shared_ptr<Machine> CreateMachine(const std::string& scenarioJson) { return CreateMachine(scenarioJson, MachineOptions{}); }

std::shared_ptr<Machine> CreateMachine(const std::string& scenarioJson, const std::string& stateFile) {
  MachineOptions options;
  options.stateFile = stateFile;
  return CreateMachine(scenarioJson, options);
}

std::shared_ptr<Machine> CreateMachine(const std::string& scenarioJson, const MachineOptions& options) {
  auto machine = std::make_shared<Machine>();
  Json j = scenarioJson.empty() ? Json::Parse("{}") : ParseScenarioText(scenarioJson);
  if (!j.IsObject()) Bad("scenario", "expected an object");
  {
    std::lock_guard<std::mutex> lock(machine->mutex);
    if (!options.contentRoot.empty()) machine->UseContentRoot(options.contentRoot);
    Build(*machine, j, 0);
    if (options.systemVolumeName) AdoptSystemVolumeNames(*machine, options.systemVolumeName);
  }
  if (options.stateFile.empty()) return machine;
  machine->stateFile = std::make_unique<StateFile>(options.stateFile, scenarioJson);
  MachineLock load(*machine);  // reads the file, or writes it from the scenario
  return machine;
}

void ConfigureMachine(Machine& machine, const std::string& patchJson) {
  Json j = ParseScenarioText(patchJson);
  MachineLock lock(machine);
  Apply(machine, j, false);
}

void RestartMachine(Machine& machine) {
  MachineLock lock(machine);
  if (machine.liveSessions > 0)
    throw VssException(hr::kVssBadState, "RestartMachine", std::to_string(machine.liveSessions) + " session(s) still open: release them first");
  std::vector<SimShadow> kept;
  for (SimShadow& s : machine.shadows) {
    if (s.persistent) {
      kept.push_back(std::move(s));
    } else if (!s.contentPath.empty()) {
      Machine::RemoveContent(s.contentPath);
    }
  }
  machine.shadows = std::move(kept);
  for (SimVolume& v : machine.volumes) {
    if (!v.diffAreaBootMaximum) continue;
    const int64_t boot = *v.diffAreaBootMaximum;
    v.diffAreaBootMaximum.reset();
    bool used = false;
    for (const SimShadow& s : machine.shadows) used = used || s.volumeName == v.name;
    if (boot == 0 && !used) {
      // The volatile change made the association: it does not outlive the restart.
      v.diffAreaMaximum = -1;
      v.diffAreaOn.clear();
      v.diffAreaAdded = false;
    } else {
      v.diffAreaMaximum = boot == 0 ? -1 : boot;
    }
  }
}

std::string DescribeMachine(const Machine& m) {
  MachineLock lock(m);
  JsonWriter out;
  out.BeginObject();
  out.Key("name").String(m.scenarioName);
  out.Key("machineName").String(m.machineName);
  out.Key("writers").BeginArray();
  for (const SimWriter& w : m.writers) {
    out.BeginObject();
    out.Key("name").String(w.metadata.name);
    out.Key("writerId").String(w.metadata.writerId.ToString());
    out.Key("instanceId").String(w.metadata.instanceId.ToString());
    const char* state = TermName(Vocabulary::WriterState, static_cast<uint32_t>(w.state));
    out.Key("state").String(state ? state : "unknown");
    out.Key("stateCode").Int(w.state);
    out.Key("lastError").Int(w.lastError);
    out.Key("faults").Int(static_cast<int64_t>(w.faults.size()));
    out.Key("volumes").BeginArray();
    for (const std::string& v : w.volumes) out.String(v);
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  out.Key("volumes").BeginArray();
  for (const SimVolume& v : m.volumes) {
    out.BeginObject();
    out.Key("name").String(v.name);
    out.Key("guidName").String(v.guidName);
    out.Key("label").String(v.label);
    out.Key("path").String(v.hostPath);
    out.Key("unsupported").Bool(v.Unsupported());
    out.EndObject();
  }
  out.EndArray();
  out.Key("services").BeginArray();
  for (const SimService& s : m.services) {
    out.BeginObject();
    out.Key("name").String(s.name);
    out.Key("dependsOn").BeginArray();
    for (const std::string& d : s.dependsOn) out.String(d);
    out.EndArray();
    out.Key("running").Bool(s.running);
    out.Key("group").String(s.group);
    out.EndObject();
  }
  out.EndArray();
  out.Key("providers").BeginArray();
  for (const SimProvider& p : m.providers) {
    out.BeginObject();
    out.Key("providerId").String(p.properties.providerId.ToString());
    out.Key("name").String(p.properties.name);
    out.EndObject();
  }
  out.EndArray();
  out.Key("fileServers").BeginArray();
  for (const SimFileServer& f : m.fileServers) {
    out.BeginObject();
    out.Key("name").String(f.name);
    out.Key("fqdn").String(f.fqdn);
    out.Key("agent").Bool(f.agent);
    out.Key("shares").BeginArray();
    for (const SimShare& sh : f.shares) {
      out.BeginObject();
      out.Key("name").String(sh.name);
      out.Key("path").String("\\\\" + f.name + "\\" + sh.name + "\\");
      out.Key("volume").String(sh.serverVolume);
      out.Key("unsupported").Bool(sh.unsupported);
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  out.Key("shadows").BeginArray();
  for (const SimShadow& s : m.shadows) {
    out.BeginObject();
    out.Key("snapshotId").String(s.properties.snapshotId.ToString());
    out.Key("snapshotSetId").String(s.properties.snapshotSetId.ToString());
    out.Key("volume").String(s.volumeName);
    out.Key("originalVolume").String(s.properties.originalVolumeName);
    out.Key("deviceObject").String(s.properties.snapshotDeviceObject);
    out.Key("persistent").Bool(s.persistent);
    out.Key("exposedName").String(s.properties.exposedName);
    if (!s.contentPath.empty()) out.Key("contentPath").String(s.contentPath);
    out.EndObject();
  }
  out.EndArray();
  out.Key("snapshotSetInProgress").Bool(m.setCreationOwner != 0 || m.externalSetInProgress);
  out.Key("sessions").Int(m.liveSessions);
  out.Key("modelledMs").Number(m.modelledMs);
  out.EndObject();
  return out.str();
}

}  // namespace sim
}  // namespace vss

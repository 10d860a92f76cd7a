#include "convert.h"

#include <cstring>
#include <optional>

#include "string_pieces.h"

namespace vssnapi {
namespace {

Napi::Array FileObjectsToJs(Napi::Env env, const std::vector<vss::FileDescriptor>& files) {
  Napi::Array array = Napi::Array::New(env, files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const vss::FileDescriptor& f = files[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("path", f.path);
    o.Set("filespec", f.filespec);
    o.Set("recursive", f.recursive);
    o.Set("alternatePath", f.alternatePath);
    o.Set("backupTypeMask", Napi::Number::New(env, f.backupTypeMask));
    array.Set(static_cast<uint32_t>(i), o);
  }
  return array;
}

Napi::Object PackedToJs(Napi::Env env, const vss::PackedFiles& files) {
  Napi::Uint32Array numbers = Napi::Uint32Array::New(env, files.numbers.size());
  if (!files.numbers.empty()) std::memcpy(numbers.Data(), files.numbers.data(), files.numbers.size() * sizeof(uint32_t));
  Napi::Object packed = Napi::Object::New(env);
  packed.Set("count", Napi::Number::New(env, files.count));
  packed.Set("strings", PackedStringPieces(env, files.strings, files.count));
  packed.Set("numbers", numbers);
  return packed;
}

// A file list crosses packed (packed_files.h), which lib/ unpacks: the System Writer's
// 19,000 files as objects built here took three times as long as JSON.parse needs for the
// same result (npm run bench). The strings come from NUL-terminated Windows strings, so NUL
// cannot be in them; should one be, the list crosses as objects instead.
Napi::Value FilesToJs(Napi::Env env, const std::vector<vss::FileDescriptor>& files) {
  size_t length = 0;
  for (const vss::FileDescriptor& f : files) {
    const std::string* parts[] = {&f.path, &f.filespec, &f.alternatePath};
    for (const std::string* part : parts) {
      if (part->find('\0') != std::string::npos) return FileObjectsToJs(env, files);
      length += part->size() + 1;
    }
  }
  std::string strings;
  strings.reserve(length);
  Napi::Uint32Array numbers = Napi::Uint32Array::New(env, files.size() * 2);
  for (size_t i = 0; i < files.size(); ++i) {
    const vss::FileDescriptor& f = files[i];
    if (i > 0) strings.push_back('\0');
    strings.append(f.path).push_back('\0');
    strings.append(f.filespec).push_back('\0');
    strings.append(f.alternatePath);
    numbers[i * 2] = f.backupTypeMask;
    numbers[i * 2 + 1] = f.recursive ? 1u : 0u;
  }
  Napi::Object packed = Napi::Object::New(env);
  packed.Set("count", Napi::Number::New(env, static_cast<double>(files.size())));
  packed.Set("strings", PackedStringPieces(env, strings, files.size()));
  packed.Set("numbers", numbers);
  return packed;
}

// `packed`: the component's file lists when the metadata carries them packed.
Napi::Object ComponentToJs(Napi::Env env, const vss::Component& c, const vss::PackedFileLists::OfComponent* packed) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", Napi::Number::New(env, c.type));
  o.Set("logicalPath", c.logicalPath);
  o.Set("name", c.name);
  o.Set("caption", c.caption);
  o.Set("restoreMetadata", c.restoreMetadata);
  o.Set("notifyOnBackupComplete", c.notifyOnBackupComplete);
  o.Set("selectable", c.selectable);
  o.Set("selectableForRestore", c.selectableForRestore);
  o.Set("flags", Napi::Number::New(env, c.flags));
  if (packed) {
    o.Set("files", PackedToJs(env, packed->files));
    o.Set("databaseFiles", PackedToJs(env, packed->databaseFiles));
    o.Set("logFiles", PackedToJs(env, packed->logFiles));
  } else {
    o.Set("files", FilesToJs(env, c.files));
    o.Set("databaseFiles", FilesToJs(env, c.databaseFiles));
    o.Set("logFiles", FilesToJs(env, c.logFiles));
  }
  Napi::Array deps = Napi::Array::New(env, c.dependencies.size());
  for (size_t i = 0; i < c.dependencies.size(); ++i) {
    Napi::Object d = Napi::Object::New(env);
    d.Set("writerId", ToJs(env, c.dependencies[i].writerId));
    d.Set("logicalPath", c.dependencies[i].logicalPath);
    d.Set("componentName", c.dependencies[i].componentName);
    deps.Set(static_cast<uint32_t>(i), d);
  }
  o.Set("dependencies", deps);
  return o;
}

Napi::Value GetField(const Napi::Object& args, const char* field) { return args.Get(field); }

[[noreturn]] void ThrowType(Napi::Env env, const char* field, const char* expected) {
  Napi::TypeError error = Napi::TypeError::New(env, std::string("The \"") + field + "\" argument must be " + expected);
  error.Set("code", "ERR_INVALID_ARG_TYPE");
  throw error;
}

}  // namespace

Napi::Value ToJs(Napi::Env env, const vss::Guid& guid) { return Napi::String::New(env, guid.ToString()); }

Napi::Object ToJs(Napi::Env env, const vss::WriterStatus& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", s.name);
  o.Set("writerId", ToJs(env, s.writerId));
  o.Set("instanceId", ToJs(env, s.instanceId));
  o.Set("instanceName", s.instanceName);
  o.Set("state", Napi::Number::New(env, s.state));
  o.Set("lastError", Napi::Number::New(env, s.lastError));
  o.Set("applicationError", Napi::Number::New(env, s.applicationError));
  o.Set("failureMessage", s.failureMessage);
  o.Set("hasExtendedStatus", s.hasExtendedStatus);
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::WriterMetadata& m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", m.name);
  o.Set("writerId", ToJs(env, m.writerId));
  o.Set("instanceId", ToJs(env, m.instanceId));
  o.Set("instanceName", m.instanceName);
  o.Set("usage", Napi::Number::New(env, m.usage));
  o.Set("source", Napi::Number::New(env, m.source));
  o.Set("backupSchema", Napi::Number::New(env, m.backupSchema));
  o.Set("versionMajor", Napi::Number::New(env, m.versionMajor));
  o.Set("versionMinor", Napi::Number::New(env, m.versionMinor));
  if (m.hasRestoreMethod) {
    Napi::Object r = Napi::Object::New(env);
    r.Set("method", Napi::Number::New(env, m.restoreMethod.method));
    r.Set("service", m.restoreMethod.service);
    r.Set("userProcedure", m.restoreMethod.userProcedure);
    r.Set("writerRestore", Napi::Number::New(env, m.restoreMethod.writerRestore));
    r.Set("rebootRequired", m.restoreMethod.rebootRequired);
    r.Set("mappingCount", Napi::Number::New(env, m.restoreMethod.mappingCount));
    o.Set("restoreMethod", r);
  } else {
    o.Set("restoreMethod", env.Null());
  }
  const std::optional<vss::PackedFileLists>& packed = m.packedFiles;
  if (packed) {
    o.Set("includeFiles", PackedToJs(env, packed->includeFiles));
    o.Set("excludeFiles", PackedToJs(env, packed->excludeFiles));
    o.Set("excludeFromSnapshot", PackedToJs(env, packed->excludeFromSnapshot));
    o.Set("alternateLocationMappings", PackedToJs(env, packed->alternateLocationMappings));
  } else {
    o.Set("includeFiles", FilesToJs(env, m.includeFiles));
    o.Set("excludeFiles", FilesToJs(env, m.excludeFiles));
    o.Set("excludeFromSnapshot", FilesToJs(env, m.excludeFromSnapshot));
    o.Set("alternateLocationMappings", FilesToJs(env, m.alternateLocationMappings));
  }
  Napi::Array components = Napi::Array::New(env, m.components.size());
  for (size_t i = 0; i < m.components.size(); ++i)
    components.Set(static_cast<uint32_t>(i),
                   ComponentToJs(env, m.components[i], packed && i < packed->components.size() ? &packed->components[i] : nullptr));
  o.Set("components", components);
  // The document (2.1 MiB for the System Writer) as pieces: string_pieces.h.
  o.Set("xml", TextPieces(env, m.xml));
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::SnapshotProperties& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("snapshotId", ToJs(env, s.snapshotId));
  o.Set("snapshotSetId", ToJs(env, s.snapshotSetId));
  o.Set("snapshotsCount", Napi::Number::New(env, s.snapshotsCount));
  o.Set("snapshotDeviceObject", s.snapshotDeviceObject);
  o.Set("originalVolumeName", s.originalVolumeName);
  o.Set("originatingMachine", s.originatingMachine);
  o.Set("serviceMachine", s.serviceMachine);
  o.Set("exposedName", s.exposedName);
  o.Set("exposedPath", s.exposedPath);
  o.Set("providerId", ToJs(env, s.providerId));
  o.Set("snapshotAttributes", Napi::Number::New(env, static_cast<uint32_t>(s.snapshotAttributes)));
  o.Set("creationTimestamp", Napi::BigInt::New(env, s.creationTimestamp));
  o.Set("status", Napi::Number::New(env, s.status));
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::ProviderProperties& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("providerId", ToJs(env, p.providerId));
  o.Set("name", p.name);
  o.Set("type", Napi::Number::New(env, p.type));
  o.Set("version", p.version);
  o.Set("versionId", ToJs(env, p.versionId));
  o.Set("classId", ToJs(env, p.classId));
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::WriterComponents& w) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("writerId", ToJs(env, w.writerId));
  o.Set("instanceId", ToJs(env, w.instanceId));
  Napi::Array components = Napi::Array::New(env, w.components.size());
  for (size_t i = 0; i < w.components.size(); ++i) {
    const vss::ComponentStatus& c = w.components[i];
    Napi::Object co = Napi::Object::New(env);
    co.Set("type", Napi::Number::New(env, c.componentType));
    co.Set("logicalPath", c.logicalPath);
    co.Set("name", c.name);
    co.Set("backupSucceeded", c.backupSucceeded);
    co.Set("backupStamp", c.backupStamp);
    co.Set("previousBackupStamp", c.previousBackupStamp);
    co.Set("backupOptions", c.backupOptions);
    co.Set("restoreOptions", c.restoreOptions);
    co.Set("selectedForRestore", c.selectedForRestore);
    co.Set("additionalRestores", c.additionalRestores);
    co.Set("fileRestoreStatus", Napi::Number::New(env, c.fileRestoreStatus));
    co.Set("authoritativeRestore", c.authoritativeRestore);
    co.Set("restoreName", c.restoreName);
    co.Set("rollForwardType", Napi::Number::New(env, c.rollForwardType));
    co.Set("rollForwardPoint", c.rollForwardPoint);
    co.Set("newTargets", FileObjectsToJs(env, c.newTargets));
    co.Set("alternateLocationMappings", FileObjectsToJs(env, c.alternateLocationMappings));
    Napi::Array partial = Napi::Array::New(env, c.partialFiles.size());
    for (size_t p = 0; p < c.partialFiles.size(); ++p) {
      Napi::Object po = Napi::Object::New(env);
      po.Set("path", c.partialFiles[p].path);
      po.Set("filespec", c.partialFiles[p].filespec);
      po.Set("ranges", c.partialFiles[p].ranges);
      po.Set("metadata", c.partialFiles[p].metadata);
      partial.Set(static_cast<uint32_t>(p), po);
    }
    co.Set("partialFiles", partial);
    Napi::Array subs = Napi::Array::New(env, c.restoreSubcomponents.size());
    for (size_t r = 0; r < c.restoreSubcomponents.size(); ++r) {
      Napi::Object so = Napi::Object::New(env);
      so.Set("logicalPath", c.restoreSubcomponents[r].logicalPath);
      so.Set("componentName", c.restoreSubcomponents[r].componentName);
      so.Set("repair", c.restoreSubcomponents[r].repair);
      subs.Set(static_cast<uint32_t>(r), so);
    }
    co.Set("restoreSubcomponents", subs);
    // What the writer set (IVssComponent / IVssComponentEx / IVssComponentEx2 getters).
    co.Set("backupMetadata", c.backupMetadata);
    co.Set("restoreMetadata", c.restoreMetadata);
    co.Set("prepareForBackupFailureMsg", c.prepareForBackupFailureMsg);
    co.Set("postSnapshotFailureMsg", c.postSnapshotFailureMsg);
    co.Set("preRestoreFailureMsg", c.preRestoreFailureMsg);
    co.Set("postRestoreFailureMsg", c.postRestoreFailureMsg);
    co.Set("restoreTarget", Napi::Number::New(env, c.restoreTarget));
    Napi::Array directed = Napi::Array::New(env, c.directedTargets.size());
    for (size_t d = 0; d < c.directedTargets.size(); ++d) {
      const vss::DirectedTarget& t = c.directedTargets[d];
      Napi::Object to = Napi::Object::New(env);
      to.Set("sourcePath", t.sourcePath);
      to.Set("sourceFilespec", t.sourceFilespec);
      to.Set("sourceRanges", t.sourceRanges);
      to.Set("targetPath", t.targetPath);
      to.Set("targetFilespec", t.targetFilespec);
      to.Set("targetRanges", t.targetRanges);
      directed.Set(static_cast<uint32_t>(d), to);
    }
    co.Set("directedTargets", directed);
    Napi::Array differenced = Napi::Array::New(env, c.differencedFiles.size());
    for (size_t d = 0; d < c.differencedFiles.size(); ++d) {
      const vss::DifferencedFile& f = c.differencedFiles[d];
      Napi::Object fo = Napi::Object::New(env);
      fo.Set("path", f.path);
      fo.Set("filespec", f.filespec);
      fo.Set("recursive", f.recursive);
      if (f.hasTime) fo.Set("lastModifyTime", Napi::BigInt::New(env, f.lastModifyTime));
      else fo.Set("lastModifyTime", env.Null());
      fo.Set("lastModifyLsn", f.lastModifyLsn);
      differenced.Set(static_cast<uint32_t>(d), fo);
    }
    co.Set("differencedFiles", differenced);
    if (c.failure.set) {
      Napi::Object fo = Napi::Object::New(env);
      fo.Set("hr", Napi::Number::New(env, c.failure.hr));
      fo.Set("applicationError", Napi::Number::New(env, c.failure.applicationError));
      fo.Set("message", c.failure.message);
      co.Set("failure", fo);
    } else {
      co.Set("failure", env.Null());
    }
    components.Set(static_cast<uint32_t>(i), co);
  }
  o.Set("components", components);
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::DiffArea& d) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("volumeName", d.volumeName);
  o.Set("diffAreaVolumeName", d.diffAreaVolumeName);
  o.Set("maximumDiffSpace", Napi::BigInt::New(env, d.maximumDiffSpace));
  o.Set("allocatedDiffSpace", Napi::BigInt::New(env, d.allocatedDiffSpace));
  o.Set("usedDiffSpace", Napi::BigInt::New(env, d.usedDiffSpace));
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::DiffVolume& d) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("volumeName", d.volumeName);
  o.Set("volumeDisplayName", d.displayName);
  o.Set("volumeFreeSpace", Napi::BigInt::New(env, d.freeSpace));
  o.Set("volumeTotalSpace", Napi::BigInt::New(env, d.totalSpace));
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::EventRecord& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("timeCreated", Napi::BigInt::New(env, e.timeCreated));
  o.Set("channel", e.channel);
  o.Set("provider", e.provider);
  o.Set("eventId", Napi::Number::New(env, e.eventId));
  o.Set("level", Napi::Number::New(env, e.level));
  o.Set("recordId", Napi::BigInt::New(env, e.recordId));
  o.Set("message", e.message);
  Napi::Object data = Napi::Object::New(env);
  for (const auto& [key, value] : e.data) data.Set(key, value);
  o.Set("data", data);
  return o;
}

vss::EventQuery GetEventQuery(const Napi::Object& args) {
  // FILETIME counts 100 ns from 1601; JS gives ms from 1970 (already validated in lib/events.ts).
  constexpr int64_t kEpochDelta = 116444736000000000LL;
  vss::EventQuery q;
  auto number = [&](const char* key) -> std::optional<double> {
    Napi::Value v = args.Get(key);
    if (!v.IsNumber()) return std::nullopt;
    return v.As<Napi::Number>().DoubleValue();
  };
  if (auto v = number("sinceMs")) q.since = static_cast<int64_t>(*v) * 10000 + kEpochDelta;
  if (auto v = number("untilMs")) q.until = static_cast<int64_t>(*v) * 10000 + kEpochDelta;
  if (auto v = number("max")) q.max = static_cast<uint32_t>(*v);
  q.channelsNamed = args.Get("channelsNamed").ToBoolean().Value();
  auto list = [&](const char* key, auto add) {
    Napi::Value v = args.Get(key);
    if (!v.IsArray()) return;
    Napi::Array a = v.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) add(a.Get(i));
  };
  list("channels", [&](Napi::Value v) { if (v.IsString()) q.channels.push_back(v.As<Napi::String>().Utf8Value()); });
  list("ids", [&](Napi::Value v) { if (v.IsNumber()) q.ids.push_back(v.As<Napi::Number>().Uint32Value()); });
  list("levels", [&](Napi::Value v) { if (v.IsNumber()) q.levels.push_back(v.As<Napi::Number>().Int32Value()); });
  list("services", [&](Napi::Value v) {
    if (!v.IsObject()) return;
    Napi::Object s = v.As<Napi::Object>();
    if (s.Get("name").IsString() && s.Get("displayName").IsString())
      q.services.emplace_back(s.Get("name").As<Napi::String>().Utf8Value(), s.Get("displayName").As<Napi::String>().Utf8Value());
  });
  return q;
}

vss::ServiceRestartRequest GetServiceRestartRequest(const Napi::Object& args) {
  vss::ServiceRestartRequest r;
  auto text = [&](const char* key) { return args.Get(key).IsString() ? args.Get(key).As<Napi::String>().Utf8Value() : std::string(); };
  r.service = text("service");
  r.displayName = text("displayName");
  if (args.Get("timeoutMs").IsNumber()) r.timeoutMs = args.Get("timeoutMs").As<Napi::Number>().Uint32Value();
  auto guids = [&](const char* key, std::vector<vss::Guid>& out) {
    if (!args.Get(key).IsArray()) return;
    Napi::Array ids = args.Get(key).As<Napi::Array>();
    for (uint32_t i = 0; i < ids.Length(); ++i)
      if (ids.Get(i).IsString())
        if (auto guid = vss::Guid::Parse(ids.Get(i).As<Napi::String>().Utf8Value())) out.push_back(*guid);
  };
  guids("writerIds", r.writerIds);
  guids("instanceIds", r.instanceIds);
  return r;
}

Napi::Object ToJs(Napi::Env env, const vss::ServiceRestartResult& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("wasRunning", Napi::Boolean::New(env, r.wasRunning));
  Napi::Array dependents = Napi::Array::New(env, r.dependents.size());
  for (uint32_t i = 0; i < r.dependents.size(); ++i) dependents.Set(i, Napi::String::New(env, r.dependents[i]));
  o.Set("dependents", dependents);
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::DeleteResult& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("deletedCount", Napi::Number::New(env, r.deletedCount));
  o.Set("nonDeletedSnapshotId", r.nonDeletedSnapshotId.IsNull() ? env.Null() : ToJs(env, r.nonDeletedSnapshotId));
  return o;
}

Napi::Object ToJs(Napi::Env env, const vss::RootAndLogicalPrefix& paths) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("rootPath", Napi::String::New(env, paths.rootPath));
  o.Set("logicalPrefix", Napi::String::New(env, paths.logicalPrefix));
  return o;
}

std::string GetString(const Napi::Object& args, const char* field) {
  Napi::Value v = GetField(args, field);
  if (!v.IsString()) ThrowType(args.Env(), field, "of type string");
  return v.As<Napi::String>().Utf8Value();
}

std::string GetOptionalString(const Napi::Object& args, const char* field, const std::string& fallback) {
  Napi::Value v = GetField(args, field);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsString()) ThrowType(args.Env(), field, "of type string");
  return v.As<Napi::String>().Utf8Value();
}

bool GetBool(const Napi::Object& args, const char* field, bool fallback) {
  Napi::Value v = GetField(args, field);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) ThrowType(args.Env(), field, "of type boolean");
  return v.As<Napi::Boolean>().Value();
}

int32_t GetInt32(const Napi::Object& args, const char* field) {
  Napi::Value v = GetField(args, field);
  if (!v.IsNumber()) ThrowType(args.Env(), field, "of type number");
  // Contexts such as VSS_CTX_ALL are 0xffffffff: keep the bit pattern.
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(v.As<Napi::Number>().DoubleValue())));
}

vss::Guid GetGuid(const Napi::Object& args, const char* field) {
  std::string text = GetString(args, field);
  std::optional<vss::Guid> guid = vss::Guid::Parse(text);
  if (!guid) {
    Napi::TypeError error = Napi::TypeError::New(args.Env(), std::string("The \"") + field + "\" argument must be a GUID");
    error.Set("code", "ERR_INVALID_ARG_VALUE");
    throw error;
  }
  return *guid;
}

vss::Guid GetOptionalGuid(const Napi::Object& args, const char* field) {
  Napi::Value v = GetField(args, field);
  if (v.IsUndefined() || v.IsNull()) return vss::Guid{};
  return GetGuid(args, field);
}

std::vector<vss::Guid> GetGuidList(const Napi::Object& args, const char* field) {
  Napi::Value v = GetField(args, field);
  if (!v.IsArray()) ThrowType(args.Env(), field, "an array of GUID strings");
  Napi::Array array = v.As<Napi::Array>();
  std::vector<vss::Guid> result;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Object holder = Napi::Object::New(args.Env());
    holder.Set("id", array.Get(i));
    result.push_back(GetGuid(holder, "id"));
  }
  return result;
}

vss::ComponentRef GetComponentRef(const Napi::Object& args, const char* field) {
  Napi::Value v = GetField(args, field);
  if (!v.IsObject()) ThrowType(args.Env(), field, "an object");
  Napi::Object c = v.As<Napi::Object>();
  vss::ComponentRef ref;
  ref.instanceId = GetGuid(c, "instanceId");
  ref.writerId = GetGuid(c, "writerId");
  ref.componentType = GetInt32(c, "type");
  ref.logicalPath = GetOptionalString(c, "logicalPath");
  ref.name = GetString(c, "name");
  return ref;
}

}  // namespace vssnapi

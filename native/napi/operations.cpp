#include "operations.h"

#include <map>
#include <optional>

#include "convert.h"

namespace vssnapi {
namespace {

ResultBuilder Undefined() {
  return [](Napi::Env env) -> Napi::Value { return env.Undefined(); };
}

template <typename T>
ResultBuilder Value(T value) {
  return [value = std::move(value)](Napi::Env env) -> Napi::Value { return ToJs(env, value); };
}

template <typename T>
ResultBuilder List(std::vector<T> values) {
  return [values = std::move(values)](Napi::Env env) -> Napi::Value { return ToJsArray(env, values); };
}

ResultBuilder Text(std::string text) {
  return [text = std::move(text)](Napi::Env env) -> Napi::Value { return Napi::String::New(env, text); };
}

ResultBuilder Bool(bool value) {
  return [value](Napi::Env env) -> Napi::Value { return Napi::Boolean::New(env, value); };
}

// An operation that takes no arguments and returns nothing.
WorkFactory Simple(void (vss::Session::*method)()) {
  return [method](const Napi::Object&) -> SessionWork {
    return [method](vss::Session& s, vss::AsyncControl&) {
      (s.*method)();
      return Undefined();
    };
  };
}

// An asynchronous VSS call (one that returns IVssAsync in COM).
WorkFactory Async(void (vss::Session::*method)(vss::AsyncControl&)) {
  return [method](const Napi::Object&) -> SessionWork {
    return [method](vss::Session& s, vss::AsyncControl& control) {
      (s.*method)(control);
      return Undefined();
    };
  };
}

WorkFactory GuidListCall(void (vss::Session::*method)(const std::vector<vss::Guid>&)) {
  return [method](const Napi::Object& args) -> SessionWork {
    std::vector<vss::Guid> ids = GetGuidList(args, "ids");
    return [method, ids](vss::Session& s, vss::AsyncControl&) {
      (s.*method)(ids);
      return Undefined();
    };
  };
}

WorkFactory ComponentStringCall(void (vss::Session::*method)(const vss::ComponentRef&, const std::string&),
                                const char* field) {
  return [method, field](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    std::string text = GetString(args, field);
    return [method, component, text](vss::Session& s, vss::AsyncControl&) {
      (s.*method)(component, text);
      return Undefined();
    };
  };
}

WorkFactory ComponentBoolCall(void (vss::Session::*method)(const vss::ComponentRef&, bool), const char* field) {
  return [method, field](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    bool flag = GetBool(args, field, true);
    return [method, component, flag](vss::Session& s, vss::AsyncControl&) {
      (s.*method)(component, flag);
      return Undefined();
    };
  };
}

// Each operation under its JS name (camel case of the COM method, so
// lib/native.ts's NativeOperations can use the same keys) with the COM method it
// calls: IVssBackupComponents has one Query for both shadow copies and providers.
std::map<std::string, Operation> BuildTable() {
  using S = vss::Session;
  std::map<std::string, Operation> t;

  t["initializeForBackup"] = {"InitializeForBackup", [](const Napi::Object& args) -> SessionWork {
    std::optional<std::string> bcd;
    // Absent means a new document; anything else must be one (not silently ignored).
    if (!args.Get("bcdXml").IsUndefined()) bcd = GetString(args, "bcdXml");
    return [bcd](S& s, vss::AsyncControl&) {
      s.InitializeForBackup(bcd);
      return Undefined();
    };
  }};
  t["initializeForRestore"] = {"InitializeForRestore", [](const Napi::Object& args) -> SessionWork {
    std::string bcd = GetString(args, "bcdXml");
    return [bcd](S& s, vss::AsyncControl&) {
      s.InitializeForRestore(bcd);
      return Undefined();
    };
  }};
  t["setContext"] = {"SetContext", [](const Napi::Object& args) -> SessionWork {
    int32_t context = GetInt32(args, "context");
    return [context](S& s, vss::AsyncControl&) {
      s.SetContext(context);
      return Undefined();
    };
  }};
  t["setBackupState"] = {"SetBackupState", [](const Napi::Object& args) -> SessionWork {
    vss::BackupState state;
    state.selectComponents = GetBool(args, "selectComponents", true);
    state.bootableSystemState = GetBool(args, "bootableSystemState", false);
    state.backupType = GetInt32(args, "backupType");
    state.partialFileSupport = GetBool(args, "partialFileSupport", false);
    return [state](S& s, vss::AsyncControl&) {
      s.SetBackupState(state);
      return Undefined();
    };
  }};

  // Nothing, through the same path as every call (session thread, promise): what
  // `npm run bench` measures the binding's own cost against. No VSS method, so a
  // name that cannot be taken for one in errors and timings.
  t["noop"] = {"(no-op)", [](const Napi::Object&) -> SessionWork {
    return [](S&, vss::AsyncControl&) { return Undefined(); };
  }};

  t["gatherWriterMetadata"] = {"GatherWriterMetadata", Async(&S::GatherWriterMetadata)};
  t["getWriterMetadata"] = {"GetWriterMetadata", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) -> ResultBuilder {
      return [list = s.GetWriterMetadata()](Napi::Env env) -> Napi::Value {
        Napi::Array array = Napi::Array::New(env, list.size());
        for (size_t i = 0; i < list.size(); ++i) array.Set(static_cast<uint32_t>(i), ToJs(env, *list[i]));
        return array;
      };
    };
  }};
  t["freeWriterMetadata"] = {"FreeWriterMetadata", Simple(&S::FreeWriterMetadata)};
  t["gatherWriterStatus"] = {"GatherWriterStatus", Async(&S::GatherWriterStatus)};
  t["getWriterStatus"] = {"GetWriterStatus", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.GetWriterStatus()); };
  }};
  t["freeWriterStatus"] = {"FreeWriterStatus", Simple(&S::FreeWriterStatus)};
  t["enableWriterClasses"] = {"EnableWriterClasses", GuidListCall(&S::EnableWriterClasses)};
  t["disableWriterClasses"] = {"DisableWriterClasses", GuidListCall(&S::DisableWriterClasses)};
  t["disableWriterInstances"] = {"DisableWriterInstances", GuidListCall(&S::DisableWriterInstances)};
  t["addComponent"] = {"AddComponent", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    return [component](S& s, vss::AsyncControl&) {
      s.AddComponent(component);
      return Undefined();
    };
  }};
  t["setBackupOptions"] = {"SetBackupOptions", ComponentStringCall(&S::SetBackupOptions, "options")};
  t["setPreviousBackupStamp"] = {"SetPreviousBackupStamp", ComponentStringCall(&S::SetPreviousBackupStamp, "stamp")};
  t["getWriterComponents"] = {"GetWriterComponents", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.GetWriterComponents()); };
  }};

  t["startSnapshotSet"] = {"StartSnapshotSet", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return Value(s.StartSnapshotSet()); };
  }};
  t["isVolumeSupported"] = {"IsVolumeSupported", [](const Napi::Object& args) -> SessionWork {
    std::string volume = GetString(args, "volume");
    vss::Guid provider = GetOptionalGuid(args, "providerId");
    return [volume, provider](S& s, vss::AsyncControl&) { return Bool(s.IsVolumeSupported(volume, provider)); };
  }};
  t["addToSnapshotSet"] = {"AddToSnapshotSet", [](const Napi::Object& args) -> SessionWork {
    std::string volume = GetString(args, "volume");
    vss::Guid provider = GetOptionalGuid(args, "providerId");
    return [volume, provider](S& s, vss::AsyncControl&) { return Value(s.AddToSnapshotSet(volume, provider)); };
  }};
  t["getRootAndLogicalPrefixPaths"] = {"GetRootAndLogicalPrefixPaths", [](const Napi::Object& args) -> SessionWork {
    std::string path = GetString(args, "path");
    bool fqdn = GetBool(args, "normalizeFqdn", false);
    return [path, fqdn](S& s, vss::AsyncControl&) { return Value(s.GetRootAndLogicalPrefixPaths(path, fqdn)); };
  }};
  t["prepareForBackup"] = {"PrepareForBackup", Async(&S::PrepareForBackup)};
  t["doSnapshotSet"] = {"DoSnapshotSet", Async(&S::DoSnapshotSet)};
  t["getSnapshotProperties"] = {"GetSnapshotProperties", [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotId");
    return [id](S& s, vss::AsyncControl&) { return Value(s.GetSnapshotProperties(id)); };
  }};
  t["setBackupSucceeded"] = {"SetBackupSucceeded", ComponentBoolCall(&S::SetBackupSucceeded, "succeeded")};
  t["backupComplete"] = {"BackupComplete", Async(&S::BackupComplete)};
  t["abortBackup"] = {"AbortBackup", Simple(&S::AbortBackup)};
  t["saveAsXml"] = {"SaveAsXML", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return Text(s.SaveAsXml()); };
  }};
  t["importSnapshots"] = {"ImportSnapshots", Async(&S::ImportSnapshots)};

  t["setSelectedForRestore"] = {"SetSelectedForRestore", ComponentBoolCall(&S::SetSelectedForRestore, "selected")};
  t["setRestoreOptions"] = {"SetRestoreOptions", ComponentStringCall(&S::SetRestoreOptions, "options")};
  t["setAdditionalRestores"] = {"SetAdditionalRestores", ComponentBoolCall(&S::SetAdditionalRestores, "additional")};
  t["setFileRestoreStatus"] = {"SetFileRestoreStatus", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    int32_t status = GetInt32(args, "status");
    return [component, status](S& s, vss::AsyncControl&) {
      s.SetFileRestoreStatus(component, status);
      return Undefined();
    };
  }};
  t["setRestoreState"] = {"SetRestoreState", [](const Napi::Object& args) -> SessionWork {
    int32_t type = GetInt32(args, "restoreType");
    return [type](S& s, vss::AsyncControl&) {
      s.SetRestoreState(type);
      return Undefined();
    };
  }};
  t["addNewTarget"] = {"AddNewTarget", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    vss::FileDescriptor target;
    target.path = GetString(args, "path");
    target.filespec = GetString(args, "filespec");
    target.recursive = GetBool(args, "recursive", false);
    target.alternatePath = GetString(args, "alternatePath");
    return [component, target](S& s, vss::AsyncControl&) {
      s.AddNewTarget(component, target);
      return Undefined();
    };
  }};
  t["addAlternativeLocationMapping"] = {"AddAlternativeLocationMapping", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    vss::FileDescriptor mapping;
    mapping.path = GetString(args, "path");
    mapping.filespec = GetString(args, "filespec");
    mapping.recursive = GetBool(args, "recursive", false);
    mapping.alternatePath = GetString(args, "destination");
    return [component, mapping](S& s, vss::AsyncControl&) {
      s.AddAlternativeLocationMapping(component, mapping);
      return Undefined();
    };
  }};
  t["addRestoreSubcomponent"] = {"AddRestoreSubcomponent", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    vss::RestoreSubcomponent sub;
    sub.logicalPath = GetString(args, "subcomponentLogicalPath");
    sub.componentName = GetString(args, "subcomponentName");
    return [component, sub](S& s, vss::AsyncControl&) {
      s.AddRestoreSubcomponent(component, sub);
      return Undefined();
    };
  }};
  t["setRangesFilePath"] = {"SetRangesFilePath", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    uint32_t index = static_cast<uint32_t>(GetInt32(args, "partialFile"));  // lib/ checked: an integer 0..2^32-1
    std::string ranges = GetString(args, "rangesFile");
    return [component, index, ranges](S& s, vss::AsyncControl&) {
      s.SetRangesFilePath(component, index, ranges);
      return Undefined();
    };
  }};
  t["setAuthoritativeRestore"] = {"SetAuthoritativeRestore", ComponentBoolCall(&S::SetAuthoritativeRestore, "authoritative")};
  t["setRestoreName"] = {"SetRestoreName", ComponentStringCall(&S::SetRestoreName, "name")};
  t["setRollForward"] = {"SetRollForward", [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    int32_t type = GetInt32(args, "rollForwardType");
    std::string point = GetOptionalString(args, "point");
    return [component, type, point](S& s, vss::AsyncControl&) {
      s.SetRollForward(component, type, point);
      return Undefined();
    };
  }};
  t["preRestore"] = {"PreRestore", Async(&S::PreRestore)};
  t["postRestore"] = {"PostRestore", Async(&S::PostRestore)};

  t["querySnapshots"] = {"Query", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.QuerySnapshots()); };
  }};
  t["queryProviders"] = {"Query", [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.QueryProviders()); };
  }};
  t["deleteSnapshots"] = {"DeleteSnapshots", [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "id");
    bool wholeSet = GetBool(args, "wholeSet", false);
    bool force = GetBool(args, "force", false);
    return [id, wholeSet, force](S& s, vss::AsyncControl&) { return Value(s.DeleteSnapshots(id, wholeSet, force)); };
  }};
  t["exposeSnapshot"] = {"ExposeSnapshot", [](const Napi::Object& args) -> SessionWork {
    vss::ExposeRequest request;
    request.snapshotId = GetGuid(args, "snapshotId");
    request.pathFromRoot = GetOptionalString(args, "pathFromRoot");
    request.attributes = GetInt32(args, "attributes");
    request.expose = GetOptionalString(args, "expose");
    return [request](S& s, vss::AsyncControl&) { return Text(s.ExposeSnapshot(request)); };
  }};
  t["unexposeSnapshot"] = {"UnexposeSnapshot", [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotId");
    return [id](S& s, vss::AsyncControl&) {
      s.UnexposeSnapshot(id);
      return Undefined();
    };
  }};
  t["revertToSnapshot"] = {"RevertToSnapshot", [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotId");
    bool force = GetBool(args, "forceDismount", false);
    return [id, force](S& s, vss::AsyncControl&) {
      s.RevertToSnapshot(id, force);
      return Undefined();
    };
  }};
  t["queryRevertStatus"] = {"QueryRevertStatus", [](const Napi::Object& args) -> SessionWork {
    std::string volume = GetString(args, "volume");
    return [volume](S& s, vss::AsyncControl& control) {
      s.QueryRevertStatus(volume, control);
      return Undefined();
    };
  }};
  t["breakSnapshotSetEx"] = {"BreakSnapshotSetEx", [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotSetId");
    uint32_t flags = static_cast<uint32_t>(GetInt32(args, "flags"));
    return [id, flags](S& s, vss::AsyncControl& control) {
      s.BreakSnapshotSetEx(id, flags, control);
      return Undefined();
    };
  }};
  t["breakSnapshotSet"] = {"BreakSnapshotSet", [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotSetId");
    return [id](S& s, vss::AsyncControl&) {
      s.BreakSnapshotSet(id);
      return Undefined();
    };
  }};
  return t;
}

}  // namespace

const std::map<std::string, Operation>& Operations() {
  static const std::map<std::string, Operation> table = BuildTable();
  return table;
}

const Operation* FindOperation(const std::string& name) {
  const std::map<std::string, Operation>& table = Operations();
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace vssnapi

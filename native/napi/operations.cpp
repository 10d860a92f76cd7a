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

std::map<std::string, WorkFactory> BuildTable() {
  using S = vss::Session;
  std::map<std::string, WorkFactory> t;

  t["initializeForBackup"] = [](const Napi::Object& args) -> SessionWork {
    std::optional<std::string> bcd;
    if (args.Has("bcdXml") && args.Get("bcdXml").IsString()) bcd = GetString(args, "bcdXml");
    return [bcd](S& s, vss::AsyncControl&) {
      s.InitializeForBackup(bcd);
      return Undefined();
    };
  };
  t["initializeForRestore"] = [](const Napi::Object& args) -> SessionWork {
    std::string bcd = GetString(args, "bcdXml");
    return [bcd](S& s, vss::AsyncControl&) {
      s.InitializeForRestore(bcd);
      return Undefined();
    };
  };
  t["setContext"] = [](const Napi::Object& args) -> SessionWork {
    int32_t context = GetInt32(args, "context");
    return [context](S& s, vss::AsyncControl&) {
      s.SetContext(context);
      return Undefined();
    };
  };
  t["setBackupState"] = [](const Napi::Object& args) -> SessionWork {
    vss::BackupState state;
    state.selectComponents = GetBool(args, "selectComponents", true);
    state.bootableSystemState = GetBool(args, "bootableSystemState", false);
    state.backupType = GetInt32(args, "backupType");
    state.partialFileSupport = GetBool(args, "partialFileSupport", false);
    return [state](S& s, vss::AsyncControl&) {
      s.SetBackupState(state);
      return Undefined();
    };
  };

  // Nothing, through the same path as every call (session thread, promise): what
  // `npm run bench` measures the binding's own cost against.
  t["noop"] = [](const Napi::Object&) -> SessionWork {
    return [](S&, vss::AsyncControl&) { return Undefined(); };
  };

  t["gatherWriterMetadata"] = Async(&S::GatherWriterMetadata);
  t["getWriterMetadata"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.GetWriterMetadata()); };
  };
  t["freeWriterMetadata"] = Simple(&S::FreeWriterMetadata);
  t["gatherWriterStatus"] = Async(&S::GatherWriterStatus);
  t["getWriterStatus"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.GetWriterStatus()); };
  };
  t["freeWriterStatus"] = Simple(&S::FreeWriterStatus);
  t["enableWriterClasses"] = GuidListCall(&S::EnableWriterClasses);
  t["disableWriterClasses"] = GuidListCall(&S::DisableWriterClasses);
  t["disableWriterInstances"] = GuidListCall(&S::DisableWriterInstances);
  t["addComponent"] = [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    return [component](S& s, vss::AsyncControl&) {
      s.AddComponent(component);
      return Undefined();
    };
  };
  t["setBackupOptions"] = ComponentStringCall(&S::SetBackupOptions, "options");
  t["setPreviousBackupStamp"] = ComponentStringCall(&S::SetPreviousBackupStamp, "stamp");
  t["getWriterComponents"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.GetWriterComponents()); };
  };

  t["startSnapshotSet"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return Value(s.StartSnapshotSet()); };
  };
  t["isVolumeSupported"] = [](const Napi::Object& args) -> SessionWork {
    std::string volume = GetString(args, "volume");
    vss::Guid provider = GetOptionalGuid(args, "providerId");
    return [volume, provider](S& s, vss::AsyncControl&) { return Bool(s.IsVolumeSupported(volume, provider)); };
  };
  t["addToSnapshotSet"] = [](const Napi::Object& args) -> SessionWork {
    std::string volume = GetString(args, "volume");
    vss::Guid provider = GetOptionalGuid(args, "providerId");
    return [volume, provider](S& s, vss::AsyncControl&) { return Value(s.AddToSnapshotSet(volume, provider)); };
  };
  t["prepareForBackup"] = Async(&S::PrepareForBackup);
  t["doSnapshotSet"] = Async(&S::DoSnapshotSet);
  t["getSnapshotProperties"] = [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotId");
    return [id](S& s, vss::AsyncControl&) { return Value(s.GetSnapshotProperties(id)); };
  };
  t["setBackupSucceeded"] = ComponentBoolCall(&S::SetBackupSucceeded, "succeeded");
  t["backupComplete"] = Async(&S::BackupComplete);
  t["abortBackup"] = Simple(&S::AbortBackup);
  t["saveAsXml"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return Text(s.SaveAsXml()); };
  };

  t["setSelectedForRestore"] = ComponentBoolCall(&S::SetSelectedForRestore, "selected");
  t["setRestoreOptions"] = ComponentStringCall(&S::SetRestoreOptions, "options");
  t["setAdditionalRestores"] = ComponentBoolCall(&S::SetAdditionalRestores, "additional");
  t["setFileRestoreStatus"] = [](const Napi::Object& args) -> SessionWork {
    vss::ComponentRef component = GetComponentRef(args, "component");
    int32_t status = GetInt32(args, "status");
    return [component, status](S& s, vss::AsyncControl&) {
      s.SetFileRestoreStatus(component, status);
      return Undefined();
    };
  };
  t["preRestore"] = Async(&S::PreRestore);
  t["postRestore"] = Async(&S::PostRestore);

  t["querySnapshots"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.QuerySnapshots()); };
  };
  t["queryProviders"] = [](const Napi::Object&) -> SessionWork {
    return [](S& s, vss::AsyncControl&) { return List(s.QueryProviders()); };
  };
  t["deleteSnapshots"] = [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "id");
    bool wholeSet = GetBool(args, "wholeSet", false);
    bool force = GetBool(args, "force", false);
    return [id, wholeSet, force](S& s, vss::AsyncControl&) { return Value(s.DeleteSnapshots(id, wholeSet, force)); };
  };
  t["exposeSnapshot"] = [](const Napi::Object& args) -> SessionWork {
    vss::ExposeRequest request;
    request.snapshotId = GetGuid(args, "snapshotId");
    request.pathFromRoot = GetOptionalString(args, "pathFromRoot");
    request.attributes = GetInt32(args, "attributes");
    request.expose = GetOptionalString(args, "expose");
    return [request](S& s, vss::AsyncControl&) { return Text(s.ExposeSnapshot(request)); };
  };
  t["unexposeSnapshot"] = [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotId");
    return [id](S& s, vss::AsyncControl&) {
      s.UnexposeSnapshot(id);
      return Undefined();
    };
  };
  t["breakSnapshotSet"] = [](const Napi::Object& args) -> SessionWork {
    vss::Guid id = GetGuid(args, "snapshotSetId");
    return [id](S& s, vss::AsyncControl&) {
      s.BreakSnapshotSet(id);
      return Undefined();
    };
  };
  return t;
}

}  // namespace

const WorkFactory* FindOperation(const std::string& name) {
  static const std::map<std::string, WorkFactory> table = BuildTable();
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace vssnapi

#include "com_session.h"

#include <vswriter.h>

#include "../core/error.h"
#include "async_wait.h"
#include "bstr.h"
#include "convert.h"
#include "snapshot_prop.h"
#include "writer_metadata.h"

namespace vss {
namespace com {

namespace {

void Check(HRESULT result, const char* operation, const std::string& detail = {}) {
  ThrowIfFailed(static_cast<uint32_t>(result), operation, detail);
}

std::vector<GUID> ToGuids(const std::vector<Guid>& ids) {
  std::vector<GUID> out;
  for (const Guid& id : ids) out.push_back(ToGuid(id));
  return out;
}

// A ComponentRef as IVssBackupComponents' component methods take it: wide strings
// that live as long as the call, and a null logical path when there is none
// (VSS treats NULL and "" differently when it matches components).
struct ComponentArgs {
  explicit ComponentArgs(const ComponentRef& c)
      : instance(ToGuid(c.instanceId)), writer(ToGuid(c.writerId)), type(static_cast<VSS_COMPONENT_TYPE>(c.componentType)),
        logicalPath(Wide(c.logicalPath)), name(Wide(c.name)) {}
  LPCWSTR Path() const { return logicalPath.empty() ? nullptr : logicalPath.c_str(); }
  LPCWSTR Name() const { return name.c_str(); }

  VSS_ID instance;
  VSS_ID writer;
  VSS_COMPONENT_TYPE type;
  std::wstring logicalPath;
  std::wstring name;
};

// IVssWriterComponentsExt is IVssWriterComponents plus a second IUnknown base in
// Microsoft's SDK; mingw declares only the first, so Release goes through the
// IUnknown sub-object that follows the first vtable pointer.
void ReleaseWriterComponents(IVssWriterComponentsExt* ext) {
  if (!ext) return;
  auto* unknown = reinterpret_cast<IUnknown*>(reinterpret_cast<char*>(ext) + sizeof(void*));
  unknown->Release();
}

}  // namespace

SnapshotProperties ToSnapshotProperties(const VSS_SNAPSHOT_PROP& p) {
  SnapshotProperties s;
  s.snapshotId = FromGuid(p.m_SnapshotId);
  s.snapshotSetId = FromGuid(p.m_SnapshotSetId);
  s.snapshotsCount = p.m_lSnapshotsCount;
  s.snapshotDeviceObject = Utf8(p.m_pwszSnapshotDeviceObject);
  s.originalVolumeName = Utf8(p.m_pwszOriginalVolumeName);
  s.originatingMachine = Utf8(p.m_pwszOriginatingMachine);
  s.serviceMachine = Utf8(p.m_pwszServiceMachine);
  s.exposedName = Utf8(p.m_pwszExposedName);
  s.exposedPath = Utf8(p.m_pwszExposedPath);
  s.providerId = FromGuid(p.m_ProviderId);
  s.snapshotAttributes = p.m_lSnapshotAttributes;
  s.creationTimestamp = p.m_tsCreationTimestamp;
  s.status = p.m_eStatus;
  return s;
}

ComSession::ComSession(ComPtr<IVssBackupComponents> components) : components_(std::move(components)) {}

ComSession::~ComSession() {
  // A requester released mid-backup must abort it so writers thaw; VSS then
  // auto-releases the non-persistent shadow copies with the components object.
  if (backupStarted_ && components_) components_->AbortBackup();
}

void ComSession::InitializeForBackup(const std::optional<std::string>& bcdXml) {
  Bstr xml(bcdXml.value_or(std::string()));
  Check(components_->InitializeForBackup(bcdXml ? xml.Get() : nullptr), "InitializeForBackup");
}

void ComSession::InitializeForRestore(const std::string& bcdXml) {
  Bstr xml(bcdXml);
  Check(components_->InitializeForRestore(xml.Get()), "InitializeForRestore");
}

void ComSession::SetContext(int32_t context) { Check(components_->SetContext(context), "SetContext"); }

void ComSession::SetBackupState(const BackupState& s) {
  Check(components_->SetBackupState(s.selectComponents, s.bootableSystemState, static_cast<VSS_BACKUP_TYPE>(s.backupType), s.partialFileSupport),
        "SetBackupState");
}

void ComSession::RunAsync(AsyncStart start, AsyncControl& control, const char* operation) {
  IVssAsync* async = nullptr;
  HRESULT started = (components_.Get()->*start)(&async);
  WaitForAsync(started, async, control, operation);
}

void ComSession::GatherWriterMetadata(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::GatherWriterMetadata, control, "GatherWriterMetadata");
}

WriterMetadataList ComSession::GetWriterMetadata() {
  UINT count = 0;
  // Errors carry the seam's operation name on both backends; the COM call is the detail.
  Check(components_->GetWriterMetadataCount(&count), "GetWriterMetadata", "GetWriterMetadataCount");
  WriterMetadataList result;
  for (UINT i = 0; i < count; ++i) {
    VSS_ID instance;
    ComPtr<IVssExamineWriterMetadata> examine;
    Check(components_->GetWriterMetadata(i, &instance, examine.Put()), "GetWriterMetadata");
    result.push_back(std::make_shared<const WriterMetadata>(ReadWriterMetadata(examine.Get())));
  }
  return result;
}

void ComSession::FreeWriterMetadata() { Check(components_->FreeWriterMetadata(), "FreeWriterMetadata"); }

void ComSession::GatherWriterStatus(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::GatherWriterStatus, control, "GatherWriterStatus");
}

std::vector<WriterStatus> ComSession::GetWriterStatus() {
  UINT count = 0;
  Check(components_->GetWriterStatusCount(&count), "GetWriterStatus", "GetWriterStatusCount");
  // IVssBackupComponentsEx3 (Windows Server 2008 and later) adds the application's
  // own error and message; older VSS gives the basic status.
  ComPtr<IVssBackupComponentsEx3> ex3;
  if (FAILED(components_->QueryInterface(__uuidof(IVssBackupComponentsEx3), reinterpret_cast<void**>(ex3.Put())))) ex3.Reset();
  std::vector<WriterStatus> result;
  for (UINT i = 0; i < count; ++i) {
    VSS_ID instance, writer;
    Bstr name, message;
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT failure = S_OK, application = S_OK;
    WriterStatus s;
    if (ex3) {
      Check(ex3->GetWriterStatusEx(i, &instance, &writer, name.Put(), &state, &failure, &application, message.Put()), "GetWriterStatus");
      s.hasExtendedStatus = true;
    } else {
      Check(components_->GetWriterStatus(i, &instance, &writer, name.Put(), &state, &failure), "GetWriterStatus");
    }
    s.instanceId = FromGuid(instance);
    s.writerId = FromGuid(writer);
    s.name = name.Utf8();
    s.state = state;
    s.lastError = static_cast<uint32_t>(failure);
    s.applicationError = static_cast<uint32_t>(application);
    s.failureMessage = message.Utf8();
    result.push_back(std::move(s));
  }
  // The writer's instance name comes with its metadata, not its status.
  return result;
}

void ComSession::FreeWriterStatus() { Check(components_->FreeWriterStatus(), "FreeWriterStatus"); }

void ComSession::EnableWriterClasses(const std::vector<Guid>& ids) {
  std::vector<GUID> guids = ToGuids(ids);
  Check(components_->EnableWriterClasses(guids.data(), static_cast<UINT>(guids.size())), "EnableWriterClasses");
}

void ComSession::DisableWriterClasses(const std::vector<Guid>& ids) {
  std::vector<GUID> guids = ToGuids(ids);
  Check(components_->DisableWriterClasses(guids.data(), static_cast<UINT>(guids.size())), "DisableWriterClasses");
}

void ComSession::DisableWriterInstances(const std::vector<Guid>& ids) {
  std::vector<GUID> guids = ToGuids(ids);
  Check(components_->DisableWriterInstances(guids.data(), static_cast<UINT>(guids.size())), "DisableWriterInstances");
}

void ComSession::AddComponent(const ComponentRef& c) {
  ComponentArgs a(c);
  Check(components_->AddComponent(a.instance, a.writer, a.type, a.Path(), a.Name()), "AddComponent", c.name);
}

void ComSession::SetBackupOptions(const ComponentRef& c, const std::string& options) {
  ComponentArgs a(c);
  std::wstring value = Wide(options);
  Check(components_->SetBackupOptions(a.writer, a.type, a.Path(), a.Name(), value.c_str()), "SetBackupOptions", c.name);
}

void ComSession::SetPreviousBackupStamp(const ComponentRef& c, const std::string& stamp) {
  ComponentArgs a(c);
  std::wstring value = Wide(stamp);
  Check(components_->SetPreviousBackupStamp(a.writer, a.type, a.Path(), a.Name(), value.c_str()), "SetPreviousBackupStamp", c.name);
}

namespace {
// GetRestoreSubcomponent's pbRepair is bool* in the Windows SDK and boolean* in mingw-w64: this converts to either.
struct RepairFlag {
  bool flag = false;
  boolean byte = 0;
  operator bool*() { return &flag; }
  operator boolean*() { return &byte; }
  bool Get() const { return flag || byte != 0; }
};
}  // namespace

std::vector<WriterComponents> ComSession::GetWriterComponents() {
  UINT writers = 0;
  Check(components_->GetWriterComponentsCount(&writers), "GetWriterComponents", "GetWriterComponentsCount");
  std::vector<WriterComponents> result;
  for (UINT i = 0; i < writers; ++i) {
    IVssWriterComponentsExt* raw = nullptr;
    Check(components_->GetWriterComponents(i, &raw), "GetWriterComponents");
    struct Guard {
      IVssWriterComponentsExt* p;
      ~Guard() { ReleaseWriterComponents(p); }
    } guard{raw};
    WriterComponents w;
    VSS_ID instance, writer;
    Check(raw->GetWriterInfo(&instance, &writer), "IVssWriterComponents::GetWriterInfo");
    w.instanceId = FromGuid(instance);
    w.writerId = FromGuid(writer);
    UINT count = 0;
    Check(raw->GetComponentCount(&count), "IVssWriterComponents::GetComponentCount");
    for (UINT j = 0; j < count; ++j) {
      ComPtr<IVssComponent> component;
      Check(raw->GetComponent(j, component.Put()), "IVssWriterComponents::GetComponent");
      ComponentStatus c;
      Bstr path, name, stamp, previous, backupOptions, restoreOptions;
      VSS_COMPONENT_TYPE type = VSS_CT_UNDEFINED;
      boolean succeeded = false, selected = false, additional = false;
      VSS_FILE_RESTORE_STATUS restoreStatus = VSS_RS_UNDEFINED;
      component->GetLogicalPath(path.Put());
      Check(component->GetComponentType(&type), "IVssComponent::GetComponentType");
      Check(component->GetComponentName(name.Put()), "IVssComponent::GetComponentName");
      component->GetBackupSucceeded(&succeeded);
      component->GetBackupStamp(stamp.Put());
      component->GetPreviousBackupStamp(previous.Put());
      component->GetBackupOptions(backupOptions.Put());
      component->GetRestoreOptions(restoreOptions.Put());
      component->IsSelectedForRestore(&selected);
      component->GetAdditionalRestores(&additional);
      component->GetFileRestoreStatus(&restoreStatus);
      c.componentType = type;
      c.logicalPath = path.Utf8();
      c.name = name.Utf8();
      c.backupSucceeded = succeeded;
      c.backupStamp = stamp.Utf8();
      c.previousBackupStamp = previous.Utf8();
      c.backupOptions = backupOptions.Utf8();
      c.restoreOptions = restoreOptions.Utf8();
      c.selectedForRestore = selected;
      c.additionalRestores = additional;
      c.fileRestoreStatus = restoreStatus;
      UINT targets = 0;
      if (component->GetNewTargetCount(&targets) == S_OK)
        for (UINT t = 0; t < targets; ++t) {
          IVssWMFiledesc* desc = nullptr;
          Check(component->GetNewTarget(t, &desc), "IVssComponent::GetNewTarget");
          c.newTargets.push_back(ReadFiledesc(desc));
        }
      UINT mappings = 0;
      if (component->GetAlternateLocationMappingCount(&mappings) == S_OK)
        for (UINT m = 0; m < mappings; ++m) {
          IVssWMFiledesc* desc = nullptr;
          Check(component->GetAlternateLocationMapping(m, &desc), "IVssComponent::GetAlternateLocationMapping");
          c.alternateLocationMappings.push_back(ReadFiledesc(desc));
        }
      UINT partials = 0;
      if (component->GetPartialFileCount(&partials) == S_OK)
        for (UINT p = 0; p < partials; ++p) {
          Bstr path, filespec, ranges, metadata;
          Check(component->GetPartialFile(p, path.Put(), filespec.Put(), ranges.Put(), metadata.Put()), "IVssComponent::GetPartialFile");
          c.partialFiles.push_back({path.Utf8(), filespec.Utf8(), ranges.Utf8(), metadata.Utf8()});
        }
      UINT subs = 0;
      if (component->GetRestoreSubcomponentCount(&subs) == S_OK)
        for (UINT r = 0; r < subs; ++r) {
          Bstr path, name;
          RepairFlag repair;
          Check(component->GetRestoreSubcomponent(r, path.Put(), name.Put(), repair), "IVssComponent::GetRestoreSubcomponent");
          c.restoreSubcomponents.push_back({path.Utf8(), name.Utf8(), repair.Get()});
        }
      // IVssComponentEx (Windows Server 2008 and later): the restore-time choices of IVssBackupComponentsEx2.
      ComPtr<IVssComponentEx> ex;
      if (SUCCEEDED(component->QueryInterface(__uuidof(IVssComponentEx), reinterpret_cast<void**>(ex.Put()))) && ex) {
        boolean authoritative = false;
        if (ex->GetAuthoritativeRestore(&authoritative) == S_OK) c.authoritativeRestore = authoritative != 0;
        Bstr restoreName, point;
        ex->GetRestoreName(restoreName.Put());
        c.restoreName = restoreName.Utf8();
        VSS_ROLLFORWARD_TYPE roll = VSS_RF_UNDEFINED;
        if (SUCCEEDED(ex->GetRollForward(&roll, point.Put()))) {
          c.rollForwardType = roll;
          c.rollForwardPoint = point.Utf8();
        }
        // What the writer set: messages (S_FALSE when none), and IVssComponentEx2's failure (Windows 7 / 2008 R2).
        Bstr prepare, post;
        if (ex->GetPrepareForBackupFailureMsg(prepare.Put()) == S_OK) c.prepareForBackupFailureMsg = prepare.Utf8();
        if (ex->GetPostSnapshotFailureMsg(post.Put()) == S_OK) c.postSnapshotFailureMsg = post.Utf8();
        ComPtr<IVssComponentEx2> ex2;
        if (SUCCEEDED(component->QueryInterface(__uuidof(IVssComponentEx2), reinterpret_cast<void**>(ex2.Put()))) && ex2) {
          HRESULT failure = S_OK, application = S_OK;
          Bstr message;
          DWORD reserved = 0;
          if (ex2->GetFailure(&failure, &application, message.Put(), &reserved) == S_OK && (failure != S_OK || application != S_OK || !message.Utf8().empty()))
            c.failure = {true, static_cast<uint32_t>(failure), static_cast<uint32_t>(application), message.Utf8()};
        }
      }
      Bstr backupMetadata, restoreMetadata, preRestore, postRestore;
      if (component->GetBackupMetadata(backupMetadata.Put()) == S_OK) c.backupMetadata = backupMetadata.Utf8();
      if (component->GetRestoreMetadata(restoreMetadata.Put()) == S_OK) c.restoreMetadata = restoreMetadata.Utf8();
      if (component->GetPreRestoreFailureMsg(preRestore.Put()) == S_OK) c.preRestoreFailureMsg = preRestore.Utf8();
      if (component->GetPostRestoreFailureMsg(postRestore.Put()) == S_OK) c.postRestoreFailureMsg = postRestore.Utf8();
      VSS_RESTORE_TARGET restoreTarget = VSS_RT_UNDEFINED;
      if (component->GetRestoreTarget(&restoreTarget) == S_OK) c.restoreTarget = restoreTarget;
      UINT directed = 0;
      if (component->GetDirectedTargetCount(&directed) == S_OK)
        for (UINT d = 0; d < directed; ++d) {
          Bstr sp, sf, sr, tp, tf, tr;
          Check(component->GetDirectedTarget(d, sp.Put(), sf.Put(), sr.Put(), tp.Put(), tf.Put(), tr.Put()), "IVssComponent::GetDirectedTarget");
          c.directedTargets.push_back({sp.Utf8(), sf.Utf8(), sr.Utf8(), tp.Utf8(), tf.Utf8(), tr.Utf8()});
        }
      UINT differenced = 0;
      if (component->GetDifferencedFilesCount(&differenced) == S_OK)
        for (UINT d = 0; d < differenced; ++d) {
          Bstr path, filespec, lsn;
          BOOL recursive = FALSE;
          FILETIME time{};
          Check(component->GetDifferencedFile(d, path.Put(), filespec.Put(), &recursive, lsn.Put(), &time), "IVssComponent::GetDifferencedFile");
          vss::DifferencedFile f;
          f.path = path.Utf8();
          f.filespec = filespec.Utf8();
          f.recursive = recursive != FALSE;
          f.lastModifyTime = (static_cast<uint64_t>(time.dwHighDateTime) << 32) | time.dwLowDateTime;
          f.hasTime = f.lastModifyTime != 0;
          f.lastModifyLsn = lsn.Utf8();
          c.differencedFiles.push_back(std::move(f));
        }
      w.components.push_back(std::move(c));
    }
    result.push_back(std::move(w));
  }
  return result;
}

Guid ComSession::StartSnapshotSet() {
  VSS_ID id;
  Check(components_->StartSnapshotSet(&id), "StartSnapshotSet");
  return FromGuid(id);
}

bool ComSession::IsVolumeSupported(const std::string& volume, const Guid& providerId) {
  std::wstring name = Wide(volume);
  BOOL supported = FALSE;
  Check(components_->IsVolumeSupported(ToGuid(providerId), &name[0], &supported), "IsVolumeSupported", volume);
  return supported != FALSE;
}

Guid ComSession::AddToSnapshotSet(const std::string& volume, const Guid& providerId) {
  std::wstring name = Wide(volume);
  VSS_ID id;
  Check(components_->AddToSnapshotSet(&name[0], ToGuid(providerId), &id), "AddToSnapshotSet", volume);
  return FromGuid(id);
}

// IVssBackupComponentsEx4 (Windows Server 2012 and Windows 8 on): a typed E_NOINTERFACE where it is
// missing. Who frees the two strings its page does not say; VSS allocates the VSS_PWSZ strings it
// hands out with CoTaskMemAlloc (VssFreeSnapshotProperties frees with CoTaskMemFree), so they are
// freed the same way.
RootAndLogicalPrefix ComSession::GetRootAndLogicalPrefixPaths(const std::string& filePath, bool normalizeFqdn) {
  const char* op = "GetRootAndLogicalPrefixPaths";
  ComPtr<IVssBackupComponentsEx4> ex4;
  HRESULT qi = components_->QueryInterface(__uuidof(IVssBackupComponentsEx4), reinterpret_cast<void**>(ex4.Put()));
  if (FAILED(qi) || !ex4) throw VssException(hr::kNoInterface, op, "IVssBackupComponentsEx4 is not available (Windows Server 2012 or Windows 8 or later needed)");
  std::wstring path = Wide(filePath);
  CoTaskMemString root, prefix;
  Check(ex4->GetRootAndLogicalPrefixPaths(&path[0], root.Put(), prefix.Put(), normalizeFqdn ? TRUE : FALSE), op, filePath);
  return RootAndLogicalPrefix{root.Utf8(), prefix.Utf8()};
}

void ComSession::PrepareForBackup(AsyncControl& control) {
  IVssAsync* async = nullptr;
  HRESULT started = components_->PrepareForBackup(&async);
  backupStarted_ = SUCCEEDED(started);
  WaitForAsync(started, async, control, "PrepareForBackup");
}

void ComSession::DoSnapshotSet(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::DoSnapshotSet, control, "DoSnapshotSet");
}

// VShadow -i: InitializeForBackup(saved document), SetContext, SetBackupState, then this.
void ComSession::ImportSnapshots(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::ImportSnapshots, control, "ImportSnapshots");
}

SnapshotProperties ComSession::GetSnapshotProperties(const Guid& snapshotId) {
  SnapshotProp prop;
  Check(components_->GetSnapshotProperties(ToGuid(snapshotId), prop.Put()), "GetSnapshotProperties");
  return ToSnapshotProperties(prop.Get());
}

void ComSession::SetBackupSucceeded(const ComponentRef& c, bool succeeded) {
  ComponentArgs a(c);
  Check(components_->SetBackupSucceeded(a.instance, a.writer, a.type, a.Path(), a.Name(), succeeded), "SetBackupSucceeded", c.name);
}

void ComSession::BackupComplete(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::BackupComplete, control, "BackupComplete");
  backupStarted_ = false;
}

void ComSession::AbortBackup() {
  Check(components_->AbortBackup(), "AbortBackup");
  backupStarted_ = false;
}

std::string ComSession::SaveAsXml() {
  Bstr xml;
  Check(components_->SaveAsXML(xml.Put()), "SaveAsXML");
  return xml.Utf8();
}

void ComSession::SetSelectedForRestore(const ComponentRef& c, bool selected) {
  ComponentArgs a(c);
  Check(components_->SetSelectedForRestore(a.writer, a.type, a.Path(), a.Name(), selected), "SetSelectedForRestore", c.name);
}

void ComSession::SetRestoreOptions(const ComponentRef& c, const std::string& options) {
  ComponentArgs a(c);
  std::wstring value = Wide(options);
  Check(components_->SetRestoreOptions(a.writer, a.type, a.Path(), a.Name(), value.c_str()), "SetRestoreOptions", c.name);
}

void ComSession::SetAdditionalRestores(const ComponentRef& c, bool additional) {
  ComponentArgs a(c);
  Check(components_->SetAdditionalRestores(a.writer, a.type, a.Path(), a.Name(), additional), "SetAdditionalRestores", c.name);
}

void ComSession::SetFileRestoreStatus(const ComponentRef& c, int32_t status) {
  ComponentArgs a(c);
  Check(components_->SetFileRestoreStatus(a.writer, a.type, a.Path(), a.Name(), static_cast<VSS_FILE_RESTORE_STATUS>(status)),
        "SetFileRestoreStatus", c.name);
}

void ComSession::SetRestoreState(int32_t restoreType) {
  Check(components_->SetRestoreState(static_cast<VSS_RESTORE_TYPE>(restoreType)), "SetRestoreState");
}

void ComSession::AddNewTarget(const ComponentRef& c, const FileDescriptor& target) {
  ComponentArgs a(c);
  std::wstring path = Wide(target.path), filespec = Wide(target.filespec), alternate = Wide(target.alternatePath);
  Check(components_->AddNewTarget(a.writer, a.type, a.Path(), a.Name(), path.c_str(), filespec.c_str(), target.recursive, alternate.c_str()),
        "AddNewTarget", c.name);
}

void ComSession::AddAlternativeLocationMapping(const ComponentRef& c, const FileDescriptor& mapping) {
  ComponentArgs a(c);
  std::wstring path = Wide(mapping.path), filespec = Wide(mapping.filespec), destination = Wide(mapping.alternatePath);
  Check(components_->AddAlternativeLocationMapping(a.writer, a.type, a.Path(), a.Name(), path.c_str(), filespec.c_str(), mapping.recursive,
                                                   destination.c_str()),
        "AddAlternativeLocationMapping", c.name);
}

void ComSession::AddRestoreSubcomponent(const ComponentRef& c, const RestoreSubcomponent& sub) {
  ComponentArgs a(c);
  std::wstring path = Wide(sub.logicalPath), name = Wide(sub.componentName);
  // bRepair is reserved and "should always be set to false".
  Check(components_->AddRestoreSubcomponent(a.writer, a.type, a.Path(), a.Name(), path.c_str(), name.c_str(), false), "AddRestoreSubcomponent", c.name);
}

void ComSession::SetRangesFilePath(const ComponentRef& c, uint32_t partialFile, const std::string& rangesFile) {
  ComponentArgs a(c);
  std::wstring ranges = Wide(rangesFile);
  Check(components_->SetRangesFilePath(a.writer, a.type, a.Path(), a.Name(), partialFile, ranges.c_str()), "SetRangesFilePath", c.name);
}

namespace {
// IVssBackupComponentsEx2 (Windows Server 2008 and later) or a typed E_NOINTERFACE naming the method.
ComPtr<IVssBackupComponentsEx2> Ex2Of(IVssBackupComponents* components, const char* operation) {
  ComPtr<IVssBackupComponentsEx2> ex2;
  HRESULT qi = components->QueryInterface(__uuidof(IVssBackupComponentsEx2), reinterpret_cast<void**>(ex2.Put()));
  if (FAILED(qi) || !ex2) throw VssException(hr::kNoInterface, operation, "IVssBackupComponentsEx2 is not available (Windows Server 2008 or later needed)");
  return ex2;
}
}  // namespace

void ComSession::SetAuthoritativeRestore(const ComponentRef& c, bool authoritative) {
  ComponentArgs a(c);
  Check(Ex2Of(components_.Get(), "SetAuthoritativeRestore")->SetAuthoritativeRestore(a.writer, a.type, a.Path(), a.Name(), authoritative),
        "SetAuthoritativeRestore", c.name);
}

void ComSession::SetRestoreName(const ComponentRef& c, const std::string& name) {
  ComponentArgs a(c);
  std::wstring value = Wide(name);
  Check(Ex2Of(components_.Get(), "SetRestoreName")->SetRestoreName(a.writer, a.type, a.Path(), a.Name(), value.c_str()), "SetRestoreName", c.name);
}

void ComSession::SetRollForward(const ComponentRef& c, int32_t type, const std::string& point) {
  ComponentArgs a(c);
  std::wstring value = Wide(point);
  Check(Ex2Of(components_.Get(), "SetRollForward")
            ->SetRollForward(a.writer, a.type, a.Path(), a.Name(), static_cast<VSS_ROLLFORWARD_TYPE>(type), value.empty() ? nullptr : value.c_str()),
        "SetRollForward", c.name);
}

void ComSession::PreRestore(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::PreRestore, control, "PreRestore");
}

void ComSession::PostRestore(AsyncControl& control) {
  RunAsync(&IVssBackupComponents::PostRestore, control, "PostRestore");
}

namespace {

// Walks an IVssEnumObject, handing each VSS_OBJECT_PROP to `take`, which copies
// what it needs; the strings inside are freed here, as Query's contract requires.
template <typename Take>
void Enumerate(IVssEnumObject* raw, const VssApiLibrary& library, Take take) {
  ComPtr<IVssEnumObject> objects(raw);
  for (;;) {
    VSS_OBJECT_PROP prop;
    ULONG fetched = 0;
    HRESULT next = objects->Next(1, &prop, &fetched);
    Check(next, "IVssEnumObject::Next");
    if (next == S_FALSE || fetched == 0) return;
    if (prop.Type == VSS_OBJECT_SNAPSHOT) {
      try {
        take(prop);
      } catch (...) {
        library.FreeSnapshotProperties(&prop.Obj.Snap);
        throw;
      }
      library.FreeSnapshotProperties(&prop.Obj.Snap);
    } else {
      try {
        take(prop);
      } catch (...) {
        CoTaskMemFree(prop.Obj.Prov.m_pwszProviderName);
        CoTaskMemFree(prop.Obj.Prov.m_pwszProviderVersion);
        throw;
      }
      CoTaskMemFree(prop.Obj.Prov.m_pwszProviderName);
      CoTaskMemFree(prop.Obj.Prov.m_pwszProviderVersion);
    }
  }
}

}  // namespace

std::vector<SnapshotProperties> ComSession::QuerySnapshots() {
  IVssEnumObject* objects = nullptr;
  HRESULT result = components_->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &objects);
  Check(result, "Query");
  std::vector<SnapshotProperties> snapshots;
  // S_FALSE: nothing matched; VSS still hands out an (empty) enumerator, released by Enumerate.
  if (!objects) return snapshots;
  Enumerate(objects, VssApiLibrary::Get(), [&](const VSS_OBJECT_PROP& prop) {
    if (prop.Type == VSS_OBJECT_SNAPSHOT) snapshots.push_back(ToSnapshotProperties(prop.Obj.Snap));
  });
  return snapshots;
}

std::vector<ProviderProperties> ComSession::QueryProviders() {
  IVssEnumObject* objects = nullptr;
  HRESULT result = components_->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_PROVIDER, &objects);
  Check(result, "Query");
  std::vector<ProviderProperties> providers;
  if (!objects) return providers;  // S_FALSE: as for QuerySnapshots
  Enumerate(objects, VssApiLibrary::Get(), [&](const VSS_OBJECT_PROP& prop) {
    if (prop.Type != VSS_OBJECT_PROVIDER) return;
    const VSS_PROVIDER_PROP& p = prop.Obj.Prov;
    ProviderProperties out;
    out.providerId = FromGuid(p.m_ProviderId);
    out.name = Utf8(p.m_pwszProviderName);
    out.type = p.m_eProviderType;
    out.version = Utf8(p.m_pwszProviderVersion);
    out.versionId = FromGuid(p.m_ProviderVersionId);
    out.classId = FromGuid(p.m_ClassId);
    providers.push_back(std::move(out));
  });
  return providers;
}

DeleteResult ComSession::DeleteSnapshots(const Guid& id, bool wholeSet, bool forceDelete) {
  LONG deleted = 0;
  VSS_ID nonDeleted = GUID_NULL;
  HRESULT result = components_->DeleteSnapshots(ToGuid(id), wholeSet ? VSS_OBJECT_SNAPSHOT_SET : VSS_OBJECT_SNAPSHOT, forceDelete, &deleted, &nonDeleted);
  // On failure VSS still reports how many went and which one stopped it.
  if (FAILED(result))
    Check(result, "DeleteSnapshots",
          id.ToString() + ": deleted " + std::to_string(deleted) + (IsEqualGUID(nonDeleted, GUID_NULL) ? "" : ", could not delete " + FromGuid(nonDeleted).ToString()));
  DeleteResult out;
  out.deletedCount = deleted;
  out.nonDeletedSnapshotId = FromGuid(nonDeleted);
  return out;
}

std::string ComSession::ExposeSnapshot(const ExposeRequest& request) {
  std::wstring path = Wide(request.pathFromRoot), expose = Wide(request.expose);
  CoTaskMemString exposed;
  Check(components_->ExposeSnapshot(ToGuid(request.snapshotId), path.empty() ? nullptr : &path[0], request.attributes,
                                    expose.empty() ? nullptr : &expose[0], exposed.Put()),
        "ExposeSnapshot", request.expose);
  return exposed.Utf8();
}

void ComSession::UnexposeSnapshot(const Guid& snapshotId) {
  Check(Ex2Of(components_.Get(), "UnexposeSnapshot")->UnexposeSnapshot(ToGuid(snapshotId)), "UnexposeSnapshot");
}

void ComSession::BreakSnapshotSet(const Guid& snapshotSetId) {
  Check(components_->BreakSnapshotSet(ToGuid(snapshotSetId)), "BreakSnapshotSet");
}

void ComSession::BreakSnapshotSetEx(const Guid& snapshotSetId, uint32_t flags, AsyncControl& control) {
  ComPtr<IVssBackupComponentsEx2> ex2 = Ex2Of(components_.Get(), "BreakSnapshotSetEx");
  IVssAsync* async = nullptr;
  HRESULT started = ex2->BreakSnapshotSetEx(ToGuid(snapshotSetId), flags, &async);
  WaitForAsync(started, async, control, "BreakSnapshotSetEx");
}

void ComSession::RevertToSnapshot(const Guid& snapshotId, bool forceDismount) {
  Check(components_->RevertToSnapshot(ToGuid(snapshotId), forceDismount ? TRUE : FALSE), "RevertToSnapshot");
}

void ComSession::QueryRevertStatus(const std::string& volume, AsyncControl& control) {
  std::wstring name = Wide(volume);
  IVssAsync* async = nullptr;
  HRESULT started = components_->QueryRevertStatus(const_cast<VSS_PWSZ>(name.c_str()), &async);
  WaitForAsync(started, async, control, "QueryRevertStatus");
}

}  // namespace com
}  // namespace vss

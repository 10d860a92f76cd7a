#include "com_backend.h"

#include <objbase.h>
#include <vsmgmt.h>

#include "../core/error.h"
#include "bstr.h"
#include "com_ptr.h"
#include "com_session.h"
#include "convert.h"
#include "vssapi_library.h"

namespace vss {

namespace {

class ComBackend : public Backend {
 public:
  std::string Name() const override { return "com"; }

  void ThreadEnter() override {
    com::CheckNotWow64();
    HRESULT init = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    if (FAILED(init)) throw VssException(static_cast<uint32_t>(init), "CoInitializeEx");
    initialized_ = true;
    // VSS calls back into the requester; it needs at least impersonation-level
    // security. Another part of the process may have set it first (RPC_E_TOO_LATE).
    HRESULT security = CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IDENTIFY, nullptr,
                                            EOAC_DYNAMIC_CLOAKING, nullptr);
    (void)security;
  }

  void ThreadLeave() override {
    if (initialized_) CoUninitialize();
    initialized_ = false;
  }

  std::unique_ptr<Session> CreateSession() override {
    const com::VssApiLibrary& library = com::VssApiLibrary::Get();
    IVssBackupComponents* raw = nullptr;
    HRESULT created = library.CreateBackupComponents(&raw);
    com::ComPtr<IVssBackupComponents> components(raw);
    ThrowIfFailed(static_cast<uint32_t>(created), "CreateVssBackupComponents");
    if (!components) throw VssException(hr::kPointer, "CreateVssBackupComponents", "no interface returned");
    return std::make_unique<com::ComSession>(std::move(components));
  }

  std::vector<DiffArea> QueryDiffAreas() override {
    com::ComPtr<IVssSnapshotMgmt> management;
    HRESULT created = CoCreateInstance(CLSID_VssSnapshotMgmt, nullptr, CLSCTX_ALL, IID_IVssSnapshotMgmt, reinterpret_cast<void**>(management.Put()));
    ThrowIfFailed(static_cast<uint32_t>(created), "CoCreateInstance(VssSnapshotMgmt)");
    com::ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential;
    // The system provider manages shadow storage.
    GUID systemProvider = com::ToGuid(*Guid::Parse("b5946137-7b9f-4925-af80-51abd60b20d5"));
    ThrowIfFailed(static_cast<uint32_t>(management->GetProviderMgmtInterface(systemProvider, IID_IVssDifferentialSoftwareSnapshotMgmt,
                                                                             reinterpret_cast<IUnknown**>(differential.Put()))),
                  "IVssSnapshotMgmt::GetProviderMgmtInterface");
    com::ComPtr<IVssEnumMgmtObject> objects;
    HRESULT queried = differential->QueryDiffAreasForVolume(nullptr, objects.Put());
    std::vector<DiffArea> areas;
    if (queried == S_FALSE || !objects) return areas;
    ThrowIfFailed(static_cast<uint32_t>(queried), "QueryDiffAreasForVolume");
    for (;;) {
      VSS_MGMT_OBJECT_PROP prop;
      ULONG fetched = 0;
      HRESULT next = objects->Next(1, &prop, &fetched);
      ThrowIfFailed(static_cast<uint32_t>(next), "IVssEnumMgmtObject::Next");
      if (next == S_FALSE || fetched == 0) break;
      if (prop.Type == VSS_MGMT_OBJECT_DIFF_AREA) {
        VSS_DIFF_AREA_PROP& d = prop.Obj.DiffArea;
        DiffArea area;
        area.volumeName = com::Utf8(d.m_pwszVolumeName);
        area.diffAreaVolumeName = com::Utf8(d.m_pwszDiffAreaVolumeName);
        area.maximumDiffSpace = d.m_llMaximumDiffSpace;
        area.allocatedDiffSpace = d.m_llAllocatedDiffSpace;
        area.usedDiffSpace = d.m_llUsedDiffSpace;
        CoTaskMemFree(d.m_pwszVolumeName);
        CoTaskMemFree(d.m_pwszDiffAreaVolumeName);
        areas.push_back(std::move(area));
      }
    }
    return areas;
  }

 private:
  bool initialized_ = false;
};

}  // namespace

std::unique_ptr<Backend> CreateComBackend() { return std::make_unique<ComBackend>(); }

}  // namespace vss

#include "diff_areas.h"

#include <objbase.h>
#include <vsmgmt.h>

#include <cstring>
#include <string>

#include "../core/error.h"
#include "../core/vss_constants.h"
#include "bstr.h"
#include "com_ptr.h"
#include "convert.h"

namespace vss {
namespace com {

namespace {

// The system provider owns shadow storage.
const GUID kSystemProvider = ToGuid(kSystemProviderId);
// CLSID_VssSnapshotMgmt, spelled out: the SDKs declare it but not every import library defines it.
constexpr GUID kVssSnapshotMgmtClass = {0x0b5a2c52, 0x3eb9, 0x470a, {0x96, 0xe2, 0x6c, 0x6d, 0x45, 0x70, 0xe4, 0x0f}};
constexpr LONG kContextAll = ctx::kAll;

void Check(HRESULT result, const char* operation, const std::string& detail = {}) {
  ThrowIfFailed(static_cast<uint32_t>(result), operation, detail);
}

// One VSS_MGMT_OBJECT_PROP from IVssEnumMgmtObject::Next; its strings are
// CoTaskMem allocations the caller owns, freed here whatever the type.
class MgmtObject {
 public:
  MgmtObject() { std::memset(&prop_, 0, sizeof prop_); }
  MgmtObject(const MgmtObject&) = delete;
  MgmtObject& operator=(const MgmtObject&) = delete;
  ~MgmtObject() { Clear(); }
  VSS_MGMT_OBJECT_PROP* Put() {
    Clear();
    return &prop_;
  }
  const VSS_MGMT_OBJECT_PROP& Get() const { return prop_; }

 private:
  void Clear() {
    switch (prop_.Type) {
      case VSS_MGMT_OBJECT_VOLUME:
        CoTaskMemFree(prop_.Obj.Vol.m_pwszVolumeName);
        CoTaskMemFree(prop_.Obj.Vol.m_pwszVolumeDisplayName);
        break;
      case VSS_MGMT_OBJECT_DIFF_VOLUME:
        CoTaskMemFree(prop_.Obj.DiffVol.m_pwszVolumeName);
        CoTaskMemFree(prop_.Obj.DiffVol.m_pwszVolumeDisplayName);
        break;
      case VSS_MGMT_OBJECT_DIFF_AREA:
        CoTaskMemFree(prop_.Obj.DiffArea.m_pwszVolumeName);
        CoTaskMemFree(prop_.Obj.DiffArea.m_pwszDiffAreaVolumeName);
        break;
      default:
        break;
    }
    std::memset(&prop_, 0, sizeof prop_);
  }
  VSS_MGMT_OBJECT_PROP prop_;
};

// Walks an enumeration one object at a time, handing each to `take`.
template <typename Take>
void Walk(IVssEnumMgmtObject* objects, const char* operation, Take take) {
  for (;;) {
    MgmtObject object;
    ULONG fetched = 0;
    HRESULT next = objects->Next(1, object.Put(), &fetched);
    Check(next, operation);
    if (next == S_FALSE || fetched == 0) return;
    take(object.Get());
  }
}

ComPtr<IVssSnapshotMgmt> SnapshotManagement(const char* operation) {
  ComPtr<IVssSnapshotMgmt> management;
  Check(CoCreateInstance(kVssSnapshotMgmtClass, nullptr, CLSCTX_ALL, __uuidof(IVssSnapshotMgmt), reinterpret_cast<void**>(management.Put())),
        operation, "CoCreateInstance(VssSnapshotMgmt)");
  return management;
}

ComPtr<IVssDifferentialSoftwareSnapshotMgmt> SystemProviderStorage(IVssSnapshotMgmt* management, const char* operation) {
  ComPtr<IUnknown> providerInterface;
  Check(management->GetProviderMgmtInterface(kSystemProvider, __uuidof(IVssDifferentialSoftwareSnapshotMgmt), providerInterface.Put()), operation,
        "IVssSnapshotMgmt::GetProviderMgmtInterface");
  // GetProviderMgmtInterface hands back the interface asked for, typed as IUnknown;
  // QueryInterface gives a pointer whose type is certain.
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential;
  Check(providerInterface->QueryInterface(__uuidof(IVssDifferentialSoftwareSnapshotMgmt), reinterpret_cast<void**>(differential.Put())), operation,
        "IVssDifferentialSoftwareSnapshotMgmt");
  return differential;
}

// The items of type `type` of an enumeration a Query* call gave (`queried`), each through
// `convert`; S_FALSE or no enumerator: none.
template <typename T, typename Convert>
std::vector<T> ReadItems(HRESULT queried, IVssEnumMgmtObject* objects, VSS_MGMT_OBJECT_TYPE type, const char* operation, const std::string& detail,
                         Convert convert) {
  std::vector<T> items;
  if (queried == S_FALSE || (SUCCEEDED(queried) && !objects)) return items;
  Check(queried, operation, detail);
  Walk(objects, "IVssEnumMgmtObject::Next", [&](const VSS_MGMT_OBJECT_PROP& prop) {
    if (prop.Type == type) items.push_back(convert(prop.Obj));
  });
  return items;
}

std::vector<DiffArea> ReadAreas(HRESULT queried, IVssEnumMgmtObject* objects, const char* operation, const std::string& detail) {
  return ReadItems<DiffArea>(queried, objects, VSS_MGMT_OBJECT_DIFF_AREA, operation, detail, [](const VSS_MGMT_OBJECT_UNION& o) {
    DiffArea area;
    area.volumeName = Utf8(o.DiffArea.m_pwszVolumeName);
    area.diffAreaVolumeName = Utf8(o.DiffArea.m_pwszDiffAreaVolumeName);
    area.maximumDiffSpace = o.DiffArea.m_llMaximumDiffSpace;
    area.allocatedDiffSpace = o.DiffArea.m_llAllocatedDiffSpace;
    area.usedDiffSpace = o.DiffArea.m_llUsedDiffSpace;
    return area;
  });
}

// One of the three Query* methods that take a volume name.
std::vector<DiffArea> QueryByVolume(const char* operation, const std::string& volume,
                                    HRESULT (STDMETHODCALLTYPE IVssDifferentialSoftwareSnapshotMgmt::*query)(VSS_PWSZ, IVssEnumMgmtObject**)) {
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(operation);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), operation);
  std::wstring name = Wide(volume);
  ComPtr<IVssEnumMgmtObject> objects;
  HRESULT queried = (differential.Get()->*query)(&name[0], objects.Put());
  return ReadAreas(queried, objects.Get(), operation, volume);
}

// The interface page: IVssDifferentialSoftwareSnapshotMgmt3 by QueryInterface of the system provider's object.
ComPtr<IVssDifferentialSoftwareSnapshotMgmt3> Protection(const char* operation) {
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(operation);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), operation);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt3> third;
  Check(differential->QueryInterface(__uuidof(IVssDifferentialSoftwareSnapshotMgmt3), reinterpret_cast<void**>(third.Put())), operation,
        "IVssDifferentialSoftwareSnapshotMgmt3");
  return third;
}

}  // namespace

void SetVolumeProtectLevel(const std::string& volume, int32_t level) {
  const char* op = "SetVolumeProtectLevel";
  std::wstring name = Wide(volume);
  Check(Protection(op)->SetVolumeProtectLevel(&name[0], static_cast<VSS_PROTECTION_LEVEL>(level)), op, volume);
}

VolumeProtection GetVolumeProtectLevel(const std::string& volume) {
  const char* op = "GetVolumeProtectLevel";
  std::wstring name = Wide(volume);
  VSS_VOLUME_PROTECTION_INFO info;
  std::memset(&info, 0, sizeof info);
  Check(Protection(op)->GetVolumeProtectLevel(&name[0], &info), op, volume);
  VolumeProtection out;
  out.level = static_cast<int32_t>(info.m_protectionLevel);
  out.offline = info.m_volumeIsOfflineForProtection != FALSE;
  out.fault = static_cast<int32_t>(info.m_protectionFault);
  out.failureStatus = static_cast<int32_t>(info.m_failureStatus);
  out.hasUnusedDiffArea = info.m_volumeHasUnusedDiffArea != FALSE;
  return out;
}

void ClearVolumeProtectFault(const std::string& volume) {
  const char* op = "ClearVolumeProtectFault";
  std::wstring name = Wide(volume);
  Check(Protection(op)->ClearVolumeProtectFault(&name[0]), op, volume);
}

void DeleteUnusedDiffAreas(const std::string& diffAreaVolume) {
  const char* op = "DeleteUnusedDiffAreas";
  std::wstring name = Wide(diffAreaVolume);
  Check(Protection(op)->DeleteUnusedDiffAreas(&name[0]), op, diffAreaVolume);
}

void ChangeDiffAreaMaximumSizeEx(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize, bool isVolatile) {
  const char* op = "ChangeDiffAreaMaximumSizeEx";
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(op);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), op);
  // The interface page: QueryInterface of IVssDifferentialSoftwareSnapshotMgmt (Windows Vista and later).
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt2> second;
  Check(differential->QueryInterface(__uuidof(IVssDifferentialSoftwareSnapshotMgmt2), reinterpret_cast<void**>(second.Put())), op,
        "IVssDifferentialSoftwareSnapshotMgmt2");
  std::wstring original = Wide(volume), storage = Wide(diffAreaVolume);
  Check(second->ChangeDiffAreaMaximumSizeEx(&original[0], &storage[0], maximumSize, isVolatile ? TRUE : FALSE), op, volume + " on " + diffAreaVolume);
}

std::vector<DiffArea> QueryDiffAreasForVolume(const std::string& volume) {
  return QueryByVolume("QueryDiffAreasForVolume", volume, &IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume);
}

std::vector<DiffArea> QueryDiffAreasOnVolume(const std::string& volume) {
  return QueryByVolume("QueryDiffAreasOnVolume", volume, &IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasOnVolume);
}

std::vector<DiffArea> QueryDiffAreasForSnapshot(const Guid& snapshotId) {
  const char* op = "QueryDiffAreasForSnapshot";
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(op);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), op);
  ComPtr<IVssEnumMgmtObject> objects;
  HRESULT queried = differential->QueryDiffAreasForSnapshot(ToGuid(snapshotId), objects.Put());
  return ReadAreas(queried, objects.Get(), op, snapshotId.ToString());
}

std::vector<DiffVolume> QueryVolumesSupportedForDiffAreas(const std::string& originalVolume) {
  const char* op = "QueryVolumesSupportedForDiffAreas";
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(op);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), op);
  std::wstring name = Wide(originalVolume);
  ComPtr<IVssEnumMgmtObject> objects;
  HRESULT queried = differential->QueryVolumesSupportedForDiffAreas(&name[0], objects.Put());
  return ReadItems<DiffVolume>(queried, objects.Get(), VSS_MGMT_OBJECT_DIFF_VOLUME, op, originalVolume, [](const VSS_MGMT_OBJECT_UNION& o) {
    DiffVolume v;
    v.volumeName = Utf8(o.DiffVol.m_pwszVolumeName);
    v.displayName = Utf8(o.DiffVol.m_pwszVolumeDisplayName);
    v.freeSpace = o.DiffVol.m_llVolumeFreeSpace;
    v.totalSpace = o.DiffVol.m_llVolumeTotalSpace;
    return v;
  });
}

void ChangeDiffAreaMaximumSize(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) {
  const char* op = "ChangeDiffAreaMaximumSize";
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(op);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), op);
  std::wstring original = Wide(volume), storage = Wide(diffAreaVolume);
  Check(differential->ChangeDiffAreaMaximumSize(&original[0], &storage[0], maximumSize), op, volume + " on " + diffAreaVolume);
}

void AddDiffArea(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) {
  const char* op = "AddDiffArea";
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement(op);
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), op);
  std::wstring original = Wide(volume), storage = Wide(diffAreaVolume);
  Check(differential->AddDiffArea(&original[0], &storage[0], maximumSize), op, volume + " on " + diffAreaVolume);
}

std::vector<DiffArea> QueryDiffAreas() {
  ComPtr<IVssSnapshotMgmt> management = SnapshotManagement("QueryDiffAreas");
  ComPtr<IVssDifferentialSoftwareSnapshotMgmt> differential = SystemProviderStorage(management.Get(), "QueryDiffAreas");

  std::vector<std::wstring> volumes;
  ComPtr<IVssEnumMgmtObject> volumeObjects;
  HRESULT listed = management->QueryVolumesSupportedForSnapshots(kSystemProvider, kContextAll, volumeObjects.Put());
  Check(listed, "QueryDiffAreas", "IVssSnapshotMgmt::QueryVolumesSupportedForSnapshots");
  if (listed != S_FALSE && volumeObjects) {
    Walk(volumeObjects.Get(), "IVssEnumMgmtObject::Next", [&](const VSS_MGMT_OBJECT_PROP& prop) {
      if (prop.Type == VSS_MGMT_OBJECT_VOLUME && prop.Obj.Vol.m_pwszVolumeName) volumes.emplace_back(prop.Obj.Vol.m_pwszVolumeName);
    });
  }

  std::vector<DiffArea> areas;
  for (std::wstring& volume : volumes) {
    ComPtr<IVssEnumMgmtObject> areaObjects;
    HRESULT queried = differential->QueryDiffAreasForVolume(&volume[0], areaObjects.Put());
    for (DiffArea& area : ReadAreas(queried, areaObjects.Get(), "QueryDiffAreas", "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume(" + Utf8(volume.c_str()) + ")"))
      areas.push_back(std::move(area));
  }
  return areas;
}

}  // namespace com
}  // namespace vss

#include "writer_metadata.h"

#include <memory>
#include <mutex>

#include "../core/error.h"
#include "../core/xml_documents.h"
#include "bstr.h"
#include "com_ptr.h"
#include "convert.h"

namespace vss {
namespace com {

FileDescriptor ReadFiledesc(IVssWMFiledesc* raw) {
  ComPtr<IVssWMFiledesc> desc(raw);
  FileDescriptor f;
  Bstr path, filespec, alternate;
  boolean recursive = false;
  DWORD mask = 0;
  ThrowIfFailed(desc->GetPath(path.Put()), "IVssWMFiledesc::GetPath");
  ThrowIfFailed(desc->GetFilespec(filespec.Put()), "IVssWMFiledesc::GetFilespec");
  ThrowIfFailed(desc->GetRecursive(&recursive), "IVssWMFiledesc::GetRecursive");
  desc->GetAlternateLocation(alternate.Put());  // S_FALSE/empty when there is none
  // Not every writer (or VSS version) reports a backup type mask; VSS then means "all types".
  if (FAILED(desc->GetBackupTypeMask(&mask))) mask = 0xF0F;
  f.path = path.Utf8();
  f.filespec = filespec.Utf8();
  f.recursive = recursive != 0;
  f.alternatePath = alternate.Utf8();
  f.backupTypeMask = mask;
  return f;
}

namespace {

template <typename Getter>
std::vector<FileDescriptor> ReadFiles(UINT count, Getter get, const char* operation) {
  std::vector<FileDescriptor> files;
  for (UINT i = 0; i < count; ++i) {
    IVssWMFiledesc* desc = nullptr;
    ThrowIfFailed(get(i, &desc), operation);
    files.push_back(ReadFiledesc(desc));
  }
  return files;
}

Component ReadComponent(IVssWMComponent* raw) {
  ComPtr<IVssWMComponent> component(raw);
  PVSSCOMPONENTINFO info = nullptr;
  ThrowIfFailed(component->GetComponentInfo(&info), "IVssWMComponent::GetComponentInfo");
  // FreeComponentInfo on every path out, including exceptions.
  struct InfoGuard {
    IVssWMComponent* component;
    PVSSCOMPONENTINFO info;
    ~InfoGuard() { component->FreeComponentInfo(info); }
  } guard{component.Get(), info};
  Component c;
  c.type = info->type;
  c.logicalPath = Utf8(info->bstrLogicalPath);
  c.name = Utf8(info->bstrComponentName);
  c.caption = Utf8(info->bstrCaption);
  c.restoreMetadata = info->bRestoreMetadata;
  c.notifyOnBackupComplete = info->bNotifyOnBackupComplete;
  c.selectable = info->bSelectable;
  c.selectableForRestore = info->bSelectableForRestore;
  c.flags = info->dwComponentFlags;
  IVssWMComponent* p = component.Get();
  c.files = ReadFiles(info->cFileCount, [p](UINT i, IVssWMFiledesc** d) { return p->GetFile(i, d); }, "IVssWMComponent::GetFile");
  c.databaseFiles = ReadFiles(info->cDatabases, [p](UINT i, IVssWMFiledesc** d) { return p->GetDatabaseFile(i, d); }, "IVssWMComponent::GetDatabaseFile");
  c.logFiles = ReadFiles(info->cLogFiles, [p](UINT i, IVssWMFiledesc** d) { return p->GetDatabaseLogFile(i, d); }, "IVssWMComponent::GetDatabaseLogFile");
  for (UINT i = 0; i < info->cDependencies; ++i) {
    ComPtr<IVssWMDependency> dependency;
    ThrowIfFailed(component->GetDependency(i, dependency.Put()), "IVssWMComponent::GetDependency");
    Dependency d;
    VSS_ID writerId;
    Bstr logicalPath, name;
    ThrowIfFailed(dependency->GetWriterId(&writerId), "IVssWMDependency::GetWriterId");
    dependency->GetLogicalPath(logicalPath.Put());
    ThrowIfFailed(dependency->GetComponentName(name.Put()), "IVssWMDependency::GetComponentName");
    d.writerId = FromGuid(writerId);
    d.logicalPath = logicalPath.Utf8();
    d.componentName = name.Utf8();
    c.dependencies.push_back(d);
  }
  return c;
}

// The walk: every field through its interface call, one COM call (and a few BSTRs) per file.
WriterMetadata WalkWriterMetadata(IVssExamineWriterMetadata* examine) {
  WriterMetadata m;
  VSS_ID instanceId, writerId;
  Bstr name, instanceName;
  VSS_USAGE_TYPE usage = VSS_UT_UNDEFINED;
  VSS_SOURCE_TYPE source = VSS_ST_UNDEFINED;
  ComPtr<IVssExamineWriterMetadataEx> ex;
  if (SUCCEEDED(examine->QueryInterface(__uuidof(IVssExamineWriterMetadataEx), reinterpret_cast<void**>(ex.Put()))) && ex) {
    ThrowIfFailed(ex->GetIdentityEx(&instanceId, &writerId, name.Put(), instanceName.Put(), &usage, &source), "IVssExamineWriterMetadataEx::GetIdentityEx");
  } else {
    ThrowIfFailed(examine->GetIdentity(&instanceId, &writerId, name.Put(), &usage, &source), "IVssExamineWriterMetadata::GetIdentity");
  }
  m.instanceId = FromGuid(instanceId);
  m.writerId = FromGuid(writerId);
  m.name = name.Utf8();
  m.instanceName = instanceName.Utf8();
  m.usage = usage;
  m.source = source;

  UINT includes = 0, excludes = 0, components = 0;
  ThrowIfFailed(examine->GetFileCounts(&includes, &excludes, &components), "IVssExamineWriterMetadata::GetFileCounts");
  m.includeFiles = ReadFiles(includes, [examine](UINT i, IVssWMFiledesc** d) { return examine->GetIncludeFile(i, d); }, "IVssExamineWriterMetadata::GetIncludeFile");
  m.excludeFiles = ReadFiles(excludes, [examine](UINT i, IVssWMFiledesc** d) { return examine->GetExcludeFile(i, d); }, "IVssExamineWriterMetadata::GetExcludeFile");
  for (UINT i = 0; i < components; ++i) {
    IVssWMComponent* component = nullptr;
    ThrowIfFailed(examine->GetComponent(i, &component), "IVssExamineWriterMetadata::GetComponent");
    m.components.push_back(ReadComponent(component));
  }

  VSS_RESTOREMETHOD_ENUM method = VSS_RME_UNDEFINED;
  VSS_WRITERRESTORE_ENUM writerRestore = VSS_WRE_UNDEFINED;
  Bstr service, userProcedure;
  boolean reboot = false;
  UINT mappings = 0;
  HRESULT restore = examine->GetRestoreMethod(&method, service.Put(), userProcedure.Put(), &writerRestore, &reboot, &mappings);
  ThrowIfFailed(restore, "IVssExamineWriterMetadata::GetRestoreMethod");
  m.hasRestoreMethod = restore == S_OK;  // S_FALSE: the writer declares none
  m.restoreMethod.method = method;
  m.restoreMethod.service = service.Utf8();
  m.restoreMethod.userProcedure = userProcedure.Utf8();
  m.restoreMethod.writerRestore = writerRestore;
  m.restoreMethod.rebootRequired = reboot != 0;
  m.restoreMethod.mappingCount = mappings;
  m.alternateLocationMappings = ReadFiles(mappings, [examine](UINT i, IVssWMFiledesc** d) { return examine->GetAlternateLocationMapping(i, d); }, "IVssExamineWriterMetadata::GetAlternateLocationMapping");

  DWORD schema = 0;
  if (SUCCEEDED(examine->GetBackupSchema(&schema))) m.backupSchema = schema;

  ComPtr<IVssExamineWriterMetadataEx2> ex2;
  if (SUCCEEDED(examine->QueryInterface(__uuidof(IVssExamineWriterMetadataEx2), reinterpret_cast<void**>(ex2.Put()))) && ex2) {
    DWORD major = 0, minor = 0;
    if (SUCCEEDED(ex2->GetVersion(&major, &minor))) {
      m.versionMajor = major;
      m.versionMinor = minor;
    }
    UINT count = 0;
    if (SUCCEEDED(ex2->GetExcludeFromSnapshotCount(&count)))
      m.excludeFromSnapshot = ReadFiles(count, [&ex2](UINT i, IVssWMFiledesc** d) { return ex2->GetExcludeFromSnapshotFile(i, d); }, "IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotFile");
  }

  return m;
}

// Fields only IVssExamineWriterMetadataEx/Ex2 report are left empty without the interface,
// as the walk leaves them: the result does not depend on which route read it.
void KeepToInterfaceLevel(IVssExamineWriterMetadata* examine, WriterMetadata& m) {
  ComPtr<IVssExamineWriterMetadataEx> ex;
  if (FAILED(examine->QueryInterface(__uuidof(IVssExamineWriterMetadataEx), reinterpret_cast<void**>(ex.Put()))) || !ex) m.instanceName.clear();
  ComPtr<IVssExamineWriterMetadataEx2> ex2;
  if (FAILED(examine->QueryInterface(__uuidof(IVssExamineWriterMetadataEx2), reinterpret_cast<void**>(ex2.Put()))) || !ex2) {
    m.versionMajor = m.versionMinor = 0;
    m.excludeFromSnapshot.clear();
    if (m.packedFiles) m.packedFiles->excludeFromSnapshot = PackedFiles{};
  }
}

// One element tree kept between reads: each session has its own thread (a new one, or one
// a finished session left waiting: session_thread.h), so a thread_local one would start
// empty with every new thread, and a fresh tree for the System Writer's document
// allocates and faults in megabytes each call. Taken and given back under a lock (sessions
// may read in parallel: the others get their own); not kept when it grew beyond 64 MiB.
class ScratchDocument {
 public:
  ScratchDocument() {
    std::lock_guard<std::mutex> lock(mutex_);
    document_ = std::move(spare_);
    if (!document_) document_ = std::make_unique<xml::XmlDocument>();
  }
  ScratchDocument(const ScratchDocument&) = delete;
  ScratchDocument& operator=(const ScratchDocument&) = delete;
  ~ScratchDocument() {
    constexpr size_t kKeep = 64u << 20;
    if (document_->attributes.capacity() * sizeof(xml::XmlAttribute) + document_->elements.capacity() * sizeof(xml::XmlElement) > kKeep) return;
    document_->Reset({});
    std::lock_guard<std::mutex> lock(mutex_);
    if (!spare_) spare_ = std::move(document_);
  }
  xml::XmlDocument* Get() const { return document_.get(); }

 private:
  std::unique_ptr<xml::XmlDocument> document_;
  static std::mutex mutex_;
  static std::unique_ptr<xml::XmlDocument> spare_;
};
std::mutex ScratchDocument::mutex_;
std::unique_ptr<xml::XmlDocument> ScratchDocument::spare_;

}  // namespace

// The System Writer declares about 19,000 files: the walk makes one IVssWMComponent::GetFile
// (and five IVssWMFiledesc calls, five BSTRs) per file. The writer's document, which
// IVssExamineWriterMetadata::SaveAsXML hands over in one BSTR, holds every field the walk
// reads: the CreateVssExamineWriterMetadata page documents the saved document as what
// initialises an equal IVssExamineWriterMetadata. So it is read once with the project's one
// XML reader, the reader of parseWriterMetadata. A document the reader refuses (a writer's
// odd XML that VSS itself accepted) is no reason to fail: that writer is walked instead.
WriterMetadata ReadWriterMetadata(IVssExamineWriterMetadata* examine) {
  Bstr saved;
  ThrowIfFailed(examine->SaveAsXML(saved.Put()), "IVssExamineWriterMetadata::SaveAsXML");
  std::string text = saved.Utf8();
  saved.Reset();  // the UTF-16 copy (twice the document) is not needed any more
  try {
    ScratchDocument scratch;
    xml::WriterMetadataDocument document = xml::ReadWriterMetadata(text, xml::XmlOrigin::Bytes, scratch.Get());
    // The file lists go from the reader's views into the form they cross to JavaScript in,
    // with no string per file on the way (packed_files.h; BENCHMARKS.md has the figures).
    PackedFileLists packed;
    WriterMetadata m;
    if (document.PackFiles(packed)) {
      m = std::move(document.metadata);
      m.packedFiles = std::move(packed);
    } else {
      m = document.ToWriterMetadata();
    }
    KeepToInterfaceLevel(examine, m);
    m.xml = std::move(text);
    return m;
  } catch (const xml::XmlError&) {
    // Walked below.
  }
  WriterMetadata m = WalkWriterMetadata(examine);
  m.xml = std::move(text);
  return m;
}

}  // namespace com
}  // namespace vss

// Reading the two XML documents VSS writes with the one XML reader (xml_reader.h): the
// writer metadata document (IVssExamineWriterMetadata::SaveAsXML, <WRITER_METADATA>) and
// the Backup Components Document (IVssBackupComponents::SaveAsXML, <BACKUP_COMPONENTS>).
// The engine reads its documents here, and so does the library's parseWriterMetadata /
// parseBackupComponentsDocument through the addon, so both accept and refuse the same
// documents with the same XmlError (code, element path, attribute, line, column).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types.h"
#include "xml_reader.h"

namespace vss {
namespace xml {

// Part of a document that has no field of its own (the library's UnrecognizedXml).
struct Unrecognized {
  std::string element;  // path from the root
  int line = 0;
  std::vector<std::pair<std::string, std::string>> attributes;
  bool hasText = false;
  std::string text;
  bool unknownElement = false;
};

// A file list entry as views into the document (its text and its XmlDocument's decoded
// values): the System Writer's 19,000 entries are not copied into strings on their way to
// JSON.
struct FileView {
  std::string_view path, filespec, alternatePath;
  bool recursive = false;
  uint32_t backupTypeMask = 0;
  FileDescriptor ToDescriptor() const;
};

struct ComponentFiles {
  std::vector<FileView> files, databaseFiles, logFiles;
};

struct WriterMetadataDocument {
  // Everything but the file lists (left empty: see below and ToWriterMetadata) and `xml`.
  WriterMetadata metadata;
  std::vector<ComponentFiles> componentFiles;  // per component
  std::vector<FileView> includeFiles, excludeFiles, excludeFromSnapshot, alternateLocationMappings;
  std::vector<std::optional<std::string>> icons;  // per component: its icon attribute
  std::vector<Unrecognized> unrecognized;
  // The element tree the views point into when the caller gave no scratch document.
  std::unique_ptr<XmlDocument> ownDocument;

  // The engine's WriterMetadata, file lists included (copies the views).
  WriterMetadata ToWriterMetadata() const;
  // The file lists packed as they cross to JavaScript (packed_files.h), straight from the
  // views; false when a string holds a NUL.
  bool PackFiles(PackedFileLists& out) const;
};

WriterMetadataDocument ReadWriterMetadata(std::string_view xml, XmlOrigin origin, XmlDocument* scratch = nullptr);

// Declared with ComponentStatus (types.h).
using vss::ComponentFailure;
using vss::DifferencedFile;
using vss::DirectedTarget;
using vss::PartialFile;
using vss::RestoreSubcomponent;
using vss::SnapshotSetDescription;

struct ComponentRecord {
  std::string name, logicalPath;
  int32_t typeCode = 0;
  std::optional<bool> backupSucceeded;
  std::string backupStamp, previousBackupStamp, backupOptions, restoreOptions;
  bool selectedForRestore = false, additionalRestores = false;
  std::string restoreTarget, preRestoreFailureMessage, postRestoreFailureMessage;
  std::string prepareForBackupFailureMessage, postSnapshotFailureMessage;  // IVssComponentEx
  int32_t fileRestoreStatusCode = 0;
  // The restore-time choices (IVssBackupComponentsEx2 SetAuthoritativeRestore, SetRestoreName,
  // SetRollForward); no captured document holds them, so the attribute names are the engine's own.
  bool authoritativeRestore = false;
  std::string restoreName, rollForwardPoint;
  int32_t rollForwardTypeCode = 0;
  std::optional<std::string> backupMetadata, restoreMetadata;
  std::vector<FileDescriptor> alternateLocationMappings, newTargets;
  std::vector<PartialFile> partialFiles;
  std::vector<DirectedTarget> directedTargets;
  std::vector<RestoreSubcomponent> restoreSubcomponents;
  std::vector<DifferencedFile> differencedFiles;
  // IVssComponentEx2::SetFailure: no captured document holds it; <FAILURE hr applicationError
  // message> is the engine's own element (inferred).
  ComponentFailure failure;
};

struct ComponentsOfWriter {
  Guid writerId, instanceId;
  std::string instanceName;
  uint32_t backupSchema = 0;
  std::vector<ComponentRecord> components;
};

struct BackupComponentsRecord {
  std::optional<Guid> snapshotSetId;
  bool bootableSystemState = false, selectComponents = false, partialFileSupport = false;
  int32_t backupTypeCode = 0;
  std::string restoreType;
  int32_t restoreTypeCode = 0;  // SetRestoreState; 0 when the document does not say
  std::vector<ComponentsOfWriter> writers;
  // A transportable set's description (SNAPSHOT_SET_DESCRIPTION), what ImportSnapshots reads.
  std::optional<SnapshotSetDescription> snapshotSet;
  std::vector<Unrecognized> unrecognized;
};

BackupComponentsRecord ReadBackupComponents(std::string_view xml, XmlOrigin origin, XmlDocument* scratch = nullptr);

}  // namespace xml
}  // namespace vss

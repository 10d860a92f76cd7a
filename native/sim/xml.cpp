#include "xml.h"


#include "../core/error.h"
#include "../core/xml_documents.h"

namespace vss {
namespace sim {

// Appends in place: the System Writer's 19,000 file entries are written at every identify.
static void AppendEscaped(std::string& out, const std::string& text) {
  size_t plain = 0;
  while (plain < text.size()) {
    const char c = text[plain];
    if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '\t' || c == '\n' || c == '\r') break;
    ++plain;
  }
  out.append(text, 0, plain);
  for (size_t i = plain; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // As character references: a literal tab or line break in an attribute value reads back as a space.
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c;
    }
  }
}

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(out, text);
  return out;
}

// The names XML documents give enumeration values come from the vocabulary table.
const char* XmlName(Vocabulary vocabulary, int32_t code) { return TermXmlName(vocabulary, static_cast<uint32_t>(code)); }

// A name not in the table reads as code 0 (*_UNDEFINED), as the engine always did.
int32_t FromXmlName(Vocabulary vocabulary, const std::string& name) {
  return static_cast<int32_t>(TermFromXmlName(vocabulary, name).value_or(0));
}

namespace {

const char* YesNo(bool value) { return value ? "yes" : "no"; }

void AppendFile(std::string& out, const char* element, const FileDescriptor& f, bool withBackupType) {
  out += "<";
  out += element;
  out += " path=\"";
  AppendEscaped(out, f.path);
  out += "\" filespec=\"";
  AppendEscaped(out, f.filespec);
  out += "\"";
  // Real documents always say recursive="yes|no" on exclusions, and only "yes" on file lists.
  if (f.recursive || !withBackupType) {
    out += " recursive=\"";
    out += YesNo(f.recursive);
    out += "\"";
  }
  if (!f.alternatePath.empty()) {
    out += " alternatePath=\"";
    AppendEscaped(out, f.alternatePath);
    out += "\"";
  }
  if (withBackupType) {
    out += " filespecBackupType=\"";
    out += std::to_string(f.backupTypeMask);
    out += "\"";
  }
  out += "/>";
}

}  // namespace

std::string WriterMetadataXml(const WriterMetadata& m) {
  std::string out = "<WRITER_METADATA xmlns=\"x-schema:#VssWriterMetadataInfo\" version=\"1.2\"";
  if (m.backupSchema) out += " backupSchema=\"" + std::to_string(m.backupSchema) + "\"";
  out += "><IDENTIFICATION writerId=\"" + m.writerId.ToString() + "\" instanceId=\"" + m.instanceId.ToString() + "\"";
  if (!m.instanceName.empty()) out += " instanceName=\"" + XmlEscape(m.instanceName) + "\"";
  out += " friendlyName=\"" + XmlEscape(m.name) + "\" usage=\"" + XmlName(Vocabulary::UsageType, m.usage) + "\" dataSource=\"" +
         XmlName(Vocabulary::SourceType, m.source) + "\" majorVersion=\"" + std::to_string(m.versionMajor) + "\" minorVersion=\"" +
         std::to_string(m.versionMinor) + "\"/>";
  if (m.hasRestoreMethod) {
    const RestoreMethod& r = m.restoreMethod;
    out += "<RESTORE_METHOD method=\"" + std::string(XmlName(Vocabulary::RestoreMethod, r.method)) + "\"";
    if (!r.service.empty()) out += " service=\"" + XmlEscape(r.service) + "\"";
    if (!r.userProcedure.empty()) out += " userProcedure=\"" + XmlEscape(r.userProcedure) + "\"";
    out += " writerRestore=\"" + std::string(XmlName(Vocabulary::WriterRestore, r.writerRestore)) + "\" rebootRequired=\"" + YesNo(r.rebootRequired) + "\"";
    if (m.alternateLocationMappings.empty()) {
      out += "/>";
    } else {
      out += ">";
      for (const FileDescriptor& f : m.alternateLocationMappings) AppendFile(out, "ALTERNATE_LOCATION_MAPPING", f, false);
      out += "</RESTORE_METHOD>";
    }
  }
  out += "<BACKUP_LOCATIONS>";
  for (const FileDescriptor& f : m.includeFiles) AppendFile(out, "INCLUDE_FILES", f, true);
  for (const Component& c : m.components) {
    const bool database = c.type == 1;
    out += database ? "<DATABASE" : "<FILE_GROUP";
    if (!c.logicalPath.empty()) out += " logicalPath=\"" + XmlEscape(c.logicalPath) + "\"";
    out += " componentName=\"" + XmlEscape(c.name) + "\"";
    if (!c.caption.empty()) out += " caption=\"" + XmlEscape(c.caption) + "\"";
    out += std::string(" restoreMetadata=\"") + YesNo(c.restoreMetadata) + "\" notifyOnBackupComplete=\"" + YesNo(c.notifyOnBackupComplete) +
           "\" selectable=\"" + YesNo(c.selectable) + "\" selectableForRestore=\"" + YesNo(c.selectableForRestore) +
           "\" componentFlags=\"" + std::to_string(c.flags) + "\">";
    for (const FileDescriptor& f : c.files) AppendFile(out, "FILE_LIST", f, true);
    for (const FileDescriptor& f : c.databaseFiles) AppendFile(out, "DATABASE_FILES", f, true);
    for (const FileDescriptor& f : c.logFiles) AppendFile(out, "DATABASE_LOGFILES", f, true);
    for (const Dependency& d : c.dependencies) {
      out += "<DEPENDENCY writerId=\"" + d.writerId.ToString() + "\"";
      if (!d.logicalPath.empty()) out += " logicalPath=\"" + XmlEscape(d.logicalPath) + "\"";
      out += " componentName=\"" + XmlEscape(d.componentName) + "\"/>";
    }
    out += database ? "</DATABASE>" : "</FILE_GROUP>";
  }
  // Real documents keep both exclusion lists inside BACKUP_LOCATIONS.
  for (const FileDescriptor& f : m.excludeFiles) AppendFile(out, "EXCLUDE_FILES", f, false);
  for (const FileDescriptor& f : m.excludeFromSnapshot) AppendFile(out, "EXCLUDE_FILES_FROM_SNAPSHOT", f, false);
  out += "</BACKUP_LOCATIONS></WRITER_METADATA>";
  return out;
}

std::string BackupComponentsXml(const BackupComponentsDocument& d) {
  std::string out = "<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.2\" bootableSystemStateBackup=\"";
  out += YesNo(d.state.bootableSystemState);
  out += std::string("\" selectComponents=\"") + YesNo(d.state.selectComponents) + "\" backupType=\"" + XmlName(Vocabulary::BackupType, d.state.backupType) +
         "\" partialFileSupport=\"" + YesNo(d.state.partialFileSupport) + "\"";
  if (!d.snapshotSetId.IsNull()) out += " snapshotSetId=\"" + d.snapshotSetId.ToString() + "\"";
  if (d.restoreType) out += std::string(" restoreType=\"") + XmlName(Vocabulary::RestoreType, d.restoreType) + "\"";
  out += ">";
  for (const WriterComponents& w : d.writers) {
    out += "<WRITER_COMPONENTS instanceId=\"" + w.instanceId.ToString() + "\" writerId=\"" + w.writerId.ToString() + "\" backupSchema=\"0\">";
    for (const ComponentStatus& c : w.components) {
      out += "<COMPONENT";
      if (!c.logicalPath.empty()) out += " logicalPath=\"" + XmlEscape(c.logicalPath) + "\"";
      out += " componentName=\"" + XmlEscape(c.name) + "\" componentType=\"" + XmlName(Vocabulary::ComponentType, c.componentType == 1 ? 1 : 2) + "\"";
      out += std::string(" backupSucceeded=\"") + YesNo(c.backupSucceeded) + "\"";
      if (!c.backupStamp.empty()) out += " backupStamp=\"" + XmlEscape(c.backupStamp) + "\"";
      if (!c.previousBackupStamp.empty()) out += " previousBackupStamp=\"" + XmlEscape(c.previousBackupStamp) + "\"";
      if (!c.backupOptions.empty()) out += " backupOptions=\"" + XmlEscape(c.backupOptions) + "\"";
      if (c.selectedForRestore) out += " selectedForRestore=\"yes\"";
      if (c.additionalRestores) out += " additionalRestores=\"yes\"";
      if (!c.restoreOptions.empty()) out += " restoreOptions=\"" + XmlEscape(c.restoreOptions) + "\"";
      if (c.fileRestoreStatus) out += " fileRestoreStatus=\"" + std::to_string(c.fileRestoreStatus) + "\"";
      // The restore-time choices of IVssBackupComponentsEx2 and AddNewTarget. Attribute names are
      // the engine's own (no captured document holds them): read back by ParseBackupComponentsXml.
      if (c.authoritativeRestore) out += " authoritativeRestore=\"yes\"";
      if (!c.restoreName.empty()) out += " restoreName=\"" + XmlEscape(c.restoreName) + "\"";
      if (c.rollForwardType) out += std::string(" rollForwardType=\"") + XmlName(Vocabulary::RollForwardType, c.rollForwardType) + "\"";
      if (!c.rollForwardPoint.empty()) out += " rollForwardPoint=\"" + XmlEscape(c.rollForwardPoint) + "\"";
      // What the writer set while handling an event (IVssComponent, IVssComponentEx).
      if (!c.prepareForBackupFailureMsg.empty()) out += " prepareForBackupFailureMsg=\"" + XmlEscape(c.prepareForBackupFailureMsg) + "\"";
      if (!c.postSnapshotFailureMsg.empty()) out += " postSnapshotFailureMsg=\"" + XmlEscape(c.postSnapshotFailureMsg) + "\"";
      if (!c.preRestoreFailureMsg.empty()) out += " preRestoreFailureMsg=\"" + XmlEscape(c.preRestoreFailureMsg) + "\"";
      if (!c.postRestoreFailureMsg.empty()) out += " postRestoreFailureMsg=\"" + XmlEscape(c.postRestoreFailureMsg) + "\"";
      if (c.restoreTarget) out += std::string(" restoreTarget=\"") + XmlName(Vocabulary::RestoreTarget, c.restoreTarget) + "\"";
      if (c.newTargets.empty() && c.alternateLocationMappings.empty() && c.partialFiles.empty() && c.restoreSubcomponents.empty() &&
          c.backupMetadata.empty() && c.restoreMetadata.empty() && c.directedTargets.empty() && c.differencedFiles.empty() && !c.failure.set) {
        out += "/>";
        continue;
      }
      out += ">";
      // Child element and attribute names as the document reader (core/xml_documents.cpp) knows them.
      auto target = [&](const char* element, const FileDescriptor& t) {
        out += std::string("<") + element + " path=\"" + XmlEscape(t.path) + "\" filespec=\"" + XmlEscape(t.filespec) + "\" recursive=\"" +
               YesNo(t.recursive) + "\" alternatePath=\"" + XmlEscape(t.alternatePath) + "\"/>";
      };
      if (!c.backupMetadata.empty()) out += "<BACKUP_METADATA metadata=\"" + XmlEscape(c.backupMetadata) + "\"/>";
      if (!c.restoreMetadata.empty()) out += "<RESTORE_METADATA metadata=\"" + XmlEscape(c.restoreMetadata) + "\"/>";
      for (const FileDescriptor& t : c.alternateLocationMappings) target("ALTERNATE_LOCATION_MAPPING", t);
      for (const FileDescriptor& t : c.newTargets) target("RESTORE_TARGET", t);
      for (const PartialFile& p : c.partialFiles)
        out += "<PARTIAL_FILE path=\"" + XmlEscape(p.path) + "\" filespec=\"" + XmlEscape(p.filespec) + "\" ranges=\"" + XmlEscape(p.ranges) +
               "\" metadata=\"" + XmlEscape(p.metadata) + "\"/>";
      for (const DirectedTarget& t : c.directedTargets)
        out += "<DIRECTED_TARGET sourcePath=\"" + XmlEscape(t.sourcePath) + "\" sourceFilespec=\"" + XmlEscape(t.sourceFilespec) + "\" sourceRanges=\"" +
               XmlEscape(t.sourceRanges) + "\" targetPath=\"" + XmlEscape(t.targetPath) + "\" targetFilespec=\"" + XmlEscape(t.targetFilespec) +
               "\" targetRanges=\"" + XmlEscape(t.targetRanges) + "\"/>";
      for (const DifferencedFile& f : c.differencedFiles) {
        out += "<DIFFERENCED_FILE path=\"" + XmlEscape(f.path) + "\" filespec=\"" + XmlEscape(f.filespec) + "\" recursive=\"" + YesNo(f.recursive) + "\"";
        if (f.hasTime)
          out += " lastModifyTimeLow=\"" + std::to_string(f.lastModifyTime & 0xffffffffu) + "\" lastModifyTimeHigh=\"" + std::to_string(f.lastModifyTime >> 32) + "\"";
        if (!f.lastModifyLsn.empty()) out += " lastModifyLSN=\"" + XmlEscape(f.lastModifyLsn) + "\"";
        out += "/>";
      }
      // IVssComponentEx2::SetFailure: the element is the engine's own (inferred; no captured document holds one).
      if (c.failure.set)
        out += "<FAILURE hr=\"" + std::to_string(c.failure.hr) + "\" applicationError=\"" + std::to_string(c.failure.applicationError) + "\" message=\"" +
               XmlEscape(c.failure.message) + "\"/>";
      for (const RestoreSubcomponent& r : c.restoreSubcomponents)
        out += "<RESTORE_SUBCOMPONENT logicalPath=\"" + XmlEscape(r.logicalPath) + "\" componentName=\"" + XmlEscape(r.componentName) +
               "\" repair=\"" + YesNo(r.repair) + "\"/>";
      out += "</COMPONENT>";
    }
    out += "</WRITER_COMPONENTS>";
  }
  // Attribute names as core/xml_documents.cpp reads them (no captured document holds a description).
  if (d.snapshotSet) {
    const SnapshotSetDescription& set = *d.snapshotSet;
    out += "<SNAPSHOT_SET_DESCRIPTION snapshotSetId=\"" + set.snapshotSetId.ToString() + "\" context=\"" +
           std::to_string(static_cast<uint32_t>(set.context)) + "\">";
    for (const SnapshotProperties& p : set.snapshots)
      out += "<SNAPSHOT_DESCRIPTION snapshotId=\"" + p.snapshotId.ToString() + "\" providerId=\"" + p.providerId.ToString() + "\" timestamp=\"" +
             std::to_string(p.creationTimestamp) + "\" attributes=\"" + std::to_string(static_cast<uint32_t>(p.snapshotAttributes)) +
             "\" originatingMachine=\"" + XmlEscape(p.originatingMachine) + "\" originalVolumeName=\"" + XmlEscape(p.originalVolumeName) +
             "\" serviceMachine=\"" + XmlEscape(p.serviceMachine) + "\" deviceName=\"" + XmlEscape(p.snapshotDeviceObject) + "\"/>";
    out += "</SNAPSHOT_SET_DESCRIPTION>";
  }
  out += "</BACKUP_COMPONENTS>";
  return out;
}

// Both documents are read by the project's one XML reader (core/xml_documents.h), the
// one lib/metadata's parseWriterMetadata and parseBackupComponentsDocument use through the
// addon: a document the library refuses, the engine refuses with the same words.
WriterMetadata ParseWriterMetadataXml(const std::string& xml, const char* operation) {
  try {
    return xml::ReadWriterMetadata(xml, xml::XmlOrigin::Bytes).ToWriterMetadata();
  } catch (const xml::XmlError& e) {
    throw VssException(hr::kVssInvalidXmlDocument, operation, e.what());
  }
}

BackupComponentsDocument ParseBackupComponentsXml(const std::string& xml, const char* operation) {
  xml::BackupComponentsRecord record;
  try {
    record = xml::ReadBackupComponents(xml, xml::XmlOrigin::Bytes);
  } catch (const xml::XmlError& e) {
    throw VssException(hr::kVssInvalidXmlDocument, operation, e.what());
  }
  BackupComponentsDocument document;
  document.state.bootableSystemState = record.bootableSystemState;
  document.state.selectComponents = record.selectComponents;
  document.state.partialFileSupport = record.partialFileSupport;
  document.state.backupType = record.backupTypeCode;
  if (record.snapshotSetId) document.snapshotSetId = *record.snapshotSetId;
  document.restoreType = record.restoreTypeCode;
  document.snapshotSet = record.snapshotSet;
  for (const xml::ComponentsOfWriter& w : record.writers) {
    WriterComponents writer;
    writer.instanceId = w.instanceId;
    writer.writerId = w.writerId;
    for (const xml::ComponentRecord& c : w.components) {
      ComponentStatus status;
      status.componentType = c.typeCode == 1 ? 1 : 2;
      status.logicalPath = c.logicalPath;
      status.name = c.name;
      status.backupSucceeded = c.backupSucceeded.value_or(false);
      status.backupStamp = c.backupStamp;
      status.previousBackupStamp = c.previousBackupStamp;
      status.backupOptions = c.backupOptions;
      status.restoreOptions = c.restoreOptions;
      status.selectedForRestore = c.selectedForRestore;
      status.additionalRestores = c.additionalRestores;
      status.fileRestoreStatus = c.fileRestoreStatusCode;
      status.authoritativeRestore = c.authoritativeRestore;
      status.restoreName = c.restoreName;
      status.rollForwardType = c.rollForwardTypeCode;
      status.rollForwardPoint = c.rollForwardPoint;
      status.newTargets = c.newTargets;
      status.alternateLocationMappings = c.alternateLocationMappings;
      status.partialFiles = c.partialFiles;
      status.restoreSubcomponents = c.restoreSubcomponents;
      status.backupMetadata = c.backupMetadata.value_or("");
      status.prepareForBackupFailureMsg = c.prepareForBackupFailureMessage;
      status.postSnapshotFailureMsg = c.postSnapshotFailureMessage;
      status.preRestoreFailureMsg = c.preRestoreFailureMessage;
      status.postRestoreFailureMsg = c.postRestoreFailureMessage;
      status.restoreMetadata = c.restoreMetadata.value_or("");
      status.restoreTarget = FromXmlName(Vocabulary::RestoreTarget, c.restoreTarget);
      status.directedTargets = c.directedTargets;
      status.differencedFiles = c.differencedFiles;
      status.failure = c.failure;
      writer.components.push_back(std::move(status));
    }
    document.writers.push_back(std::move(writer));
  }
  return document;
}

}  // namespace sim
}  // namespace vss

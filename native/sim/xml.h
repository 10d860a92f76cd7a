// The XML documents VSS writes, in the shape real VSS writes them: the writer
// metadata document (IVssExamineWriterMetadata::SaveAsXML) and the Backup
// Components Document (IVssBackupComponents::SaveAsXML), and reading both back.
// Microsoft calls the format proprietary; the shapes follow real documents captured
// from Windows Server.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "../core/types.h"
#include "../core/vocabulary.h"

namespace vss {
namespace sim {

std::string WriterMetadataXml(const WriterMetadata& metadata);
// Reads a writer metadata document back (scenario writers given as "metadataXml") with the
// project's one XML reader (core/xml_documents.h). Throws
// VssException(VSS_E_INVALID_XML_DOCUMENT, operation) with the reader's message.
WriterMetadata ParseWriterMetadataXml(const std::string& xml, const char* operation);

// What a Backup Components Document records.
struct BackupComponentsDocument {
  BackupState state;
  Guid snapshotSetId;
  int32_t restoreType = 0;  // SetRestoreState (VSS_RESTORE_TYPE); written only when set
  std::vector<WriterComponents> writers;
  std::optional<SnapshotSetDescription> snapshotSet;  // a transportable set (SNAPSHOT_SET_DESCRIPTION)
};

std::string BackupComponentsXml(const BackupComponentsDocument& document);
// Throws VssException(VSS_E_INVALID_XML_DOCUMENT, operation) with the reader's message.
BackupComponentsDocument ParseBackupComponentsXml(const std::string& xml, const char* operation);

std::string XmlEscape(const std::string& text);

// The name XML documents give an enumeration value, and back (an unknown name reads 0).
const char* XmlName(Vocabulary vocabulary, int32_t code);
int32_t FromXmlName(Vocabulary vocabulary, const std::string& name);

}  // namespace sim
}  // namespace vss

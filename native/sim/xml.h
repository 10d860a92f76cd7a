// The XML documents VSS writes, in the shape real VSS writes them: the writer
// metadata document (IVssExamineWriterMetadata::SaveAsXML) and the Backup
// Components Document (IVssBackupComponents::SaveAsXML), and a reader for the
// latter (InitializeForRestore). Microsoft calls the format proprietary; the
// shapes follow real documents captured from Windows Server.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "../core/types.h"
#include "../core/vocabulary.h"

namespace vss {
namespace sim {

std::string WriterMetadataXml(const WriterMetadata& metadata);
// Reads a writer metadata document back (scenario writers given as "metadataXml").
// Throws VssException(VSS_E_INVALID_XML_DOCUMENT, operation) for a document it cannot read.
WriterMetadata ParseWriterMetadataXml(const std::string& xml, const char* operation);

// What a Backup Components Document records.
struct BackupComponentsDocument {
  BackupState state;
  Guid snapshotSetId;
  int32_t restoreType = 0;  // SetRestoreState (VSS_RESTORE_TYPE); written only when set
  std::vector<WriterComponents> writers;
};

std::string BackupComponentsXml(const BackupComponentsDocument& document);
// Throws VssException(VSS_E_INVALID_XML_DOCUMENT) for a document it cannot read.
BackupComponentsDocument ParseBackupComponentsXml(const std::string& xml, const char* operation);

// A small, strict XML element reader: elements and attributes only (text is
// skipped), entities limited to the five predefined ones and character references,
// no DOCTYPE (so no entity expansion), depth at most 64.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  int depth = 0;
};
// Calls `onElement` for each start tag in document order; throws std::runtime_error on bad XML.
void ReadXmlElements(const std::string& xml, const std::function<void(const XmlElement&)>& onElement);

std::string XmlEscape(const std::string& text);

// The name XML documents give an enumeration value, and back (an unknown name reads 0).
const char* XmlName(Vocabulary vocabulary, int32_t code);
int32_t FromXmlName(Vocabulary vocabulary, const std::string& name);

}  // namespace sim
}  // namespace vss

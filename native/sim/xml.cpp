#include "xml.h"

#include <cstdlib>
#include <stdexcept>

#include "../core/error.h"
#include "../core/utf8.h"

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
      if (c.newTargets.empty()) {
        out += "/>";
        continue;
      }
      out += ">";
      for (const FileDescriptor& t : c.newTargets)
        out += "<RESTORE_TARGET path=\"" + XmlEscape(t.path) + "\" filespec=\"" + XmlEscape(t.filespec) + "\" recursive=\"" + YesNo(t.recursive) +
               "\" alternatePath=\"" + XmlEscape(t.alternatePath) + "\"/>";
      out += "</COMPONENT>";
    }
    out += "</WRITER_COMPONENTS>";
  }
  out += "</BACKUP_COMPONENTS>";
  return out;
}

namespace {

class XmlReader {
 public:
  XmlReader(const std::string& xml, const std::function<void(const XmlElement&)>& onElement) : xml_(xml), onElement_(onElement) {}

  void Run() {
    if (xml_.size() > (64u << 20)) Fail("document larger than 64 MiB");
    size_t start = 0;
    if (xml_.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;  // UTF-8 BOM
    pos_ = start;
    bool sawRoot = false;
    while (pos_ < xml_.size()) {
      size_t lt = xml_.find('<', pos_);
      if (lt == std::string::npos) break;
      pos_ = lt;
      if (Starts("<?")) Skip("?>");
      else if (Starts("<!--")) Skip("-->");
      else if (Starts("<![CDATA[")) Skip("]]>");
      else if (Starts("<!")) Fail("DOCTYPE and other declarations are not allowed");
      else if (Starts("</")) {
        Skip(">");
        if (--depth_ < 0) Fail("unbalanced end tag");
      } else {
        ReadStartTag();
        sawRoot = true;
      }
    }
    if (!sawRoot) Fail("no root element");
    if (depth_ != 0) Fail("unclosed element");
  }

 private:
  [[noreturn]] void Fail(const std::string& what) { throw std::runtime_error("XML error at offset " + std::to_string(pos_) + ": " + what); }
  bool Starts(const char* text) const { return xml_.compare(pos_, std::char_traits<char>::length(text), text) == 0; }
  void Skip(const char* terminator) {
    size_t end = xml_.find(terminator, pos_);
    if (end == std::string::npos) Fail(std::string("missing ") + terminator);
    pos_ = end + std::char_traits<char>::length(terminator);
  }
  static bool NameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.'; }

  std::string Unescape(const std::string& raw) {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      size_t semi = raw.find(';', i);
      if (semi == std::string::npos) Fail("unterminated entity");
      std::string entity = raw.substr(i + 1, semi - i - 1);
      if (entity == "amp") out += '&';
      else if (entity == "lt") out += '<';
      else if (entity == "gt") out += '>';
      else if (entity == "quot") out += '"';
      else if (entity == "apos") out += '\'';
      else if (!entity.empty() && entity[0] == '#') {
        long cp = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X') ? std::strtol(entity.c_str() + 2, nullptr, 16)
                                                                              : std::strtol(entity.c_str() + 1, nullptr, 10);
        if (cp <= 0 || cp > 0x10FFFF) Fail("bad character reference");
        AppendUtf8(out, static_cast<uint32_t>(cp));
      } else {
        Fail("unknown entity &" + entity + ";");
      }
      i = semi;
    }
    return out;
  }

  void ReadStartTag() {
    ++pos_;
    XmlElement element;
    while (pos_ < xml_.size() && NameChar(xml_[pos_])) element.name += xml_[pos_++];
    if (element.name.empty()) Fail("element without a name");
    for (;;) {
      while (pos_ < xml_.size() && std::isspace(static_cast<unsigned char>(xml_[pos_]))) ++pos_;
      if (pos_ >= xml_.size()) Fail("unterminated start tag");
      if (xml_[pos_] == '/' || xml_[pos_] == '>') break;
      std::string name;
      while (pos_ < xml_.size() && NameChar(xml_[pos_])) name += xml_[pos_++];
      if (name.empty() || pos_ >= xml_.size() || xml_[pos_] != '=') Fail("bad attribute in <" + element.name + ">");
      ++pos_;
      if (pos_ >= xml_.size() || (xml_[pos_] != '"' && xml_[pos_] != '\'')) Fail("unquoted attribute value");
      char quote = xml_[pos_++];
      size_t end = xml_.find(quote, pos_);
      if (end == std::string::npos) Fail("unterminated attribute value");
      element.attributes[name] = Unescape(xml_.substr(pos_, end - pos_));
      pos_ = end + 1;
    }
    element.depth = depth_;
    bool selfClosing = xml_[pos_] == '/';
    if (selfClosing) {
      if (pos_ + 1 >= xml_.size() || xml_[pos_ + 1] != '>') Fail("bad empty-element tag");
      pos_ += 2;
    } else {
      ++pos_;
      if (++depth_ > 64) Fail("nested deeper than 64 levels");
    }
    onElement_(element);
  }

  const std::string& xml_;
  const std::function<void(const XmlElement&)>& onElement_;
  size_t pos_ = 0;
  int depth_ = 0;
};

bool AttrYes(const XmlElement& e, const char* name) {
  auto it = e.attributes.find(name);
  return it != e.attributes.end() && it->second == "yes";
}

std::string Attr(const XmlElement& e, const char* name) {
  auto it = e.attributes.find(name);
  return it == e.attributes.end() ? std::string() : it->second;
}

}  // namespace

void ReadXmlElements(const std::string& xml, const std::function<void(const XmlElement&)>& onElement) {
  XmlReader(xml, onElement).Run();
}

namespace {

FileDescriptor FileFrom(const XmlElement& e) {
  FileDescriptor f;
  f.path = Attr(e, "path");
  f.filespec = Attr(e, "filespec");
  f.recursive = AttrYes(e, "recursive");
  f.alternatePath = Attr(e, "alternatePath");
  const std::string mask = Attr(e, "filespecBackupType");
  f.backupTypeMask = mask.empty() ? 3855 : static_cast<uint32_t>(std::strtoul(mask.c_str(), nullptr, 10));
  return f;
}

Guid RequiredGuid(const XmlElement& e, const char* name) {
  auto guid = Guid::Parse(Attr(e, name));
  if (!guid) throw std::runtime_error(std::string("<") + e.name + "> has no valid " + name);
  return *guid;
}

}  // namespace

WriterMetadata ParseWriterMetadataXml(const std::string& xml, const char* operation) {
  WriterMetadata m;
  bool sawRoot = false, sawIdentity = false;
  Component* component = nullptr;  // the FILE_GROUP or DATABASE being read
  int componentDepth = -1;
  try {
    ReadXmlElements(xml, [&](const XmlElement& e) {
      if (component && e.depth <= componentDepth) component = nullptr;
      if (e.name == "WRITER_METADATA") {
        if (e.depth != 0) throw std::runtime_error("WRITER_METADATA is not the root");
        sawRoot = true;
        m.backupSchema = static_cast<uint32_t>(std::strtoul(Attr(e, "backupSchema").c_str(), nullptr, 10));
      } else if (!sawRoot) {
        throw std::runtime_error("not a writer metadata document (no WRITER_METADATA root)");
      } else if (e.name == "IDENTIFICATION") {
        sawIdentity = true;
        m.writerId = RequiredGuid(e, "writerId");
        m.instanceId = RequiredGuid(e, "instanceId");
        m.instanceName = Attr(e, "instanceName");
        m.name = Attr(e, "friendlyName");
        m.usage = FromXmlName(Vocabulary::UsageType, Attr(e, "usage"));
        m.source = FromXmlName(Vocabulary::SourceType, Attr(e, "dataSource"));
        m.versionMajor = static_cast<uint32_t>(std::strtoul(Attr(e, "majorVersion").c_str(), nullptr, 10));
        m.versionMinor = static_cast<uint32_t>(std::strtoul(Attr(e, "minorVersion").c_str(), nullptr, 10));
      } else if (e.name == "RESTORE_METHOD") {
        m.hasRestoreMethod = true;
        m.restoreMethod.method = FromXmlName(Vocabulary::RestoreMethod, Attr(e, "method"));
        m.restoreMethod.service = Attr(e, "service");
        m.restoreMethod.userProcedure = Attr(e, "userProcedure");
        m.restoreMethod.writerRestore = FromXmlName(Vocabulary::WriterRestore, Attr(e, "writerRestore"));
        m.restoreMethod.rebootRequired = AttrYes(e, "rebootRequired");
      } else if (e.name == "ALTERNATE_LOCATION_MAPPING") {
        m.alternateLocationMappings.push_back(FileFrom(e));
      } else if (e.name == "INCLUDE_FILES") {
        m.includeFiles.push_back(FileFrom(e));
      } else if (e.name == "EXCLUDE_FILES") {
        m.excludeFiles.push_back(FileFrom(e));
      } else if (e.name == "EXCLUDE_FILES_FROM_SNAPSHOT") {
        m.excludeFromSnapshot.push_back(FileFrom(e));
      } else if (e.name == "FILE_GROUP" || e.name == "DATABASE") {
        Component c;
        c.type = e.name == "DATABASE" ? 1 : 2;
        c.logicalPath = Attr(e, "logicalPath");
        c.name = Attr(e, "componentName");
        if (c.name.empty()) throw std::runtime_error("<" + e.name + "> without componentName");
        c.caption = Attr(e, "caption");
        c.restoreMetadata = AttrYes(e, "restoreMetadata");
        c.notifyOnBackupComplete = AttrYes(e, "notifyOnBackupComplete");
        c.selectable = AttrYes(e, "selectable");
        c.selectableForRestore = AttrYes(e, "selectableForRestore");
        c.flags = static_cast<uint32_t>(std::strtoul(Attr(e, "componentFlags").c_str(), nullptr, 10));
        m.components.push_back(std::move(c));
        component = &m.components.back();
        componentDepth = e.depth;
      } else if (component && e.name == "FILE_LIST") {
        component->files.push_back(FileFrom(e));
      } else if (component && e.name == "DATABASE_FILES") {
        component->databaseFiles.push_back(FileFrom(e));
      } else if (component && e.name == "DATABASE_LOGFILES") {
        component->logFiles.push_back(FileFrom(e));
      } else if (component && e.name == "DEPENDENCY") {
        Dependency d;
        d.writerId = RequiredGuid(e, "writerId");
        d.logicalPath = Attr(e, "logicalPath");
        d.componentName = Attr(e, "componentName");
        component->dependencies.push_back(std::move(d));
      }
      // Other elements (BACKUP_LOCATIONS, icons, ...) carry nothing the engine models.
    });
  } catch (const std::runtime_error& e) {
    throw VssException(hr::kVssInvalidXmlDocument, operation, e.what());
  }
  if (!sawRoot) throw VssException(hr::kVssInvalidXmlDocument, operation, "not a writer metadata document (no WRITER_METADATA root)");
  if (!sawIdentity) throw VssException(hr::kVssInvalidXmlDocument, operation, "the writer metadata document has no IDENTIFICATION");
  m.restoreMethod.mappingCount = static_cast<uint32_t>(m.alternateLocationMappings.size());
  return m;
}

BackupComponentsDocument ParseBackupComponentsXml(const std::string& xml, const char* operation) {
  BackupComponentsDocument document;
  bool sawRoot = false;
  try {
    ReadXmlElements(xml, [&](const XmlElement& e) {
      if (e.name == "BACKUP_COMPONENTS") {
        sawRoot = true;
        document.state.bootableSystemState = AttrYes(e, "bootableSystemStateBackup");
        document.state.selectComponents = AttrYes(e, "selectComponents");
        document.state.partialFileSupport = AttrYes(e, "partialFileSupport");
        document.state.backupType = FromXmlName(Vocabulary::BackupType, Attr(e, "backupType"));
        if (auto id = Guid::Parse(Attr(e, "snapshotSetId"))) document.snapshotSetId = *id;
        if (!Attr(e, "restoreType").empty()) document.restoreType = FromXmlName(Vocabulary::RestoreType, Attr(e, "restoreType"));
      } else if (e.name == "WRITER_COMPONENTS") {
        if (!sawRoot) throw std::runtime_error("WRITER_COMPONENTS outside BACKUP_COMPONENTS");
        WriterComponents w;
        auto instance = Guid::Parse(Attr(e, "instanceId"));
        auto writer = Guid::Parse(Attr(e, "writerId"));
        if (!instance || !writer) throw std::runtime_error("WRITER_COMPONENTS without valid writerId/instanceId");
        w.instanceId = *instance;
        w.writerId = *writer;
        document.writers.push_back(w);
      } else if (e.name == "COMPONENT" && !document.writers.empty()) {
        ComponentStatus c;
        c.name = Attr(e, "componentName");
        if (c.name.empty()) throw std::runtime_error("COMPONENT without componentName");
        c.logicalPath = Attr(e, "logicalPath");
        c.componentType = FromXmlName(Vocabulary::ComponentType, Attr(e, "componentType")) == 1 ? 1 : 2;
        c.backupSucceeded = AttrYes(e, "backupSucceeded");
        c.backupStamp = Attr(e, "backupStamp");
        c.previousBackupStamp = Attr(e, "previousBackupStamp");
        c.backupOptions = Attr(e, "backupOptions");
        c.restoreOptions = Attr(e, "restoreOptions");
        c.selectedForRestore = AttrYes(e, "selectedForRestore");
        c.additionalRestores = AttrYes(e, "additionalRestores");
        c.fileRestoreStatus = static_cast<int32_t>(std::strtol(Attr(e, "fileRestoreStatus").c_str(), nullptr, 10));
        c.authoritativeRestore = AttrYes(e, "authoritativeRestore");
        c.restoreName = Attr(e, "restoreName");
        if (!Attr(e, "rollForwardType").empty()) c.rollForwardType = FromXmlName(Vocabulary::RollForwardType, Attr(e, "rollForwardType"));
        c.rollForwardPoint = Attr(e, "rollForwardPoint");
        document.writers.back().components.push_back(c);
      } else if (e.name == "RESTORE_TARGET" && !document.writers.empty() && !document.writers.back().components.empty()) {
        FileDescriptor t;
        t.path = Attr(e, "path");
        t.filespec = Attr(e, "filespec");
        t.recursive = AttrYes(e, "recursive");
        t.alternatePath = Attr(e, "alternatePath");
        document.writers.back().components.back().newTargets.push_back(t);
      }
    });
  } catch (const std::runtime_error& e) {
    throw VssException(hr::kVssInvalidXmlDocument, operation, e.what());
  }
  if (!sawRoot) throw VssException(hr::kVssInvalidXmlDocument, operation, "not a Backup Components Document (no BACKUP_COMPONENTS element)");
  return document;
}

}  // namespace sim
}  // namespace vss

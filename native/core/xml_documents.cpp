#include "xml_documents.h"

#include <algorithm>
#include <map>
#include <initializer_list>

#include "vocabulary.h"

namespace vss {
namespace xml {

namespace {

constexpr std::string_view kWriterMetadataNamespace = "x-schema:#VssWriterMetadataInfo";
constexpr std::string_view kBackupComponentsNamespace = "x-schema:#VssComponentMetadata";
// VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED: what VSS assumes when a file list gives no mask.
constexpr uint32_t kDefaultBackupTypeMask = 0xf0f;

using Names = std::initializer_list<std::string_view>;

bool IsTrimmable(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0d); }
std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsTrimmable(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && IsTrimmable(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}
bool AllDigits(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
// How an enumeration name is compared: upper case, '-' as '_' (ASCII letters only).
std::string EnumerationKey(std::string_view s) {
  std::string key(s);
  for (char& c : key) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    else if (c == '-') c = '_';
  }
  return key;
}

// The XML names of one enumeration, keyed as EnumerationKey makes them, in table order.
struct XmlCodes {
  std::vector<std::pair<std::string, uint32_t>> entries;
  explicit XmlCodes(Vocabulary vocabulary) {
    for (const Term& t : AllTerms()) {
      if (t.vocabulary != vocabulary || !*t.xmlName) continue;
      std::string key = EnumerationKey(t.xmlName);
      auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
      if (it == entries.end()) entries.emplace_back(std::move(key), t.code);
      else it->second = t.code;
    }
  }
};
// Every vocabulary's XML names, built once (thread-safe static initialisation); a vocabulary
// with no terms gets an empty list, so a lookup refuses every name instead of using another table.
const XmlCodes& Codes(Vocabulary vocabulary) {
  static const std::map<Vocabulary, XmlCodes> all = [] {
    std::map<Vocabulary, XmlCodes> codes;
    for (const Term& t : AllTerms()) codes.try_emplace(t.vocabulary, t.vocabulary);
    return codes;
  }();
  static const XmlCodes none(static_cast<Vocabulary>(-1));
  auto it = all.find(vocabulary);
  return it == all.end() ? none : it->second;
}

// Walks one document: typed reads of attributes, and a record of everything not recognised.
class DocumentReader {
 public:
  explicit DocumentReader(const XmlDocument& document) : doc(document) {}
  const XmlDocument& doc;
  std::vector<Unrecognized> unrecognized;

  const XmlElement& At(int32_t index) const { return doc.elements[static_cast<size_t>(index)]; }
  int Line(const XmlElement& e) const { return doc.Line(e.offset); }

  [[noreturn]] void Fail(const XmlElement& e, const std::string& path, const std::string& problem, std::string_view attribute = {}) const {
    int line = 0, column = 0;
    doc.Locate(e.offset, line, column);
    throw XmlError(XmlErrorCode::Invalid, problem, path, std::string(attribute), line, column);
  }

  static bool Known(std::string_view name, Names known) { return std::find(known.begin(), known.end(), name) != known.end(); }

  std::vector<std::pair<std::string, std::string>> AttributesOf(const XmlElement& e, Names skip = {}) const {
    std::vector<std::pair<std::string, std::string>> result;
    for (uint32_t i = e.firstAttribute; i < e.firstAttribute + e.attributeCount; ++i) {
      const XmlAttribute& a = doc.attributes[i];
      if (!Known(a.name, skip)) result.emplace_back(std::string(a.name), std::string(doc.Value(static_cast<int32_t>(i))));
    }
    return result;
  }

  // Records the element's attributes not in `known` as unrecognised, and its text.
  void Attributes(const XmlElement& e, const std::string& path, Names known) {
    bool extra = false;
    for (uint32_t i = e.firstAttribute; i < e.firstAttribute + e.attributeCount && !extra; ++i) extra = !Known(doc.attributes[i].name, known);
    if (!extra && e.text.empty()) return;
    Unrecognized u;
    u.element = path;
    u.line = Line(e);
    u.attributes = AttributesOf(e, known);
    u.hasText = !e.text.empty();
    u.text = e.text;
    unrecognized.push_back(std::move(u));
  }

  // Records an element this reader does not know, with everything inside it.
  void UnknownElement(const XmlElement& e, const std::string& path) {
    Unrecognized u;
    u.element = path;
    u.line = Line(e);
    u.attributes = AttributesOf(e);
    u.hasText = !e.text.empty();
    u.text = e.text;
    u.unknownElement = true;
    unrecognized.push_back(std::move(u));
    for (int32_t c = e.firstChild; c >= 0; c = At(c).nextSibling) UnknownElement(At(c), path + "/" + std::string(At(c).name));
  }
  void UnknownChildren(const XmlElement& e, const std::string& path) {
    for (int32_t c = e.firstChild; c >= 0; c = At(c).nextSibling) UnknownElement(At(c), path + "/" + std::string(At(c).name));
  }

  std::optional<std::string_view> Attribute(const XmlElement& e, std::string_view name) const {
    const int32_t i = doc.Find(e, name);
    if (i < 0) return std::nullopt;
    return doc.Value(i);
  }
  std::string String(const XmlElement& e, std::string_view name) const { return std::string(Attribute(e, name).value_or(std::string_view())); }

  std::string_view Required(const XmlElement& e, const std::string& path, std::string_view name) const {
    auto value = Attribute(e, name);
    if (!value) Fail(e, path, "<" + std::string(e.name) + "> has no " + std::string(name) + " attribute", name);
    return *value;
  }

  Guid GuidOf(const XmlElement& e, const std::string& path, std::string_view name) const {
    const std::string value(Required(e, path, name));
    std::string_view text = Trim(value);
    if (!text.empty() && text.front() == '{') text.remove_prefix(1);
    if (!text.empty() && text.back() == '}') text.remove_suffix(1);
    std::optional<Guid> guid = text.size() == 36 ? Guid::Parse(std::string(text)) : std::nullopt;
    if (!guid) Fail(e, path, std::string(name) + "=\"" + value + "\" is not a GUID", name);
    return *guid;
  }

  bool Boolean(const XmlElement& e, const std::string& path, std::string_view name, bool fallback = false) const {
    auto value = Attribute(e, name);
    if (!value) return fallback;
    if (*value == "yes") return true;  // how VSS writes them: the common case first
    if (*value == "no") return false;
    std::string lower(Trim(*value));
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (lower == "yes" || lower == "true" || lower == "1") return true;
    if (lower == "no" || lower == "false" || lower == "0") return false;
    Fail(e, path, std::string(name) + "=\"" + std::string(*value) + "\" is not \"yes\" or \"no\"", name);
  }

  uint32_t Number(const XmlElement& e, const std::string& path, std::string_view name, uint32_t fallback = 0) const {
    auto value = Attribute(e, name);
    if (!value) return fallback;
    // VSS writes plain decimals; a hand-written document may add spaces or write hex.
    const std::string_view text = Trim(*value);
    uint64_t n = 0;
    bool ok = false;
    if (AllDigits(text, 1, 10)) {
      for (char c : text) n = n * 10 + static_cast<uint64_t>(c - '0');
      ok = n <= 0xffffffffull;
    } else if (text.size() >= 3 && text.size() <= 10 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      ok = true;
      for (char c : text.substr(2)) {
        const int digit = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (digit < 0) ok = false;
        n = n * 16 + static_cast<uint64_t>(digit < 0 ? 0 : digit);
      }
    }
    if (!ok) Fail(e, path, std::string(name) + "=\"" + std::string(*value) + "\" is not a 32-bit unsigned number", name);
    return static_cast<uint32_t>(n);
  }

  // An enumeration value as VSS writes it (case and '-'/'_' ignored), or its number.
  int32_t Enumeration(const XmlElement& e, const std::string& path, std::string_view name, Vocabulary vocabulary, int32_t fallback = 0) const {
    auto value = Attribute(e, name);
    if (!value) return fallback;
    const XmlCodes& codes = Codes(vocabulary);
    const std::string key = EnumerationKey(Trim(*value));
    for (const auto& entry : codes.entries)
      if (entry.first == key) return static_cast<int32_t>(entry.second);
    if (AllDigits(key, 1, 3)) {
      const uint32_t number = static_cast<uint32_t>(std::stoul(key));
      for (const auto& entry : codes.entries)
        if (entry.second == number) return static_cast<int32_t>(number);
    }
    std::string list;
    for (const auto& entry : codes.entries) list += (list.empty() ? "" : ", ") + entry.first;
    Fail(e, path, std::string(name) + "=\"" + std::string(*value) + "\" is not one of " + list, name);
  }

  // A file list entry of the element at `parent`. The System Writer's document has 19,000:
  // the entry's own path is only made when something needs it.
  FileView File(const XmlElement& e, const std::string& parent) {
    bool usual = e.text.empty() && e.firstChild < 0;
    for (uint32_t i = e.firstAttribute; i < e.firstAttribute + e.attributeCount && usual; ++i) {
      const std::string_view name = doc.attributes[i].name;
      usual = name == "path" || name == "filespec" || name == "recursive" || name == "alternatePath" || name == "filespecBackupType";
    }
    if (usual) {
      const int32_t path = doc.Find(e, "path"), filespec = doc.Find(e, "filespec"), recursive = doc.Find(e, "recursive");
      const int32_t mask = doc.Find(e, "filespecBackupType"), alternate = doc.Find(e, "alternatePath");
      const std::string_view recursiveValue = recursive < 0 ? std::string_view("no") : doc.Value(recursive);
      const std::string_view maskValue = mask < 0 ? std::string_view() : doc.Value(mask);
      if (path >= 0 && filespec >= 0 && (recursiveValue == "yes" || recursiveValue == "no") && (mask < 0 || AllDigits(maskValue, 1, 9))) {
        FileView f;
        f.path = doc.Value(path);
        f.filespec = doc.Value(filespec);
        f.recursive = recursiveValue == "yes";
        if (alternate >= 0) f.alternatePath = doc.Value(alternate);
        f.backupTypeMask = kDefaultBackupTypeMask;
        if (mask >= 0) {
          f.backupTypeMask = 0;
          for (char c : maskValue) f.backupTypeMask = f.backupTypeMask * 10 + static_cast<uint32_t>(c - '0');
        }
        return f;
      }
    }
    return FileAt(e, parent + "/" + std::string(e.name));
  }

  FileView FileAt(const XmlElement& e, const std::string& path) {
    Attributes(e, path, {"path", "filespec", "recursive", "alternatePath", "filespecBackupType"});
    UnknownChildren(e, path);
    FileView f;
    f.path = Required(e, path, "path");
    f.filespec = Required(e, path, "filespec");
    f.recursive = Boolean(e, path, "recursive");
    f.alternatePath = Attribute(e, "alternatePath").value_or(std::string_view());
    f.backupTypeMask = Number(e, path, "filespecBackupType", kDefaultBackupTypeMask);
    return f;
  }

  // Checks the root element and its namespace.
  const XmlElement& Root(std::string_view expected, std::string_view ns, XmlErrorCode code, const std::string& what) const {
    const XmlElement& root = doc.Root();
    const std::string name(root.name);
    if (root.name != expected) {
      const std::string hint = root.name == "BACKUP_COMPONENTS"
                                   ? "; it is a Backup Components Document (use parseBackupComponentsDocument)"
                                   : root.name == "WRITER_METADATA" ? "; it is a writer metadata document (use parseWriterMetadata)" : "";
      throw XmlError(code, "Not " + what + ": the root element is <" + name + ">, not <" + std::string(expected) + ">" + hint, name, "", Line(root), 0);
    }
    auto xmlns = Attribute(root, "xmlns");
    if (xmlns && *xmlns != ns)
      throw XmlError(code, "Not " + what + ": the namespace is \"" + std::string(*xmlns) + "\", not \"" + std::string(ns) + "\"", name, "xmlns",
                     Line(root), 0);
    return root;
  }

  // The one child named `name` of `parent`; more than one is an error.
  const XmlElement* Single(const XmlElement& parent, const std::string& path, std::string_view name) const {
    const XmlElement* found = nullptr;
    for (int32_t c = parent.firstChild; c >= 0; c = At(c).nextSibling) {
      if (At(c).name != name) continue;
      if (found) Fail(At(c), path + "/" + std::string(name), "<" + std::string(parent.name) + "> has more than one <" + std::string(name) + ">");
      found = &At(c);
    }
    return found;
  }
};

Component ReadComponent(DocumentReader& r, const XmlElement& e, const std::string& path, std::optional<std::string>& icon, ComponentFiles& files) {
  r.Attributes(e, path,
               {"logicalPath", "componentName", "caption", "restoreMetadata", "notifyOnBackupComplete", "selectable", "selectableForRestore",
                "componentFlags", "icon"});
  Component c;
  c.type = e.name == "DATABASE" ? 1 : 2;
  c.flags = r.Number(e, path, "componentFlags");
  c.name = r.Required(e, path, "componentName");
  c.logicalPath = r.String(e, "logicalPath");
  c.caption = r.String(e, "caption");
  c.selectable = r.Boolean(e, path, "selectable");
  c.selectableForRestore = r.Boolean(e, path, "selectableForRestore");
  c.restoreMetadata = r.Boolean(e, path, "restoreMetadata");
  c.notifyOnBackupComplete = r.Boolean(e, path, "notifyOnBackupComplete");
  if (auto value = r.Attribute(e, "icon")) icon = std::string(*value);
  size_t children = 0;
  for (int32_t i = e.firstChild; i >= 0; i = r.At(i).nextSibling) ++children;
  files.files.reserve(children);
  for (int32_t i = e.firstChild; i >= 0; i = r.At(i).nextSibling) {
    const XmlElement& child = r.At(i);
    if (child.name == "FILE_LIST") files.files.push_back(r.File(child, path));
    else if (child.name == "DATABASE_FILES") files.databaseFiles.push_back(r.File(child, path));
    else if (child.name == "DATABASE_LOGFILES") files.logFiles.push_back(r.File(child, path));
    else if (child.name == "DEPENDENCY") {
      const std::string at = path + "/" + std::string(child.name);
      r.Attributes(child, at, {"writerId", "logicalPath", "componentName"});
      r.UnknownChildren(child, at);
      Dependency d;
      d.writerId = r.GuidOf(child, at, "writerId");
      d.logicalPath = r.String(child, "logicalPath");
      d.componentName = r.Required(child, at, "componentName");
      c.dependencies.push_back(std::move(d));
    } else {
      r.UnknownElement(child, path + "/" + std::string(child.name));
    }
  }
  return c;
}

}  // namespace

FileDescriptor FileView::ToDescriptor() const {
  FileDescriptor f;
  f.path = path;
  f.filespec = filespec;
  f.recursive = recursive;
  f.alternatePath = alternatePath;
  f.backupTypeMask = backupTypeMask;
  return f;
}

WriterMetadata WriterMetadataDocument::ToWriterMetadata() const {
  auto copy = [](const std::vector<FileView>& views) {
    std::vector<FileDescriptor> files;
    files.reserve(views.size());
    for (const FileView& v : views) files.push_back(v.ToDescriptor());
    return files;
  };
  WriterMetadata m = metadata;
  m.includeFiles = copy(includeFiles);
  m.excludeFiles = copy(excludeFiles);
  m.excludeFromSnapshot = copy(excludeFromSnapshot);
  m.alternateLocationMappings = copy(alternateLocationMappings);
  for (size_t i = 0; i < m.components.size() && i < componentFiles.size(); ++i) {
    m.components[i].files = copy(componentFiles[i].files);
    m.components[i].databaseFiles = copy(componentFiles[i].databaseFiles);
    m.components[i].logFiles = copy(componentFiles[i].logFiles);
  }
  return m;
}

bool WriterMetadataDocument::PackFiles(PackedFileLists& out) const {
  if (!vss::PackFiles(includeFiles, out.includeFiles) || !vss::PackFiles(excludeFiles, out.excludeFiles) ||
      !vss::PackFiles(excludeFromSnapshot, out.excludeFromSnapshot) ||
      !vss::PackFiles(alternateLocationMappings, out.alternateLocationMappings))
    return false;
  out.components.resize(metadata.components.size());
  for (size_t i = 0; i < out.components.size(); ++i) {
    if (i >= componentFiles.size()) continue;  // as ToWriterMetadata: a component without lists has empty ones
    PackedFileLists::OfComponent& c = out.components[i];
    if (!vss::PackFiles(componentFiles[i].files, c.files) || !vss::PackFiles(componentFiles[i].databaseFiles, c.databaseFiles) ||
        !vss::PackFiles(componentFiles[i].logFiles, c.logFiles))
      return false;
  }
  return true;
}

WriterMetadataDocument ReadWriterMetadata(std::string_view xml, XmlOrigin origin, XmlDocument* scratch) {
  WriterMetadataDocument result;
  if (!scratch) result.ownDocument = std::make_unique<XmlDocument>();
  XmlDocument& document = scratch ? *scratch : *result.ownDocument;
  ReadXml(xml, origin, document);
  DocumentReader r(document);
  const XmlElement& root =
      r.Root("WRITER_METADATA", kWriterMetadataNamespace, XmlErrorCode::NotWriterMetadata, "a writer metadata document");
  const std::string rootPath(root.name);
  r.Attributes(root, rootPath, {"xmlns", "version", "backupSchema"});
  WriterMetadata& m = result.metadata;
  m.backupSchema = r.Number(root, rootPath, "backupSchema");

  const XmlElement* identification = r.Single(root, rootPath, "IDENTIFICATION");
  if (!identification)
    throw XmlError(XmlErrorCode::Invalid, "The writer metadata document has no <IDENTIFICATION> element", rootPath, "", r.Line(root), 0);
  const std::string idPath = rootPath + "/IDENTIFICATION";
  r.Attributes(*identification, idPath, {"writerId", "instanceId", "instanceName", "friendlyName", "usage", "dataSource", "majorVersion", "minorVersion"});
  r.UnknownChildren(*identification, idPath);
  m.usage = r.Enumeration(*identification, idPath, "usage", Vocabulary::UsageType);
  m.source = r.Enumeration(*identification, idPath, "dataSource", Vocabulary::SourceType);

  if (const XmlElement* restore = r.Single(root, rootPath, "RESTORE_METHOD")) {
    const std::string path = rootPath + "/RESTORE_METHOD";
    r.Attributes(*restore, path, {"method", "service", "userProcedure", "writerRestore", "rebootRequired"});
    r.Required(*restore, path, "method");
    m.hasRestoreMethod = true;
    m.restoreMethod.method = r.Enumeration(*restore, path, "method", Vocabulary::RestoreMethod);
    m.restoreMethod.writerRestore = r.Enumeration(*restore, path, "writerRestore", Vocabulary::WriterRestore);
    m.restoreMethod.service = r.String(*restore, "service");
    m.restoreMethod.userProcedure = r.String(*restore, "userProcedure");
    m.restoreMethod.rebootRequired = r.Boolean(*restore, path, "rebootRequired");
    for (int32_t i = restore->firstChild; i >= 0; i = r.At(i).nextSibling) {
      const XmlElement& child = r.At(i);
      if (child.name == "ALTERNATE_LOCATION_MAPPING") result.alternateLocationMappings.push_back(r.File(child, path));
      else r.UnknownElement(child, path + "/" + std::string(child.name));
    }
  }

  if (const XmlElement* locations = r.Single(root, rootPath, "BACKUP_LOCATIONS")) {
    const std::string path = rootPath + "/BACKUP_LOCATIONS";
    r.Attributes(*locations, path, {});
    for (int32_t i = locations->firstChild; i >= 0; i = r.At(i).nextSibling) {
      const XmlElement& child = r.At(i);
      const std::string at = path + "/" + std::string(child.name);
      if (child.name == "DATABASE" || child.name == "FILE_GROUP") {
        std::optional<std::string> icon;
        result.componentFiles.emplace_back();
        m.components.push_back(ReadComponent(r, child, at, icon, result.componentFiles.back()));
        result.icons.push_back(std::move(icon));
      } else if (child.name == "INCLUDE_FILES") {
        result.includeFiles.push_back(r.File(child, path));
      } else if (child.name == "EXCLUDE_FILES") {
        result.excludeFiles.push_back(r.File(child, path));
      } else if (child.name == "EXCLUDE_FILES_FROM_SNAPSHOT") {
        result.excludeFromSnapshot.push_back(r.File(child, path));
      } else {
        r.UnknownElement(child, at);
      }
    }
  }
  for (int32_t i = root.firstChild; i >= 0; i = r.At(i).nextSibling) {
    const XmlElement& child = r.At(i);
    if (child.name != "IDENTIFICATION" && child.name != "RESTORE_METHOD" && child.name != "BACKUP_LOCATIONS")
      r.UnknownElement(child, rootPath + "/" + std::string(child.name));
  }

  m.name = r.String(*identification, "friendlyName");
  m.writerId = r.GuidOf(*identification, idPath, "writerId");
  m.instanceId = r.GuidOf(*identification, idPath, "instanceId");
  m.instanceName = r.String(*identification, "instanceName");
  m.versionMajor = r.Number(*identification, idPath, "majorVersion");
  m.versionMinor = r.Number(*identification, idPath, "minorVersion");
  m.restoreMethod.mappingCount = static_cast<uint32_t>(result.alternateLocationMappings.size());
  result.unrecognized = std::move(r.unrecognized);
  return result;
}

namespace {

ComponentRecord ReadComponentRecord(DocumentReader& r, const XmlElement& e, const std::string& path) {
  r.Attributes(e, path,
               {"componentType", "logicalPath", "componentName", "backupSucceeded", "backupOptions", "restoreOptions", "backupStamp",
                "previousBackupStamp", "selectedForRestore", "additionalRestores", "restoreTarget", "preRestoreFailureMsg",
                "postRestoreFailureMsg", "filesRestored", "fileRestoreStatus", "authoritativeRestore", "restoreName", "rollForwardType",
                "rollForwardPoint", "prepareForBackupFailureMsg", "postSnapshotFailureMsg"});
  r.Required(e, path, "componentType");
  ComponentRecord c;
  c.typeCode = r.Enumeration(e, path, "componentType", Vocabulary::ComponentType);
  const char* statusAttribute = r.Attribute(e, "filesRestored") ? "filesRestored" : "fileRestoreStatus";
  c.fileRestoreStatusCode = r.Enumeration(e, path, statusAttribute, Vocabulary::FileRestoreStatus);
  c.name = r.Required(e, path, "componentName");
  c.logicalPath = r.String(e, "logicalPath");
  if (r.Attribute(e, "backupSucceeded")) c.backupSucceeded = r.Boolean(e, path, "backupSucceeded");
  c.backupStamp = r.String(e, "backupStamp");
  c.previousBackupStamp = r.String(e, "previousBackupStamp");
  c.backupOptions = r.String(e, "backupOptions");
  c.restoreOptions = r.String(e, "restoreOptions");
  c.selectedForRestore = r.Boolean(e, path, "selectedForRestore");
  c.additionalRestores = r.Boolean(e, path, "additionalRestores");
  c.restoreTarget = r.String(e, "restoreTarget");
  c.preRestoreFailureMessage = r.String(e, "preRestoreFailureMsg");
  c.postRestoreFailureMessage = r.String(e, "postRestoreFailureMsg");
  // IVssComponentEx's two backup-time messages: the attribute names are the engine's own, formed as
  // the restore-time ones above (no captured document holds them).
  c.prepareForBackupFailureMessage = r.String(e, "prepareForBackupFailureMsg");
  c.postSnapshotFailureMessage = r.String(e, "postSnapshotFailureMsg");
  c.authoritativeRestore = r.Boolean(e, path, "authoritativeRestore");
  c.restoreName = r.String(e, "restoreName");
  c.rollForwardTypeCode = r.Enumeration(e, path, "rollForwardType", Vocabulary::RollForwardType);
  c.rollForwardPoint = r.String(e, "rollForwardPoint");
  for (int32_t i = e.firstChild; i >= 0; i = r.At(i).nextSibling) {
    const XmlElement& child = r.At(i);
    const std::string at = path + "/" + std::string(child.name);
    auto known = [&](Names names) {
      r.Attributes(child, at, names);
      r.UnknownChildren(child, at);
    };
    if (child.name == "ALTERNATE_LOCATION_MAPPING") {
      c.alternateLocationMappings.push_back(r.File(child, path).ToDescriptor());
    } else if (child.name == "RESTORE_TARGET") {
      c.newTargets.push_back(r.File(child, path).ToDescriptor());
    } else if (child.name == "BACKUP_METADATA" || child.name == "RESTORE_METADATA") {
      known({"metadata"});
      (child.name == "BACKUP_METADATA" ? c.backupMetadata : c.restoreMetadata) = r.String(child, "metadata");
    } else if (child.name == "PARTIAL_FILE") {
      known({"path", "filespec", "ranges", "metadata"});
      PartialFile p;
      p.path = r.Required(child, at, "path");
      p.filespec = r.Required(child, at, "filespec");
      p.ranges = r.String(child, "ranges");
      p.metadata = r.String(child, "metadata");
      c.partialFiles.push_back(std::move(p));
    } else if (child.name == "DIRECTED_TARGET") {
      known({"path", "filespec", "sourcePath", "sourceFilespec", "sourceRanges", "targetPath", "targetFilespec", "targetRanges"});
      DirectedTarget d;
      auto source = r.Attribute(child, "sourcePath");
      d.sourcePath = source ? std::string(*source) : r.String(child, "path");
      auto spec = r.Attribute(child, "sourceFilespec");
      d.sourceFilespec = spec ? std::string(*spec) : r.String(child, "filespec");
      d.sourceRanges = r.String(child, "sourceRanges");
      d.targetPath = r.String(child, "targetPath");
      d.targetFilespec = r.String(child, "targetFilespec");
      d.targetRanges = r.String(child, "targetRanges");
      c.directedTargets.push_back(std::move(d));
    } else if (child.name == "FAILURE") {
      known({"hr", "applicationError", "message"});
      c.failure.set = true;
      c.failure.hr = r.Number(child, at, "hr");
      c.failure.applicationError = r.Number(child, at, "applicationError");
      c.failure.message = r.String(child, "message");
    } else if (child.name == "RESTORE_SUBCOMPONENT") {
      known({"logicalPath", "componentName", "repair"});
      RestoreSubcomponent s;
      s.logicalPath = r.String(child, "logicalPath");
      s.componentName = r.Required(child, at, "componentName");
      s.repair = r.Boolean(child, at, "repair");
      c.restoreSubcomponents.push_back(std::move(s));
    } else if (child.name == "DIFFERENCED_FILE") {
      known({"path", "filespec", "recursive", "lastModifyTimeLow", "lastModifyTimeHigh", "lastModifyLSN"});
      DifferencedFile d;
      d.path = r.Required(child, at, "path");
      d.filespec = r.Required(child, at, "filespec");
      d.recursive = r.Boolean(child, at, "recursive");
      d.hasTime = r.Attribute(child, "lastModifyTimeLow") || r.Attribute(child, "lastModifyTimeHigh");
      if (d.hasTime) {
        const uint64_t high = r.Number(child, at, "lastModifyTimeHigh");
        d.lastModifyTime = (high << 32) | r.Number(child, at, "lastModifyTimeLow");
      }
      d.lastModifyLsn = r.String(child, "lastModifyLSN");
      c.differencedFiles.push_back(std::move(d));
    } else {
      r.UnknownElement(child, at);
    }
  }
  return c;
}

// A 64-bit decimal attribute (a FILETIME); Number() reads 32 bits.
int64_t Decimal64(const DocumentReader& r, const XmlElement& e, const std::string& path, std::string_view name) {
  const std::string text(r.Required(e, path, name));
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    r.Fail(e, path, "<" + std::string(e.name) + "> " + std::string(name) + " is not a decimal number", name);
  return static_cast<int64_t>(std::stoull(text));
}

// SNAPSHOT_SET_DESCRIPTION and its SNAPSHOT_DESCRIPTION children. No captured document holds one:
// the attribute names follow the getters of IVssSnapshotSetDescription (GetSnapshotSetId, GetContext)
// and IVssSnapshotDescription (GetSnapshotId, GetProviderId, GetTimestamp, GetAttributes, GetOrigin,
// GetServiceMachine, GetDeviceName), the engine writes them (native/sim/xml.cpp) and reads them here.
SnapshotSetDescription ReadSnapshotSetDescription(DocumentReader& r, const XmlElement& e, const std::string& path) {
  r.Attributes(e, path, {"snapshotSetId", "context"});
  SnapshotSetDescription set;
  set.snapshotSetId = r.GuidOf(e, path, "snapshotSetId");
  set.context = static_cast<int32_t>(r.Number(e, path, "context"));
  for (int32_t k = e.firstChild; k >= 0; k = r.At(k).nextSibling) {
    const XmlElement& s = r.At(k);
    const std::string at = path + "/" + std::string(s.name);
    if (s.name != "SNAPSHOT_DESCRIPTION") {
      r.UnknownElement(s, at);
      continue;
    }
    r.Attributes(s, at, {"snapshotId", "providerId", "timestamp", "attributes", "originatingMachine", "originalVolumeName", "serviceMachine", "deviceName"});
    SnapshotProperties p;
    p.snapshotId = r.GuidOf(s, at, "snapshotId");
    p.snapshotSetId = set.snapshotSetId;
    p.providerId = r.GuidOf(s, at, "providerId");
    p.creationTimestamp = Decimal64(r, s, at, "timestamp");
    p.snapshotAttributes = static_cast<int32_t>(r.Number(s, at, "attributes"));
    p.originatingMachine = r.String(s, "originatingMachine");
    p.originalVolumeName = std::string(r.Required(s, at, "originalVolumeName"));
    p.serviceMachine = r.String(s, "serviceMachine");
    p.snapshotDeviceObject = r.String(s, "deviceName");
    set.snapshots.push_back(std::move(p));
  }
  for (SnapshotProperties& p : set.snapshots) p.snapshotsCount = static_cast<int32_t>(set.snapshots.size());
  return set;
}

}  // namespace

BackupComponentsRecord ReadBackupComponents(std::string_view xml, XmlOrigin origin, XmlDocument* scratch) {
  XmlDocument own;
  XmlDocument& document = scratch ? *scratch : own;
  ReadXml(xml, origin, document);
  DocumentReader r(document);
  const XmlElement& root =
      r.Root("BACKUP_COMPONENTS", kBackupComponentsNamespace, XmlErrorCode::NotBackupComponents, "a Backup Components Document");
  const std::string rootPath(root.name);
  r.Attributes(root, rootPath,
               {"xmlns", "version", "bootableSystemStateBackup", "selectComponents", "backupType", "partialFileSupport", "snapshotSetId", "restoreType"});
  BackupComponentsRecord d;
  d.backupTypeCode = r.Enumeration(root, rootPath, "backupType", Vocabulary::BackupType);
  for (int32_t i = root.firstChild; i >= 0; i = r.At(i).nextSibling) {
    const XmlElement& child = r.At(i);
    const std::string path = rootPath + "/" + std::string(child.name);
    if (child.name == "SNAPSHOT_SET_DESCRIPTION" && !d.snapshotSet) {
      d.snapshotSet = ReadSnapshotSetDescription(r, child, path);
      continue;
    }
    if (child.name != "WRITER_COMPONENTS") {
      r.UnknownElement(child, path);
      continue;
    }
    r.Attributes(child, path, {"writerId", "instanceId", "instanceName", "backupSchema"});
    ComponentsOfWriter w;
    w.writerId = r.GuidOf(child, path, "writerId");
    w.instanceId = r.GuidOf(child, path, "instanceId");
    w.instanceName = r.String(child, "instanceName");
    w.backupSchema = r.Number(child, path, "backupSchema");
    for (int32_t k = child.firstChild; k >= 0; k = r.At(k).nextSibling) {
      const XmlElement& inner = r.At(k);
      const std::string at = path + "/" + std::string(inner.name);
      if (inner.name == "COMPONENT") w.components.push_back(ReadComponentRecord(r, inner, at));
      else r.UnknownElement(inner, at);
    }
    d.writers.push_back(std::move(w));
  }
  if (r.Attribute(root, "snapshotSetId")) d.snapshotSetId = r.GuidOf(root, rootPath, "snapshotSetId");
  d.bootableSystemState = r.Boolean(root, rootPath, "bootableSystemStateBackup");
  d.selectComponents = r.Boolean(root, rootPath, "selectComponents");
  d.partialFileSupport = r.Boolean(root, rootPath, "partialFileSupport");
  d.restoreType = r.String(root, "restoreType");
  if (!d.restoreType.empty()) d.restoreTypeCode = r.Enumeration(root, rootPath, "restoreType", Vocabulary::RestoreType);
  d.unrecognized = std::move(r.unrecognized);
  return d;
}

}  // namespace xml
}  // namespace vss

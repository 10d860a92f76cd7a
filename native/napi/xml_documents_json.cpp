#include "xml_documents_json.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "../core/vocabulary.h"
#include "../core/xml_documents.h"
#include "string_pieces.h"

namespace vssnapi {
namespace {

using vss::Vocabulary;

// The bytes a JSON string cannot hold as they are: '"', '\\' and control characters.
struct EscapeTable {
  bool table[256] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) table[c] = true;
    table[static_cast<unsigned char>('"')] = true;
    table[static_cast<unsigned char>('\\')] = true;
  }
  constexpr bool operator[](unsigned char c) const { return table[c]; }
};
constexpr EscapeTable kEscape{};

// A JSON text written into one growing buffer: the System Writer's document makes 2.7 MB
// of it, mostly Windows paths whose backslashes all need escaping.
class Json {
 public:
  // Writes into `buffer` (its size is the capacity used; a caller may keep it between calls).
  explicit Json(std::string& buffer) : buffer_(buffer) {
    if (buffer_.size() < (1u << 16)) buffer_.resize(1u << 16);
  }
  void Reserve(size_t bytes) { Ensure(bytes); }
  std::string_view Text() const { return std::string_view(buffer_.data(), length_); }
  size_t Length() const { return length_; }
  void Truncate(size_t length) { length_ = length; }
  // The next value starts a new text: no comma before it.
  void Restart() { first_ = true; }
  // A value already written as JSON text elsewhere.
  void RawValue(std::string_view json) { Put(json.data(), json.size()); }

  void Key(const char* key) {
    Separate();
    const size_t n = std::strlen(key);
    Ensure(n + 3);
    char* p = &buffer_[length_];
    *p++ = '"';
    std::memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    length_ += n + 3;
    first_ = true;  // the value follows without a comma
  }
  void Str(std::string_view s) {
    Separate();
    Ensure(6 * s.size() + 2);
    char* p = &buffer_[length_];
    char* const begin = p;
    *p++ = '"';
    const char* q = s.data();
    const char* const end = q + s.size();
    while (q < end) {
      // A run that needs no escaping, copied at once.
      const char* run = q;
      while (q < end && !kEscape[static_cast<unsigned char>(*q)]) ++q;
      std::memcpy(p, run, static_cast<size_t>(q - run));
      p += q - run;
      if (q == end) break;
      const unsigned char c = static_cast<unsigned char>(*q++);
      *p++ = '\\';
      switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\t': *p++ = 't'; break;
        default: {
          static const char kHex[] = "0123456789abcdef";
          *p++ = 'u';
          *p++ = '0';
          *p++ = '0';
          *p++ = kHex[c >> 4];
          *p++ = kHex[c & 15];
        }
      }
    }
    *p++ = '"';
    length_ += static_cast<size_t>(p - begin);
  }
  void Num(uint64_t n) {
    char digits[24];
    char* end = digits + sizeof digits;
    char* p = end;
    do {
      *--p = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n);
    Put(p, static_cast<size_t>(end - p));
  }
  void Int(int64_t n) {
    if (n >= 0) return Num(static_cast<uint64_t>(n));
    Put("-", 1);
    first_ = true;
    Num(static_cast<uint64_t>(-(n + 1)) + 1);
  }
  // A key's colon after a key written with Str (attribute names are not C strings).
  void Raw(char c) {
    Ensure(1);
    buffer_[length_++] = c;
    first_ = true;
  }
  void Bool(bool b) { b ? Put("true", 4) : Put("false", 5); }
  void Null() { Put("null", 4); }
  void Open(char c) {
    Put(&c, 1);
    first_ = true;
  }
  void Close(char c) {
    Ensure(1);
    buffer_[length_++] = c;
    first_ = false;
  }

 private:
  std::string& buffer_;
  size_t length_ = 0;

  bool first_ = true;

  void Ensure(size_t more) {
    if (length_ + more > buffer_.size()) buffer_.resize(std::max(buffer_.size() * 2, length_ + more));
  }
  void Put(const char* text, size_t n) {
    Separate();
    Ensure(n);
    std::memcpy(&buffer_[length_], text, n);
    length_ += n;
  }
  void Separate() {
    if (!first_) {
      Ensure(1);
      buffer_[length_++] = ',';
    }
    first_ = false;
  }
};

const char* Name(Vocabulary vocabulary, int32_t code) {
  const char* name = vss::TermName(vocabulary, static_cast<uint32_t>(code));
  return name ? name : "unknown";
}

template <typename FileT>
void File(Json& j, const FileT& f) {
  j.Open('{');
  j.Key("path"), j.Str(f.path);
  j.Key("filespec"), j.Str(f.filespec);
  j.Key("recursive"), j.Bool(f.recursive);
  j.Key("alternatePath");
  if (std::string_view(f.alternatePath).empty()) j.Null();
  else j.Str(f.alternatePath);
  j.Key("backupTypeMask"), j.Num(f.backupTypeMask);
  j.Close('}');
}

template <typename FileT>
void Files(Json& j, const char* key, const std::vector<FileT>& files) {
  j.Key(key);
  j.Open('[');
  for (const auto& f : files) File(j, f);
  j.Close(']');
}

// A large document's file lists, taken out of the main text and written as pieces of whole
// files, each piece a JSON array of its own of about kStringPieceBytes (string_pieces.h): V8
// then builds every string it parses from in its young generation, where one text of a
// System Writer's 2.7 MB took a large-object page of fresh memory per call (BENCHMARKS.md,
// "parseWriterMetadata in pieces"). The files of all lists follow one another in the pieces
// (a piece may end one list and begin the next, so that ten lists of 100 files do not make
// ten small strings); the main text holds null where a list was taken out, and `places`
// says in order where each goes and how many files it has: [[key or index..., key, files], ...].
// A document whose files fit one piece keeps them in the main text (one string, as before).
class ListPieces {
 public:
  ListPieces(std::string& pieces, std::string& places) : pieces_(pieces), places_(places) { places_.Open('['); }

  // Whether lists are taken out: decided once per document, before its first list.
  void Split(bool split) { split_ = split; }

  // `path` is the JSON text of the keys and indexes that lead to the list's object, each
  // followed by a comma ('' for the top level, "\"components\",3," for a component).
  template <typename FileT>
  void Files(Json& j, std::string_view path, const char* key, const std::vector<FileT>& files) {
    j.Key(key);
    if (!split_ || files.empty()) {
      j.Open('[');
      for (const auto& f : files) File(j, f);
      j.Close(']');
      return;
    }
    for (const auto& f : files) {
      if (!open_) {
        pieces_.Restart();
        pieces_.Open('[');
        open_ = true;
      } else if (pieces_.Length() - pieceStart_ >= kStringPieceBytes) {
        Cut();
        pieces_.Restart();
        pieces_.Open('[');
      }
      File(pieces_, f);
    }
    j.Null();
    places_.Open('[');
    if (!path.empty()) places_.RawValue(path.substr(0, path.size() - 1));
    places_.Str(key);
    places_.Num(files.size());
    places_.Close(']');
  }

  void Finish() {
    if (open_) Cut();
    open_ = false;
    places_.Close(']');
  }
  size_t Count() const { return ends_.size(); }
  std::string_view Places() const { return places_.Text(); }
  // Piece i's JSON text.
  std::string_view Piece(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return pieces_.Text().substr(begin, ends_[i] - begin);
  }

 private:
  Json pieces_;
  Json places_;
  std::vector<size_t> ends_;  // where each piece ends in pieces_
  size_t pieceStart_ = 0;
  bool open_ = false;
  bool split_ = false;

  void Cut() {
    pieces_.Close(']');
    ends_.push_back(pieces_.Length());
    pieceStart_ = pieces_.Length();
  }
};

void Unrecognized(Json& j, const std::vector<vss::xml::Unrecognized>& list) {
  if (list.empty()) return;
  j.Key("unrecognized");
  j.Open('[');
  for (const auto& u : list) {
    j.Open('{');
    j.Key("element"), j.Str(u.element);
    j.Key("line"), j.Int(u.line);
    j.Key("attributes");
    j.Open('{');
    for (const auto& [name, value] : u.attributes) j.Key(name.c_str()), j.Str(value);
    j.Close('}');
    if (u.hasText) j.Key("text"), j.Str(u.text);
    j.Key("unknownElement"), j.Bool(u.unknownElement);
    j.Close('}');
  }
  j.Close(']');
}


void WriterMetadataJson(const vss::xml::WriterMetadataDocument& document, Json& j, ListPieces& lists) {
  const vss::WriterMetadata& m = document.metadata;
  size_t files = document.includeFiles.size() + document.excludeFiles.size() + document.excludeFromSnapshot.size() +
                 document.alternateLocationMappings.size();
  for (const auto& c : document.componentFiles) files += c.files.size() + c.databaseFiles.size() + c.logFiles.size();
  // About 100-160 bytes of JSON per file (a System Writer file: 140).
  const bool split = files * 100 > kStringPieceBytes;
  lists.Split(split);
  j.Reserve(4096 + 512 * m.components.size() + (split ? 0 : files * 160));
  j.Open('{');
  j.Key("name"), j.Str(m.name);
  j.Key("writerId"), j.Str(m.writerId.ToString());
  j.Key("instanceId"), j.Str(m.instanceId.ToString());
  j.Key("instanceName"), j.Str(m.instanceName);
  j.Key("usage"), j.Str(Name(Vocabulary::UsageType, m.usage));
  j.Key("usageCode"), j.Int(m.usage);
  j.Key("source"), j.Str(Name(Vocabulary::SourceType, m.source));
  j.Key("sourceCode"), j.Int(m.source);
  j.Key("version");
  j.Open('{');
  j.Key("major"), j.Num(m.versionMajor);
  j.Key("minor"), j.Num(m.versionMinor);
  j.Close('}');
  j.Key("backupSchema"), j.Num(m.backupSchema);
  j.Key("restoreMethod");
  if (!m.hasRestoreMethod) {
    j.Null();
  } else {
    const vss::RestoreMethod& r = m.restoreMethod;
    j.Open('{');
    j.Key("method"), j.Str(Name(Vocabulary::RestoreMethod, r.method));
    j.Key("methodCode"), j.Int(r.method);
    j.Key("service"), j.Str(r.service);
    j.Key("userProcedure"), j.Str(r.userProcedure);
    j.Key("writerRestore"), j.Str(Name(Vocabulary::WriterRestore, r.writerRestore));
    j.Key("writerRestoreCode"), j.Int(r.writerRestore);
    j.Key("rebootRequired"), j.Bool(r.rebootRequired);
    j.Close('}');
  }
  j.Key("components");
  j.Open('[');
  for (size_t i = 0; i < m.components.size(); ++i) {
    const vss::Component& c = m.components[i];
    j.Open('{');
    j.Key("name"), j.Str(c.name);
    j.Key("logicalPath"), j.Str(c.logicalPath);
    j.Key("caption"), j.Str(c.caption);
    j.Key("type"), j.Str(Name(Vocabulary::ComponentType, c.type));
    j.Key("typeCode"), j.Int(c.type);
    j.Key("selectable"), j.Bool(c.selectable);
    j.Key("selectableForRestore"), j.Bool(c.selectableForRestore);
    j.Key("restoreMetadata"), j.Bool(c.restoreMetadata);
    j.Key("notifyOnBackupComplete"), j.Bool(c.notifyOnBackupComplete);
    j.Key("flags"), j.Num(c.flags);
    j.Key("flagNames");
    j.Open('[');
    for (const vss::Term& t : vss::AllTerms())
      if (t.vocabulary == Vocabulary::ComponentFlag && (c.flags & t.code) == t.code) j.Str(t.name);
    j.Close(']');
    const vss::xml::ComponentFiles& files = document.componentFiles[i];
    char path[48];
    const int pathLength = std::snprintf(path, sizeof path, "\"components\",%zu,", i);
    const std::string_view componentPath(path, static_cast<size_t>(pathLength));
    lists.Files(j, componentPath, "files", files.files);
    lists.Files(j, componentPath, "databaseFiles", files.databaseFiles);
    lists.Files(j, componentPath, "logFiles", files.logFiles);
    j.Key("dependencies");
    j.Open('[');
    for (const auto& d : c.dependencies) {
      j.Open('{');
      j.Key("writerId"), j.Str(d.writerId.ToString());
      j.Key("logicalPath"), j.Str(d.logicalPath);
      j.Key("componentName"), j.Str(d.componentName);
      j.Close('}');
    }
    j.Close(']');
    if (i < document.icons.size() && document.icons[i]) j.Key("icon"), j.Str(*document.icons[i]);
    j.Close('}');
  }
  j.Close(']');
  lists.Files(j, "", "includeFiles", document.includeFiles);
  lists.Files(j, "", "excludeFiles", document.excludeFiles);
  lists.Files(j, "", "excludeFromSnapshot", document.excludeFromSnapshot);
  lists.Files(j, "", "alternateLocationMappings", document.alternateLocationMappings);
  j.Key("xml"), j.Null();
  Unrecognized(j, document.unrecognized);
  j.Close('}');
}

void BackupComponentsJson(const vss::xml::BackupComponentsRecord& d, Json& j) {
  j.Open('{');
  j.Key("snapshotSetId");
  if (d.snapshotSetId) j.Str(d.snapshotSetId->ToString());
  else j.Null();
  j.Key("bootableSystemState"), j.Bool(d.bootableSystemState);
  j.Key("selectComponents"), j.Bool(d.selectComponents);
  j.Key("backupType"), j.Str(Name(Vocabulary::BackupType, d.backupTypeCode));
  j.Key("backupTypeCode"), j.Int(d.backupTypeCode);
  j.Key("partialFileSupport"), j.Bool(d.partialFileSupport);
  j.Key("restoreType"), j.Str(d.restoreType);
  j.Key("writers");
  j.Open('[');
  for (const auto& w : d.writers) {
    j.Open('{');
    j.Key("writerId"), j.Str(w.writerId.ToString());
    j.Key("instanceId"), j.Str(w.instanceId.ToString());
    j.Key("instanceName"), j.Str(w.instanceName);
    j.Key("backupSchema"), j.Num(w.backupSchema);
    j.Key("components");
    j.Open('[');
    for (const auto& c : w.components) {
      j.Open('{');
      j.Key("name"), j.Str(c.name);
      j.Key("logicalPath"), j.Str(c.logicalPath);
      j.Key("type"), j.Str(Name(Vocabulary::ComponentType, c.typeCode));
      j.Key("typeCode"), j.Int(c.typeCode);
      j.Key("backupSucceeded");
      if (c.backupSucceeded) j.Bool(*c.backupSucceeded);
      else j.Null();
      j.Key("backupStamp"), j.Str(c.backupStamp);
      j.Key("previousBackupStamp"), j.Str(c.previousBackupStamp);
      j.Key("backupOptions"), j.Str(c.backupOptions);
      j.Key("restoreOptions"), j.Str(c.restoreOptions);
      j.Key("selectedForRestore"), j.Bool(c.selectedForRestore);
      j.Key("additionalRestores"), j.Bool(c.additionalRestores);
      j.Key("restoreTarget"), j.Str(c.restoreTarget);
      j.Key("preRestoreFailureMessage"), j.Str(c.preRestoreFailureMessage);
      j.Key("postRestoreFailureMessage"), j.Str(c.postRestoreFailureMessage);
      j.Key("prepareForBackupFailureMessage"), j.Str(c.prepareForBackupFailureMessage);
      j.Key("postSnapshotFailureMessage"), j.Str(c.postSnapshotFailureMessage);
      // IVssComponentEx2::GetFailure; HRESULTs as numbers, named by lib/metadata/parse.ts.
      j.Key("failure");
      if (c.failure.set) {
        j.Open('{');
        j.Key("hr"), j.Int(c.failure.hr);
        j.Key("applicationError"), j.Int(c.failure.applicationError);
        j.Key("message"), j.Str(c.failure.message);
        j.Close('}');
      } else {
        j.Null();
      }
      j.Key("fileRestoreStatus"), j.Str(Name(Vocabulary::FileRestoreStatus, c.fileRestoreStatusCode));
      j.Key("fileRestoreStatusCode"), j.Int(c.fileRestoreStatusCode);
      j.Key("backupMetadata");
      if (c.backupMetadata) j.Str(*c.backupMetadata);
      else j.Null();
      j.Key("restoreMetadata");
      if (c.restoreMetadata) j.Str(*c.restoreMetadata);
      else j.Null();
      Files(j, "alternateLocationMappings", c.alternateLocationMappings);
      Files(j, "newTargets", c.newTargets);
      j.Key("partialFiles");
      j.Open('[');
      for (const auto& p : c.partialFiles) {
        j.Open('{');
        j.Key("path"), j.Str(p.path);
        j.Key("filespec"), j.Str(p.filespec);
        j.Key("ranges"), j.Str(p.ranges);
        j.Key("metadata"), j.Str(p.metadata);
        j.Close('}');
      }
      j.Close(']');
      j.Key("directedTargets");
      j.Open('[');
      for (const auto& t : c.directedTargets) {
        j.Open('{');
        j.Key("sourcePath"), j.Str(t.sourcePath);
        j.Key("sourceFilespec"), j.Str(t.sourceFilespec);
        j.Key("sourceRanges"), j.Str(t.sourceRanges);
        j.Key("targetPath"), j.Str(t.targetPath);
        j.Key("targetFilespec"), j.Str(t.targetFilespec);
        j.Key("targetRanges"), j.Str(t.targetRanges);
        j.Close('}');
      }
      j.Close(']');
      j.Key("restoreSubcomponents");
      j.Open('[');
      for (const auto& s : c.restoreSubcomponents) {
        j.Open('{');
        j.Key("logicalPath"), j.Str(s.logicalPath);
        j.Key("componentName"), j.Str(s.componentName);
        j.Key("repair"), j.Bool(s.repair);
        j.Close('}');
      }
      j.Close(']');
      j.Key("differencedFiles");
      j.Open('[');
      for (const auto& f : c.differencedFiles) {
        j.Open('{');
        j.Key("path"), j.Str(f.path);
        j.Key("filespec"), j.Str(f.filespec);
        j.Key("recursive"), j.Bool(f.recursive);
        // A FILETIME does not fit a double: as decimal text, made a BigInt by lib/metadata/parse.ts.
        j.Key("lastModifyTime");
        if (f.hasTime) j.Str(std::to_string(f.lastModifyTime));
        else j.Null();
        j.Key("lastModifyLsn"), j.Str(f.lastModifyLsn);
        j.Close('}');
      }
      j.Close(']');
      j.Close('}');
    }
    j.Close(']');
    j.Close('}');
  }
  j.Close(']');
  // SNAPSHOT_SET_DESCRIPTION: the transportable set ImportSnapshots brings in.
  j.Key("transportableSet");
  if (!d.snapshotSet) {
    j.Null();
  } else {
    j.Open('{');
    j.Key("snapshotSetId"), j.Str(d.snapshotSet->snapshotSetId.ToString());
    j.Key("contextCode"), j.Num(static_cast<uint32_t>(d.snapshotSet->context));
    j.Key("snapshots");
    j.Open('[');
    for (const vss::SnapshotProperties& p : d.snapshotSet->snapshots) {
      j.Open('{');
      j.Key("snapshotId"), j.Str(p.snapshotId.ToString());
      j.Key("providerId"), j.Str(p.providerId.ToString());
      j.Key("originalVolume"), j.Str(p.originalVolumeName);
      j.Key("originatingMachine"), j.Str(p.originatingMachine);
      j.Key("attributesCode"), j.Num(static_cast<uint32_t>(p.snapshotAttributes));
      j.Close('}');
    }
    j.Close(']');
    j.Close('}');
  }
  j.Key("xml"), j.Null();
  Unrecognized(j, d.unrecognized);
  j.Close('}');
}

// What one thread keeps between calls: the text, the element tree and the JSON buffer of
// the last document, so that reading a 2 MiB document does not map and fault in ~10 MB of
// fresh pages each time (measured: an eighth of the time). Dropped when a document made
// them larger than any real one needs.
// Any well-formed document as its element tree: {name, attributes, children, text, line}.
void ElementJson(const vss::xml::XmlDocument& doc, const vss::xml::XmlElement& e, Json& j) {
  j.Open('{');
  j.Key("name"), j.Str(e.name);
  j.Key("attributes");
  j.Open('{');
  for (uint32_t i = e.firstAttribute; i < e.firstAttribute + e.attributeCount; ++i) {
    j.Str(doc.attributes[i].name);
    j.Raw(':');
    j.Str(doc.Value(static_cast<int32_t>(i)));
  }
  j.Close('}');
  j.Key("children");
  j.Open('[');
  for (int32_t c = e.firstChild; c >= 0; c = doc.elements[static_cast<size_t>(c)].nextSibling) ElementJson(doc, doc.elements[static_cast<size_t>(c)], j);
  j.Close(']');
  j.Key("text"), j.Str(e.text);
  j.Key("line"), j.Int(doc.Line(e.offset));
  j.Close('}');
}

struct Scratch {
  std::string input;
  vss::xml::XmlDocument document;
  std::string json;
  std::string pieces;
  std::string places;
  void Trim() {
    constexpr size_t kKeep = 64u << 20;
    if (input.capacity() > kKeep || json.capacity() > kKeep || pieces.capacity() > kKeep ||
        document.attributes.capacity() > kKeep / sizeof(vss::xml::XmlAttribute)) {
      std::string().swap(input);
      std::string().swap(json);
      std::string().swap(pieces);
      std::string().swap(places);
      document = vss::xml::XmlDocument();
    }
  }
};

// JSON text as a JavaScript string: ASCII (the usual case) as Latin-1, a plain copy. (Not
// known from the document alone: a character reference can make non-ASCII text.)
napi_value JsonString(Napi::Env env, std::string_view text) {
  napi_value result;
  NAPI_THROW_IF_FAILED(env,
                       vss::xml::AsciiPrefix(text) == text.size() ? napi_create_string_latin1(env, text.data(), text.size(), &result)
                                                                   : napi_create_string_utf8(env, text.data(), text.size(), &result),
                       nullptr);
  return result;
}

}  // namespace

Napi::Value ReadXmlDocument(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !(info[1].IsString() || info[1].IsTypedArray()))
    throw Napi::TypeError::New(env, "readXmlDocument(kind, text): kind must be a string, text a string or a Uint8Array");
  const std::string kind = info[0].As<Napi::String>().Utf8Value();
  if (kind != "writer-metadata" && kind != "backup-components" && kind != "element-tree")
    throw Napi::TypeError::New(env, "readXmlDocument: kind must be 'writer-metadata', 'backup-components' or 'element-tree'");
  thread_local Scratch scratch;
  std::string_view text;
  if (info[1].IsString()) {
    size_t length = 0;
    NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf8(env, info[1], nullptr, 0, &length), Napi::Value());
    if (scratch.input.size() < length + 1) scratch.input.resize(length + 1);
    NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf8(env, info[1], &scratch.input[0], length + 1, &length), Napi::Value());
    text = std::string_view(scratch.input.data(), length);
  } else {
    Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
    text = std::string_view(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  }
  Json json(scratch.json);
  ListPieces lists(scratch.pieces, scratch.places);
  try {
    if (kind == "writer-metadata")
      WriterMetadataJson(vss::xml::ReadWriterMetadata(text, vss::xml::XmlOrigin::JsText, &scratch.document), json, lists);
    else if (kind == "backup-components")
      BackupComponentsJson(vss::xml::ReadBackupComponents(text, vss::xml::XmlOrigin::JsText, &scratch.document), json);
    else {
      vss::xml::ReadXml(text, vss::xml::XmlOrigin::JsText, scratch.document);
      ElementJson(scratch.document, scratch.document.Root(), json);
    }
  } catch (const vss::xml::XmlError& e) {
    scratch.Trim();
    Napi::Error error = Napi::Error::New(env, e.what());
    error.Set("xmlCode", vss::xml::XmlErrorCodeName(e.code));
    error.Set("problem", e.problem);
    error.Set("element", e.element.empty() ? env.Null() : Napi::String::New(env, e.element));
    error.Set("attribute", e.attribute.empty() ? env.Null() : Napi::String::New(env, e.attribute));
    error.Set("line", e.line ? Napi::Value(Napi::Number::New(env, e.line)) : env.Null());
    error.Set("column", e.column ? Napi::Value(Napi::Number::New(env, e.column)) : env.Null());
    throw error;
  }
  Napi::Array result = Napi::Array::New(env);
  result.Set(0u, Napi::Value(env, JsonString(env, json.Text())));
  lists.Finish();
  if (lists.Count() > 0) {
    result.Set(1u, Napi::Value(env, JsonString(env, lists.Places())));
    for (size_t i = 0; i < lists.Count(); ++i) result.Set(static_cast<uint32_t>(i + 2), Napi::Value(env, JsonString(env, lists.Piece(i))));
  }
  scratch.Trim();
  return result;
}

}  // namespace vssnapi

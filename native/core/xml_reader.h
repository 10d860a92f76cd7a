// The project's one XML reader: every VSS XML document (writer metadata, Backup
// Components Documents) is read by it, in the engine (scenario metadataXml,
// SetBackupState, InitializeForRestore, the emulated vssapi.dll) and in the library
// (parseWriterMetadata / parseBackupComponentsDocument through the addon), so a
// document is accepted or refused the same way everywhere.
//
// A strict well-formedness checker for the XML 1.0 that can occur without a DTD, in one
// pass over UTF-8 text, into a compact element tree: no DTDs (refused as forbidden), no
// entities beyond XML's five and character references, size, depth and attribute limits
// enforced while reading (a hostile document is refused before any tree grows),
// attribute-value normalisation, and every failure an XmlError with its line, its column
// (in UTF-16 code units, as JavaScript counts them) and the path of the element.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vss {
namespace xml {

// Why a document was refused; the names are the library's VssXmlError codes.
enum class XmlErrorCode { Malformed, Forbidden, Limit, NotWriterMetadata, NotBackupComponents, Invalid };
const char* XmlErrorCodeName(XmlErrorCode code);  // "ERR_VSS_XML_MALFORMED"

struct XmlError : std::runtime_error {
  XmlError(XmlErrorCode code, std::string problem, std::string element, std::string attribute, int line, int column);
  XmlErrorCode code;
  std::string problem;
  std::string element;  // path from the root, "WRITER_METADATA/BACKUP_LOCATIONS"; "" when none
  std::string attribute;  // "" when the problem is not one attribute's
  int line;               // 1-based; 0 when not known
  int column;             // 1-based, UTF-16 code units; 0 when not known
};

// The limits a document must keep to. The System Writer's document, the largest real one,
// is about 2 MiB with 19,000 elements and 76,000 attributes.
struct XmlLimits {
  static constexpr size_t kMaxChars = 16u << 20;  // UTF-16 code units in the document
  static constexpr int kMaxDepth = 64;
  static constexpr size_t kMaxAttributes = 64;  // on one element
  static constexpr size_t kMaxElements = 200000;
  static constexpr size_t kMaxTotalAttributes = 500000;
  static constexpr size_t kMaxRun = 1u << 20;  // characters in one tag, or one run of text
};

// Where the text came from. Bytes are checked to be UTF-8 first. Text is a JavaScript
// string as WTF-8: a lone surrogate (ED A0..ED BF) is refused where the reader meets it.
enum class XmlOrigin { Bytes, JsText };

struct XmlAttribute {
  std::string_view name;
  std::string_view raw;  // the value as written
  int32_t decoded;       // index into XmlDocument::decoded when the value needed decoding, else -1
};

struct XmlElement {
  std::string_view name;
  uint32_t firstAttribute = 0;
  uint32_t attributeCount = 0;
  int32_t firstChild = -1;
  int32_t nextSibling = -1;
  size_t offset = 0;  // of the start tag, in bytes
  std::string text;   // character data directly inside, decoded; "" when only whitespace
};

class XmlDocument {
 public:
  std::string_view source;  // after any byte-order mark
  std::vector<XmlElement> elements;  // elements[0] is the root
  std::vector<XmlAttribute> attributes;
  std::vector<std::string> decoded;

  const XmlElement& Root() const { return elements[0]; }
  // The index of the attribute `name` of `element`, or -1.
  int32_t Find(const XmlElement& element, std::string_view name) const;
  // An attribute's value, decoded.
  std::string_view Value(int32_t attribute) const {
    const XmlAttribute& a = attributes[static_cast<size_t>(attribute)];
    return a.decoded >= 0 ? std::string_view(decoded[static_cast<size_t>(a.decoded)]) : a.raw;
  }
  // 1-based line and column (UTF-16 code units) of a byte offset.
  void Locate(size_t offset, int& line, int& column) const;
  int Line(size_t offset) const;
  // Empties the document for reading `text` into it (its vectors keep their capacity).
  void Reset(std::string_view text);

 private:
  mutable std::vector<size_t> lineStarts_;
};

// Reads a document, or throws XmlError. The root element's name is checked by the caller.
// `xml` must outlive the document (its names and values are views into it).
XmlDocument ReadXml(std::string_view xml, XmlOrigin origin);
// The same into `into`, reusing its memory: a caller that reads many documents (the addon)
// keeps one, so that a 2 MiB document does not map and fault in fresh pages every time.
void ReadXml(std::string_view xml, XmlOrigin origin, XmlDocument& into);

// Helpers shared with the readers of the documents.
size_t Utf16Length(std::string_view text);
// How many bytes at the start of `text` are ASCII.
size_t AsciiPrefix(std::string_view text);
// The formatted message of an error: "problem (<ELEMENT>, attribute a, line 3, column 7)".
std::string XmlErrorMessage(const std::string& problem, const std::string& element, const std::string& attribute, int line, int column);

}  // namespace xml
}  // namespace vss

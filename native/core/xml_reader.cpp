#include "xml_reader.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "utf8.h"

namespace vss {
namespace xml {

const char* XmlErrorCodeName(XmlErrorCode code) {
  switch (code) {
    case XmlErrorCode::Malformed: return "ERR_VSS_XML_MALFORMED";
    case XmlErrorCode::Forbidden: return "ERR_VSS_XML_FORBIDDEN";
    case XmlErrorCode::Limit: return "ERR_VSS_XML_LIMIT";
    case XmlErrorCode::NotWriterMetadata: return "ERR_VSS_XML_NOT_WRITER_METADATA";
    case XmlErrorCode::NotBackupComponents: return "ERR_VSS_XML_NOT_BACKUP_COMPONENTS";
    case XmlErrorCode::Invalid: return "ERR_VSS_XML_INVALID";
  }
  return "ERR_VSS_XML_INVALID";
}

// As lib/metadata/errors.ts formats a VssXmlError's message.
std::string XmlErrorMessage(const std::string& problem, const std::string& element, const std::string& attribute, int line, int column) {
  std::string place;
  auto add = [&](const std::string& part) {
    if (!place.empty()) place += ", ";
    place += part;
  };
  if (!element.empty()) add("<" + element.substr(element.rfind('/') == std::string::npos ? 0 : element.rfind('/') + 1) + ">");
  if (!attribute.empty()) add("attribute " + attribute);
  if (line) add("line " + std::to_string(line) + (column ? ", column " + std::to_string(column) : std::string()));
  return place.empty() ? problem : problem + " (" + place + ")";
}

XmlError::XmlError(XmlErrorCode code_, std::string problem_, std::string element_, std::string attribute_, int line_, int column_)
    : std::runtime_error(XmlErrorMessage(problem_, element_, attribute_, line_, column_)),
      code(code_),
      problem(std::move(problem_)),
      element(std::move(element_)),
      attribute(std::move(attribute_)),
      line(line_),
      column(column_) {}

// UTF-16 code units of UTF-8 (or WTF-8) text: one per code point, two for those over U+FFFF.
size_t AsciiPrefix(std::string_view text) {
  size_t i = 0;
  // Eight bytes at a time: most documents are all ASCII.
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i;
}

size_t Utf16Length(std::string_view text) {
  size_t units = AsciiPrefix(text);
  for (unsigned char c : text.substr(units)) {
    if ((c & 0xC0) != 0x80) ++units;
    if (c >= 0xF0) ++units;
  }
  return units;
}

int32_t XmlDocument::Find(const XmlElement& element, std::string_view name) const {
  const uint32_t end = element.firstAttribute + element.attributeCount;
  for (uint32_t i = element.firstAttribute; i < end; ++i)
    if (attributes[i].name == name) return static_cast<int32_t>(i);
  return -1;
}

int XmlDocument::Line(size_t offset) const {
  if (lineStarts_.empty()) {
    lineStarts_.push_back(0);
    for (size_t i = source.find('\n'); i != std::string_view::npos; i = source.find('\n', i + 1)) lineStarts_.push_back(i + 1);
  }
  size_t low = 0, high = lineStarts_.size() - 1;
  while (low < high) {
    const size_t mid = (low + high + 1) / 2;
    if (lineStarts_[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return static_cast<int>(low + 1);
}

void XmlDocument::Locate(size_t offset, int& line, int& column) const {
  if (offset > source.size()) offset = source.size();
  line = Line(offset);
  const size_t start = lineStarts_[static_cast<size_t>(line - 1)];
  column = static_cast<int>(Utf16Length(source.substr(start, offset - start)) + 1);
}

namespace {

// XML 1.0 (fifth edition) NameStartChar (bit 1) and NameChar (bit 2) over the BMP;
// surrogates count as both (a pair stands for #x10000-#xEFFFF, which names allow).
constexpr uint8_t kNameStart = 1;
constexpr uint8_t kNameChar = 2;

const std::array<uint8_t, 0x10000>& NameTable() {
  static const std::array<uint8_t, 0x10000> table = [] {
    std::array<uint8_t, 0x10000> t{};
    auto start = [&](uint32_t from, uint32_t to) {
      for (uint32_t c = from; c <= to; ++c) t[c] = kNameStart | kNameChar;
    };
    auto chr = [&](uint32_t from, uint32_t to) {
      for (uint32_t c = from; c <= to; ++c) t[c] |= kNameChar;
    };
    start(0x3a, 0x3a);
    start(0x41, 0x5a);
    start(0x5f, 0x5f);
    start(0x61, 0x7a);
    start(0xc0, 0xd6);
    start(0xd8, 0xf6);
    start(0xf8, 0x2ff);
    start(0x370, 0x37d);
    start(0x37f, 0x1fff);
    start(0x200c, 0x200d);
    start(0x2070, 0x218f);
    start(0x2c00, 0x2fef);
    start(0x3001, 0xd7ff);
    start(0xd800, 0xdfff);
    start(0xf900, 0xfdcf);
    start(0xfdf0, 0xfffd);
    chr(0x2d, 0x2e);
    chr(0x30, 0x39);
    chr(0xb7, 0xb7);
    chr(0x300, 0x36f);
    chr(0x203f, 0x2040);
    return t;
  }();
  return table;
}

// The code point at `pos` of valid UTF-8 or WTF-8, and its length in bytes.
inline uint32_t DecodeAt(std::string_view s, size_t pos, size_t& length) {
  const unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) {
    length = 1;
    return c;
  }
  auto cont = [&](size_t i) -> uint32_t { return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) & 0x3Fu : 0u; };
  if (c < 0xE0) {
    length = 2;
    return ((c & 0x1Fu) << 6) | cont(1);
  }
  if (c < 0xF0) {
    length = 3;
    return ((c & 0x0Fu) << 12) | (cont(1) << 6) | cont(2);
  }
  length = 4;
  return ((c & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
}

bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

// Whether bytes are UTF-8 (no overlong forms or code points over U+10FFFF), surrogates allowed.
bool IsUtf8(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time: most documents are all ASCII.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) length = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) length = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) length = 4, min = 0x10000;
    else return false;
    if (i + length > n) return false;
    for (size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    size_t ignored;
    const uint32_t cp = DecodeAt(s, i, ignored);
    // A surrogate's three bytes (WTF-8, as a JavaScript string with a lone surrogate arrives
    // through a scenario's JSON) pass here: the reader refuses them where they stand, with
    // the words the library uses for the same string.
    if (cp < min || cp > 0x10FFFF) return false;
    i += length;
  }
  return true;
}

// What JavaScript's \s matches (the XML declaration's pattern was written with it).
bool IsJsSpace(uint32_t cp) {
  return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

std::string DescribeCharacter(uint32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", c);
  return buf;
}

constexpr size_t kPrescanAbove = 4u << 20;  // UTF-16 units; the largest real document is about 2 MiB
constexpr size_t kNone = std::string_view::npos;

class Reader {
 public:
  Reader(std::string_view xml, XmlOrigin origin, XmlDocument& into) : origin_(origin), doc_(into) {
    if (xml.size() >= 3 && xml.compare(0, 3, "\xEF\xBB\xBF") == 0) xml.remove_prefix(3);
    doc_.Reset(xml);
    s_ = xml;
    n_ = xml.size();
  }

  void Run() {
    if (origin_ == XmlOrigin::Bytes && !IsUtf8(s_)) Fail(XmlErrorCode::Malformed, "The document is not valid UTF-8 or UTF-16 text", kNone, false);
    const size_t units = n_ > kPrescanAbove ? Utf16Length(s_) : n_;
    if (units > XmlLimits::kMaxChars)
      Fail(XmlErrorCode::Limit,
           "The document is " + std::to_string(units) + " characters long, more than the " + std::to_string(XmlLimits::kMaxChars) + " allowed", kNone);
    CheckDeclarations();
    if (units > kPrescanAbove) Prescan();
    doc_.elements.reserve(n_ / 96 + 4);
    doc_.attributes.reserve(n_ / 24 + 4);
    ReadAll();
  }

 private:
  std::string_view s_;
  size_t n_ = 0;
  XmlOrigin origin_;
  XmlDocument& doc_;
  std::vector<int32_t> stack_;      // open elements
  std::vector<int32_t> lastChild_;  // per element, for appending
  int32_t lastTopLevel_ = -1;
  std::string_view opening_;  // the start tag being read, so that an error in its attributes names it
  bool hasOpening_ = false;
  size_t elementCount_ = 0;
  size_t totalAttributes_ = 0;
  bool sawRoot_ = false;
  size_t nextCdataClose_ = kNone - 1;  // "not searched yet"

  std::string CurrentPath() const {
    std::string path;
    for (int32_t e : stack_) {
      if (!path.empty()) path += '/';
      path += doc_.elements[static_cast<size_t>(e)].name;
    }
    if (hasOpening_) {
      if (!path.empty()) path += '/';
      path += opening_;
    }
    return path;
  }

  [[noreturn]] void Fail(XmlErrorCode code, const std::string& problem, size_t offset, bool withElement = true) {
    int line = 0, column = 0;
    if (offset != kNone) doc_.Locate(offset, line, column);
    throw XmlError(code, problem, withElement ? CurrentPath() : std::string(), std::string(), line, column);
  }
  [[noreturn]] void Malformed(const std::string& problem, size_t offset) {
    Fail(XmlErrorCode::Malformed, "The document is not well-formed XML: " + problem, offset);
  }

  // Whether [from, to) is longer than `limit` UTF-16 units (bytes are never fewer).
  bool Longer(size_t from, size_t to, size_t limit) const { return to - from > limit && Utf16Length(s_.substr(from, to - from)) > limit; }

  uint8_t NameBits(size_t pos, size_t& length) const {
    if (pos >= n_) {
      length = 0;
      return 0;
    }
    const uint32_t cp = DecodeAt(s_, pos, length);
    return cp >= 0x10000 ? (kNameStart | kNameChar) : NameTable()[cp];
  }

  unsigned char At(size_t pos) const { return pos < n_ ? static_cast<unsigned char>(s_[pos]) : 0; }
  bool StartsAt(size_t pos, std::string_view text) const { return pos <= n_ && s_.compare(pos, text.size(), text) == 0; }

  size_t SkipSpace(size_t k) const {
    while (k < n_) {
      const char c = s_[k];
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r') break;
      ++k;
    }
    return k;
  }

  // A DTD is where entity bombs and external entities live: refused before any parsing.
  void CheckDeclarations() {
    static const char* const kKeywords[] = {"DOCTYPE", "ENTITY", "ELEMENT", "ATTLIST", "NOTATION"};
    for (size_t at = s_.find("<!"); at != kNone; at = s_.find("<!", at + 1)) {
      for (const char* keyword : kKeywords) {
        const size_t length = std::strlen(keyword);
        if (at + 2 + length > n_) continue;
        bool same = true;
        for (size_t k = 0; k < length && same; ++k) same = (s_[at + 2 + k] & ~0x20) == keyword[k];
        if (!same) continue;
        const unsigned char after = At(at + 2 + length);
        if (std::isalnum(after) || after == '_') continue;
        Fail(XmlErrorCode::Forbidden,
             "The document has a <!" + std::string(s_.substr(at + 2, length)) +
                 "> declaration; VSS documents have none, and DTDs and entity declarations are refused",
             at);
      }
    }
  }

  // A cheap pass over a document larger than any real one, so that a hostile one is refused
  // in time proportional to its length without building anything.
  void Prescan() {
    size_t elements = 0, totalAttributes = 0, from = 0;
    for (size_t lt = s_.find('<'); lt != kNone; lt = s_.find('<', from)) {
      if (Longer(from, lt, XmlLimits::kMaxRun))
        Fail(XmlErrorCode::Limit, "A run of text is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", from);
      const unsigned char next = At(lt + 1);
      std::string_view terminator = ">";
      if (next == '!') terminator = StartsAt(lt, "<!--") ? "-->" : StartsAt(lt, "<![CDATA[") ? "]]>" : ">";
      else if (next == '?') terminator = "?>";
      const size_t end = s_.find(terminator, lt + 1);
      if (end == kNone) return;  // unterminated: the reader reports where
      if (next != '!' && next != '?') {
        if (Longer(lt, end, XmlLimits::kMaxRun))
          Fail(XmlErrorCode::Limit, "A tag is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", lt);
        if (next != '/') {
          if (++elements > XmlLimits::kMaxElements)
            Fail(XmlErrorCode::Limit, "The document has more than " + std::to_string(XmlLimits::kMaxElements) + " elements", lt);
          size_t attributes = 0;
          const std::string_view tag = s_.substr(0, end);  // '=' is searched for inside this tag only
          for (size_t eq = tag.find('=', lt + 1); eq != kNone; eq = tag.find('=', eq + 1)) {
            size_t q = eq + 1;
            while (q < end && (s_[q] == ' ' || s_[q] == '\t' || s_[q] == '\n' || s_[q] == '\r')) ++q;
            if (q >= end || (s_[q] != '"' && s_[q] != '\'')) continue;
            if (++attributes > XmlLimits::kMaxAttributes)
              Fail(XmlErrorCode::Limit, "An element has more than " + std::to_string(XmlLimits::kMaxAttributes) + " attributes", lt);
            if (++totalAttributes > XmlLimits::kMaxTotalAttributes)
              Fail(XmlErrorCode::Limit, "The document has more than " + std::to_string(XmlLimits::kMaxTotalAttributes) + " attributes", lt);
          }
        }
      }
      from = end + terminator.size();
    }
    if (Longer(from, n_, XmlLimits::kMaxRun))
      Fail(XmlErrorCode::Limit, "A run of text is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", from);
  }

  // Characters of a run the tokenizer does not look at one by one (comments, PIs, CDATA).
  void CheckCharacters(size_t from, size_t to) {
    size_t surrogate = kNone;
    for (size_t k = from; k < to; ++k) {
      const unsigned char c = static_cast<unsigned char>(s_[k]);
      if (c < 0x20) {
        if (c != 0x09 && c != 0x0a && c != 0x0d) Malformed("the character " + DescribeCharacter(c) + " is not allowed in XML", k);
      } else if (c == 0xEF && At(k + 1) == 0xBF && (At(k + 2) == 0xBE || At(k + 2) == 0xBF)) {
        Malformed("the character " + DescribeCharacter(At(k + 2) == 0xBE ? 0xFFFE : 0xFFFF) + " is not allowed in XML", k);
      } else if (c == 0xED && At(k + 1) >= 0xA0 && surrogate == kNone) {
        surrogate = k;
      }
    }
    if (surrogate != kNone) Malformed("a lone surrogate is not a character", from);
  }

  // Scans character data or an attribute value for what needs more than a slice: forbidden
  // characters (an error), and '&' or a literal tab or line break (decoding needed).
  bool ScanRun(size_t from, size_t to, bool attribute) {
    bool special = false;
    size_t k = from;
    // Eight bytes at a time while none is a control character, '&', '<' or non-ASCII (SWAR:
    // a byte below 0x20, or equal to '&' or '<', sets its high bit in `flags`).
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    for (; k + 8 <= to; k += 8) {
      uint64_t word;
      std::memcpy(&word, s_.data() + k, 8);
      const uint64_t below = (word - kOnes * 0x20) & ~word;
      const uint64_t amp = word ^ (kOnes * '&'), lt = word ^ (kOnes * '<');
      const uint64_t flags = below | ((amp - kOnes) & ~amp) | ((lt - kOnes) & ~lt) | word;
      if (flags & kHigh) break;
    }
    for (; k < to; ++k) {
      const unsigned char c = static_cast<unsigned char>(s_[k]);
      if (c < 0x80) {
        if (c >= 0x20 && c != '&' && c != '<') continue;
        if (c == '&') special = true;
        else if (c == '<') Malformed(attribute ? "'<' is not allowed in an attribute value" : "unexpected '<'", k);
        else if (c == 0x09 || c == 0x0a || c == 0x0d) special = special || attribute;
        else Malformed("the character " + DescribeCharacter(c) + " is not allowed in XML", k);
        continue;
      }
      if (c == 0xED && At(k + 1) >= 0xA0) Malformed("a lone surrogate is not a character", k);
      if (c == 0xEF && At(k + 1) == 0xBF && (At(k + 2) == 0xBE || At(k + 2) == 0xBF))
        Malformed("the character " + DescribeCharacter(At(k + 2) == 0xBE ? 0xFFFE : 0xFFFF) + " is not allowed in XML", k);
      // Skip the continuation bytes.
      while (k + 1 < to && (static_cast<unsigned char>(s_[k + 1]) & 0xC0) == 0x80) ++k;
    }
    // '<' stops a run of text before it gets here, and is refused in attribute values.
    return special;
  }

  // Decodes references; `attribute` also applies attribute-value normalisation (a literal
  // tab or line break is a space; a &#10; stays a line break).
  std::string Decode(std::string_view raw, bool attribute, size_t errorAt) {
    std::string normalised;
    if (attribute && raw.find_first_of("\t\n\r") != kNone) {
      normalised.reserve(raw.size());
      for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
        normalised += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
      }
      raw = normalised;
    }
    std::string out;
    out.reserve(raw.size());
    size_t from = 0;
    for (size_t amp = raw.find('&'); amp != kNone; amp = raw.find('&', from)) {
      const size_t semi = raw.find(';', amp);
      const std::string_view name = semi == kNone ? std::string_view() : raw.substr(amp + 1, semi - amp - 1);
      bool known = false;
      std::string value;
      if (name.size() >= 2 && name[0] == '#') {
        const bool hex = name[1] == 'x';
        const std::string_view digits = name.substr(hex ? 2 : 1);
        bool ok = !digits.empty() && digits.size() <= (hex ? 6u : 7u);
        uint32_t cp = 0;
        for (char d : digits) {
          if (!ok) break;
          if (d >= '0' && d <= '9') cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d - '0');
          else if (hex && ((d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F'))) cp = cp * 16 + static_cast<uint32_t>((d | 0x20) - 'a' + 10);
          else ok = false;
        }
        if (ok) {
          if (!IsXmlChar(cp)) Malformed("character reference &" + std::string(name) + "; is not an XML character", errorAt);
          AppendUtf8(value, cp);
          known = true;
        }
      } else if (name == "amp") value = "&", known = true;
      else if (name == "lt") value = "<", known = true;
      else if (name == "gt") value = ">", known = true;
      else if (name == "quot") value = "\"", known = true;
      else if (name == "apos") value = "'", known = true;
      if (!known)
        Malformed(semi == kNone || Utf16Length(name) > 32 ? "'&' that starts no entity reference (write &amp;)" : "undefined entity &" + std::string(name) + ";",
                  errorAt);
      out.append(raw.substr(from, amp - from));
      out += value;
      from = semi + 1;
    }
    out.append(raw.substr(from));
    return out;
  }

  std::string_view Name(size_t from, const char* what) {
    size_t length;
    if (!(NameBits(from, length) & kNameStart)) Malformed(std::string(what) + " does not start with a name character", from);
    size_t end = from + length;
    while (end < n_) {
      const unsigned char c = static_cast<unsigned char>(s_[end]);
      if (c < 0x80) {
        if (!(NameTable()[c] & kNameChar)) break;
        ++end;
      } else {
        if (!(NameBits(end, length) & kNameChar)) break;
        end += length;
      }
    }
    const std::string_view name = s_.substr(from, end - from);
    // Names that could reach an object's prototype where a consumer copies attributes into one.
    if (name == "__proto__" || name == "constructor" || name == "prototype")
      Fail(XmlErrorCode::Forbidden, "The document uses a refused name: '" + std::string(name) + "'", from);
    return name;
  }

  void Text(size_t from, size_t to) {
    if (Longer(from, to, XmlLimits::kMaxRun))
      Fail(XmlErrorCode::Limit, "A run of text is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", from);
    const bool special = ScanRun(from, to, false);
    if (stack_.empty()) {
      if (SkipSpace(from) < to) Malformed("the document has text outside its root element", from);
      return;
    }
    // Where the next ']]>' stands, searched again only once passed: a pretty-printed
    // document is not searched to its end once per text run.
    if (nextCdataClose_ != kNone && (nextCdataClose_ == kNone - 1 || nextCdataClose_ < from)) nextCdataClose_ = s_.find("]]>", from);
    if (nextCdataClose_ != kNone && nextCdataClose_ + 3 <= to) Malformed("']]>' is not allowed in text", nextCdataClose_);
    XmlElement& current = doc_.elements[static_cast<size_t>(stack_.back())];
    if (SkipSpace(from) >= to && current.text.empty()) return;  // whitespace between elements
    const std::string_view raw = s_.substr(from, to - from);
    if (special) current.text += Decode(raw, false, from);
    else current.text.append(raw);
  }

  void XmlDeclaration(size_t end) {
    // <?xml version="1.x" [encoding="..."] [standalone="yes|no"] ?>, white space as JavaScript's \s.
    size_t k = 5;
    auto spaces = [&](bool required) {
      size_t count = 0;
      while (k < end) {
        size_t length;
        if (!IsJsSpace(DecodeAt(s_, k, length))) break;
        k += length;
        ++count;
      }
      return !required || count > 0;
    };
    auto literal = [&](std::string_view text) {
      if (!StartsAt(k, text)) return false;
      k += text.size();
      return true;
    };
    auto quoted = [&](auto&& body) {
      const char quote = static_cast<char>(At(k));
      if (quote != '"' && quote != '\'') return false;
      ++k;
      if (!body()) return false;
      if (At(k) != static_cast<unsigned char>(quote)) return false;
      ++k;
      return true;
    };
    auto attribute = [&](std::string_view name, auto&& body) {
      if (!literal(name)) return false;
      spaces(false);
      if (!literal("=")) return false;
      spaces(false);
      return quoted(body);
    };
    bool ok = spaces(true) && attribute("version", [&] {
      if (!literal("1.")) return false;
      const size_t digits = k;
      while (k < end && std::isdigit(At(k))) ++k;
      return k > digits;
    });
    if (ok) {
      size_t mark = k;
      if (!(spaces(true) && attribute("encoding", [&] {
            if (!std::isalpha(At(k))) return false;
            ++k;
            while (k < end && (std::isalnum(At(k)) || At(k) == '.' || At(k) == '_' || At(k) == '-')) ++k;
            return true;
          })))
        k = mark;
      mark = k;
      if (!(spaces(true) && attribute("standalone", [&] { return literal("yes") || literal("no"); }))) k = mark;
      spaces(false);
      ok = k == end;
    }
    if (!ok) Malformed("the XML declaration is not valid", 0);
  }

  void Append(int32_t index) {
    if (stack_.empty()) {
      lastTopLevel_ = index;
      return;
    }
    const int32_t parent = stack_.back();
    int32_t& last = lastChild_[static_cast<size_t>(parent)];
    if (last < 0) doc_.elements[static_cast<size_t>(parent)].firstChild = index;
    else doc_.elements[static_cast<size_t>(last)].nextSibling = index;
    last = index;
  }

  void ReadAll() {
    size_t i = 0;
    if (StartsAt(0, "<?xml")) {
      size_t length;
      if (n_ > 5 && NameBits(5, length) == 0) {
        const size_t end = s_.find("?>", 5);
        if (end == kNone) Malformed("the XML declaration is not closed", 0);
        XmlDeclaration(end);
        i = end + 2;
      }
    }
    uint64_t seen = 0;  // per element: bits of the attribute names' hashes, for the repeated-name check
    while (i < n_) {
      const size_t lt = s_.find('<', i);
      if (lt == kNone) {
        Text(i, n_);
        break;
      }
      if (lt > i) Text(i, lt);
      const unsigned char next = At(lt + 1);
      if (next == '/') {
        if (stack_.empty()) Malformed("a closing tag without an opening tag", lt);
        const std::string_view expected = doc_.elements[static_cast<size_t>(stack_.back())].name;
        size_t length;
        if (!StartsAt(lt + 2, expected) || (NameBits(lt + 2 + expected.size(), length) & kNameChar)) {
          size_t end = lt + 2;
          while (end < n_ && (NameBits(end, length) & kNameChar)) end += length;
          Malformed("the closing tag </" + std::string(s_.substr(lt + 2, end - lt - 2)) + "> does not match <" + std::string(expected) + ">", lt);
        }
        const size_t close = SkipSpace(lt + 2 + expected.size());
        if (At(close) != '>') Malformed("the closing tag </" + std::string(expected) + "> is not closed with '>'", lt);
        stack_.pop_back();
        i = close + 1;
        continue;
      }
      if (next == '!') {
        if (StartsAt(lt, "<!--")) {
          const size_t end = s_.find("--", lt + 4);
          if (end == kNone) Malformed("a comment is not closed", lt);
          if (At(end + 2) != '>') Malformed("'--' is not allowed inside a comment", end);
          CheckCharacters(lt + 4, end);
          i = end + 3;
          continue;
        }
        if (StartsAt(lt, "<![CDATA[")) {
          if (stack_.empty()) Malformed("a CDATA section outside the root element", lt);
          const size_t end = s_.find("]]>", lt + 9);
          if (end == kNone) Malformed("a CDATA section is not closed", lt);
          if (Longer(lt, end, XmlLimits::kMaxRun))
            Fail(XmlErrorCode::Limit, "A run of text is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", lt);
          CheckCharacters(lt + 9, end);
          doc_.elements[static_cast<size_t>(stack_.back())].text.append(s_.substr(lt + 9, end - lt - 9));
          i = end + 3;
          continue;
        }
        Malformed("'<!' that starts no comment or CDATA section", lt);
      }
      if (next == '?') {
        const std::string_view target = Name(lt + 2, "a processing instruction");
        if (target.size() == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' && (target[2] | 0x20) == 'l')
          Malformed("an XML declaration anywhere but at the very start", lt);
        const size_t end = s_.find("?>", lt + 2);
        if (end == kNone) Malformed("a processing instruction is not closed", lt);
        CheckCharacters(lt + 2, end);
        i = end + 2;
        continue;
      }

      // A start tag.
      if (stack_.empty() && sawRoot_) Malformed("the document has more than one root element", lt);
      if (++elementCount_ > XmlLimits::kMaxElements)
        Fail(XmlErrorCode::Limit, "The document has more than " + std::to_string(XmlLimits::kMaxElements) + " elements", lt);
      const std::string_view tagName = Name(lt + 1, "a tag");
      opening_ = tagName;
      hasOpening_ = true;
      const std::string tag = "<" + std::string(tagName) + ">";
      const uint32_t first = static_cast<uint32_t>(doc_.attributes.size());
      seen = 0;
      size_t k = lt + 1 + tagName.size();
      unsigned char c;
      for (;;) {
        const size_t space = k;
        k = SkipSpace(k);
        c = At(k);
        if (k < n_ && (c == '>' || c == '/')) break;
        if (k >= n_) Malformed("the tag " + tag + " is not closed", lt);
        if (k == space) Malformed("attributes of " + tag + " must be separated by white space", k);
        const std::string_view attributeName = Name(k, "an attribute");
        k = SkipSpace(k + attributeName.size());
        if (At(k) != '=' || k >= n_) Malformed("the attribute " + std::string(attributeName) + " of " + tag + " has no value", k);
        k = SkipSpace(k + 1);
        const unsigned char quote = At(k);
        if (k >= n_ || (quote != '"' && quote != '\''))
          Malformed("the value of the attribute " + std::string(attributeName) + " of " + tag + " is not quoted", k);
        const size_t end = s_.find(static_cast<char>(quote), k + 1);
        if (end == kNone) Malformed("the value of the attribute " + std::string(attributeName) + " of " + tag + " is not closed", k);
        if (Longer(lt, end, XmlLimits::kMaxRun))
          Fail(XmlErrorCode::Limit, "A tag is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", lt);
        uint64_t bit = 1;
        {
          uint32_t hash = 0;
          for (char ch : attributeName) hash = hash * 31 + static_cast<unsigned char>(ch);
          bit <<= (hash & 63);
        }
        if (seen & bit) {
          for (size_t a = first; a < doc_.attributes.size(); ++a)
            if (doc_.attributes[a].name == attributeName) Malformed("the attribute " + std::string(attributeName) + " of " + tag + " is repeated", k);
        }
        seen |= bit;
        if (doc_.attributes.size() - first >= XmlLimits::kMaxAttributes)
          Fail(XmlErrorCode::Limit, "An element has more than " + std::to_string(XmlLimits::kMaxAttributes) + " attributes", lt);
        if (++totalAttributes_ > XmlLimits::kMaxTotalAttributes)
          Fail(XmlErrorCode::Limit, "The document has more than " + std::to_string(XmlLimits::kMaxTotalAttributes) + " attributes", lt);
        const bool special = ScanRun(k + 1, end, true);
        int32_t decoded = -1;
        if (special) {
          doc_.decoded.push_back(Decode(s_.substr(k + 1, end - k - 1), true, k));
          decoded = static_cast<int32_t>(doc_.decoded.size() - 1);
        }
        doc_.attributes.push_back(XmlAttribute{attributeName, s_.substr(k + 1, end - k - 1), decoded});
        k = end + 1;
      }
      if (Longer(lt, k, XmlLimits::kMaxRun))
        Fail(XmlErrorCode::Limit, "A tag is longer than " + std::to_string(XmlLimits::kMaxRun) + " characters", lt);
      hasOpening_ = false;
      const int32_t index = static_cast<int32_t>(doc_.elements.size());
      doc_.elements.emplace_back();
      XmlElement& element = doc_.elements.back();
      element.name = tagName;
      element.firstAttribute = first;
      element.attributeCount = static_cast<uint32_t>(doc_.attributes.size() - first);
      element.offset = lt;
      lastChild_.push_back(-1);
      Append(index);
      if (stack_.empty()) sawRoot_ = true;
      if (c == '/') {
        if (At(k + 1) != '>') Malformed("'/' in the tag " + tag + " is not followed by '>'", k);
        i = k + 2;
      } else {
        if (stack_.size() >= static_cast<size_t>(XmlLimits::kMaxDepth))
          Fail(XmlErrorCode::Limit, "The document's elements are nested deeper than " + std::to_string(XmlLimits::kMaxDepth) + " levels", lt);
        stack_.push_back(index);
        i = k + 1;
      }
    }
    if (!stack_.empty()) {
      const XmlElement& open = doc_.elements[static_cast<size_t>(stack_.back())];
      Malformed("<" + std::string(open.name) + "> is not closed", open.offset);
    }
    if (!sawRoot_) {
      if (SkipSpace(0) >= n_) Fail(XmlErrorCode::Malformed, "The document is empty", kNone);
      Malformed("the document has no root element", 0);
    }
  }
};

}  // namespace

void ReadXml(std::string_view xml, XmlOrigin origin, XmlDocument& into) { Reader(xml, origin, into).Run(); }

XmlDocument ReadXml(std::string_view xml, XmlOrigin origin) {
  XmlDocument document;
  ReadXml(xml, origin, document);
  return document;
}

void XmlDocument::Reset(std::string_view text) {
  source = text;
  elements.clear();
  attributes.clear();
  decoded.clear();
  lineStarts_.clear();
}

}  // namespace xml
}  // namespace vss

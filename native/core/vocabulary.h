// The VSS enumerations by name: code ↔ readable name ↔ XML name, from the one
// table in vocabulary.inc (which also generates lib/vocabulary.generated.ts).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "const_text.h"

namespace vss {

enum class Vocabulary {
#define VSS_VOCABULARY(id, vssType) id,
#define VSS_TERM(id, code, name, xmlName)
#include "vocabulary.inc"
#undef VSS_VOCABULARY
#undef VSS_TERM
};

struct Term {
  Vocabulary vocabulary;
  uint32_t code;
  const char* name;     // readable: "failed-at-freeze"
  const char* xmlName;  // as XML documents spell it, "" where none does
};

// The table itself, usable in constant expressions.
inline constexpr Term kVocabulary[] = {
#define VSS_VOCABULARY(id, vssType)
#define VSS_TERM(id, code, name, xmlName) {Vocabulary::id, static_cast<uint32_t>(code), name, xmlName},
#include "vocabulary.inc"
#undef VSS_VOCABULARY
#undef VSS_TERM
};

// The code of a readable name at compile time; a name not in the table is a compile error.
constexpr uint32_t TermCode(Vocabulary vocabulary, const char* name) {
  for (const Term& t : kVocabulary)
    if (t.vocabulary == vocabulary && SameText(t.name, name)) return t.code;
  throw "name not in vocabulary.inc";
}

// Every row of vocabulary.inc, in its order.
const std::vector<Term>& AllTerms();
// "WriterState" for Vocabulary::WriterState.
const char* VocabularyName(Vocabulary vocabulary);

// The readable name of a code ("failed-at-freeze"), or nullptr when the code is not in the table.
const char* TermName(Vocabulary vocabulary, uint32_t code);
// The code of a readable name.
std::optional<uint32_t> TermFromName(Vocabulary vocabulary, const std::string& name);
// The name XML documents give a code ("BOOTABLE_SYSTEM_STATE"); the code-0 name for a code not in the table.
const char* TermXmlName(Vocabulary vocabulary, uint32_t code);
// The code of an XML name, matched exactly.
std::optional<uint32_t> TermFromXmlName(Vocabulary vocabulary, const std::string& xmlName);
// "a, b, c": the readable names, for error messages.
std::string TermNames(Vocabulary vocabulary);

}  // namespace vss

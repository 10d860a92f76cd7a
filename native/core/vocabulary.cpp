#include "vocabulary.h"

#include <iterator>

namespace vss {
namespace {

const Term* Find(Vocabulary vocabulary, uint32_t code) {
  for (const Term& t : kVocabulary)
    if (t.vocabulary == vocabulary && t.code == code) return &t;
  return nullptr;
}

}  // namespace

const std::vector<Term>& AllTerms() {
  static const std::vector<Term> terms(std::begin(kVocabulary), std::end(kVocabulary));
  return terms;
}

const char* VocabularyName(Vocabulary vocabulary) {
  switch (vocabulary) {
#define VSS_VOCABULARY(id, vssType) \
  case Vocabulary::id:              \
    return #id;
#define VSS_TERM(id, code, name, xmlName)
#include "vocabulary.inc"
#undef VSS_VOCABULARY
#undef VSS_TERM
  }
  return "";
}

const char* TermName(Vocabulary vocabulary, uint32_t code) {
  const Term* t = Find(vocabulary, code);
  return t ? t->name : nullptr;
}

std::optional<uint32_t> TermFromName(Vocabulary vocabulary, const std::string& name) {
  for (const Term& t : kVocabulary)
    if (t.vocabulary == vocabulary && name == t.name) return t.code;
  return std::nullopt;
}

const char* TermXmlName(Vocabulary vocabulary, uint32_t code) {
  const Term* t = Find(vocabulary, code);
  if (!t) t = Find(vocabulary, 0);
  return t ? t->xmlName : "";
}

std::optional<uint32_t> TermFromXmlName(Vocabulary vocabulary, const std::string& xmlName) {
  if (xmlName.empty()) return std::nullopt;
  for (const Term& t : kVocabulary)
    if (t.vocabulary == vocabulary && xmlName == t.xmlName) return t.code;
  return std::nullopt;
}

std::string TermNames(Vocabulary vocabulary) {
  std::string names;
  for (const Term& t : kVocabulary)
    if (t.vocabulary == vocabulary) names += (names.empty() ? "" : ", ") + std::string(t.name);
  return names;
}

}  // namespace vss

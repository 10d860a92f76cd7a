// The documents the one XML reader reads (core/xml_documents.h), as JSON text in the shape
// of lib/metadata/types.ts: built here in one pass and turned into objects by JSON.parse,
// the fastest way V8 has to build many small objects (BENCHMARKS.md measures it against
// building them with N-API calls).
#pragma once
#include <napi.h>

#include <string>

#include "../core/xml_documents.h"

namespace vssnapi {

// Without the `xml` field's value (written as null: the caller has the text).
std::string WriterMetadataJson(const vss::xml::WriterMetadataDocument& document);
std::string BackupComponentsJson(const vss::xml::BackupComponentsRecord& document);

// readXmlDocument(kind: 'writer-metadata' | 'backup-components', text: string | Uint8Array):
// the document as JSON text; a refused document throws an Error carrying the XmlError's
// fields (xmlCode, problem, element, attribute, line, column). A Uint8Array is a
// JavaScript string as WTF-8 (lib/metadata/parse.ts sends one only for a string holding
// a lone surrogate, which N-API's UTF-8 conversion would replace).
Napi::Value ReadXmlDocument(const Napi::CallbackInfo& info);

}  // namespace vssnapi

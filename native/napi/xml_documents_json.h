// The documents the one XML reader reads (core/xml_documents.h), as JSON text in the shape
// of lib/metadata/types.ts: built here in one pass and turned into objects by JSON.parse,
// the fastest way V8 has to build many small objects (BENCHMARKS.md measures it against
// building them with N-API calls).
#pragma once
#include <napi.h>


namespace vssnapi {

// The `xml` field is written as null: the caller has the text.
//
// readXmlDocument(kind: 'writer-metadata' | 'backup-components' | 'element-tree', text: string | Uint8Array):
// the document as JSON text ('element-tree': any well-formed document as {name, attributes,
// children, text, line}) in pieces of about 48 KiB (string_pieces.h): [main] or, when a
// writer's file list is longer than a piece, [main with that list null, places, pieces...]
// (the .cpp's ListPieces; lib/metadata/parse.ts puts them together); a refused document throws an Error carrying the XmlError's
// fields (xmlCode, problem, element, attribute, line, column). A Uint8Array is a
// JavaScript string as WTF-8 (lib/metadata/parse.ts sends one only for a string holding
// a lone surrogate, which N-API's UTF-8 conversion would replace).
Napi::Value ReadXmlDocument(const Napi::CallbackInfo& info);

}  // namespace vssnapi

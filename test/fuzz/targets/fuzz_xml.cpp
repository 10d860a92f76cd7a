// Fuzzes the project's one XML reader (native/core/xml_reader.h) and the readers of the
// two documents over it (native/core/xml_documents.h, native/sim/xml.cpp): bad XML throws
// XmlError / VssException only, and a Backup Components Document it reads writes back out
// and reads again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../../native/core/xml_documents.h"
#include "../../../native/sim/xml.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string xml(reinterpret_cast<const char*>(data), size);
  // As bytes (the engine) and as a JavaScript string's WTF-8 (the library); XmlError is a std::runtime_error.
  for (vss::xml::XmlOrigin origin : {vss::xml::XmlOrigin::Bytes, vss::xml::XmlOrigin::JsText}) {
    fuzz::ExpectOnlyDocumentedErrors("xml elements", [&] {
      vss::xml::XmlDocument doc = vss::xml::ReadXml(xml, origin);
      size_t seen = 0;
      for (const vss::xml::XmlElement& e : doc.elements) {
        for (uint32_t i = 0; i < e.attributeCount; ++i) seen += doc.Value(static_cast<int32_t>(e.firstAttribute + i)).size();
        (void)vss::sim::XmlEscape(std::string(e.name));
        int line = 0, column = 0;
        doc.Locate(e.offset, line, column);
        if (line < 1 || column < 1) std::abort();
      }
      (void)seen;
    }, true);
  }
  fuzz::ExpectOnlyDocumentedErrors("writer metadata document", [&] {
    vss::WriterMetadata m = vss::sim::ParseWriterMetadataXml(xml, "LoadScenario");
    vss::WriterMetadata reread = vss::sim::ParseWriterMetadataXml(vss::sim::WriterMetadataXml(m), "LoadScenario");
    if (reread.components.size() != m.components.size()) std::abort();  // what it writes, it must read back
  });
  fuzz::ExpectOnlyDocumentedErrors("backup components document", [&] {
    vss::sim::BackupComponentsDocument doc = vss::sim::ParseBackupComponentsXml(xml, "InitializeForRestore");
    std::string again = vss::sim::BackupComponentsXml(doc);
    vss::sim::BackupComponentsDocument reread = vss::sim::ParseBackupComponentsXml(again, "InitializeForRestore");
    if (reread.writers.size() != doc.writers.size()) std::abort();  // what it writes, it must read back
  });
  return 0;
}

// Fuzzes the XML element reader and the Backup Components Document reader
// (native/sim/xml.cpp): bad XML throws std::runtime_error / VssException only, and a
// document it reads writes back out and reads again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../../native/sim/xml.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string xml(reinterpret_cast<const char*>(data), size);
  fuzz::ExpectOnlyDocumentedErrors("xml elements", [&] {
    size_t elements = 0;
    vss::sim::ReadXmlElements(xml, [&](const vss::sim::XmlElement& e) {
      elements += e.attributes.size() + 1;
      (void)vss::sim::XmlEscape(e.name);
    });
  }, true);
  fuzz::ExpectOnlyDocumentedErrors("backup components document", [&] {
    vss::sim::BackupComponentsDocument doc = vss::sim::ParseBackupComponentsXml(xml, "InitializeForRestore");
    std::string again = vss::sim::BackupComponentsXml(doc);
    vss::sim::BackupComponentsDocument reread = vss::sim::ParseBackupComponentsXml(again, "InitializeForRestore");
    if (reread.writers.size() != doc.writers.size()) std::abort();  // what it writes, it must read back
  });
  return 0;
}

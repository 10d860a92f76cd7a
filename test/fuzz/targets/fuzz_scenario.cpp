// Fuzzes scenario loading (native/sim/scenario.cpp, behind `new SimulatedMachine`
// and Simulator.configure): any text builds a machine or throws VssException
// (E_INVALIDARG); a machine it builds describes itself and takes the same text as
// a configure() patch.
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../../native/sim/simulator.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // A volume backed by a host folder ("path") copies that folder for each shadow
  // copy: a fuzzer that found "path": "/" would copy the machine. Not a parser question.
  if (text.find("volumes") != std::string::npos && text.find("path") != std::string::npos) return 0;
  fuzz::ExpectOnlyDocumentedErrors("scenario", [&] {
    std::shared_ptr<vss::sim::Machine> machine = vss::sim::CreateMachine(text);
    (void)vss::sim::DescribeMachine(*machine);
    fuzz::ExpectOnlyDocumentedErrors("configure", [&] { vss::sim::ConfigureMachine(*machine, text); });
    (void)vss::sim::DescribeMachine(*machine);
  });
  return 0;
}

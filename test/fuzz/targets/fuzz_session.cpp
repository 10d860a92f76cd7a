// Fuzzes the engine behind the N-API session entry points that take structured
// input (native/napi/operations.cpp hands these C++ calls what convert.cpp made of
// the JS arguments): a byte-driven sequence of IVssBackupComponents calls with
// fuzzed volumes, GUIDs, contexts, components, BCDs and expose requests, on a
// simulated machine with no simulated delays. Each call either works or throws
// VssException; the machine's invariants hold when the session ends.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "../../../native/sim/machine.h"
#include "../../../native/sim/simulator.h"
#include "fuzz_common.h"

namespace {

vss::Guid FuzzGuid(FuzzedDataProvider& in, const std::vector<vss::Guid>& known) {
  if (!known.empty() && in.ConsumeBool()) return known[in.ConsumeIntegralInRange<size_t>(0, known.size() - 1)];
  vss::Guid g;
  g.data1 = in.ConsumeIntegral<uint32_t>();
  g.data2 = in.ConsumeIntegral<uint16_t>();
  g.data3 = in.ConsumeIntegral<uint16_t>();
  for (auto& b : g.data4) b = in.ConsumeIntegral<uint8_t>();
  return g;
}

std::string FuzzVolume(FuzzedDataProvider& in) {
  static const char* const names[] = {"C:\\", "c:", "D:\\", "\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\", "C:\\mnt\\x\\", ""};
  if (in.ConsumeBool()) return names[in.ConsumeIntegralInRange<size_t>(0, 5)];
  return in.ConsumeRandomLengthString(64);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::shared_ptr<vss::sim::Machine> machine = vss::sim::CreateMachine(R"({"timing":{"timeScale":0}})");
  FuzzedDataProvider in(data, size);
  std::vector<vss::Guid> known;
  {
    std::lock_guard<std::mutex> lock(machine->mutex);
    for (const auto& w : machine->writers) {
      known.push_back(w.metadata.writerId);
      known.push_back(w.metadata.instanceId);
    }
  }
  std::unique_ptr<vss::Backend> backend = vss::sim::CreateBackend(machine);
  {
    std::unique_ptr<vss::Session> s = backend->CreateSession();
    vss::AsyncControl control;
    for (int step = 0; step < 40 && in.remaining_bytes() > 0; ++step) {
      const int op = in.ConsumeIntegralInRange<int>(0, 27);
      fuzz::ExpectOnlyDocumentedErrors("session", [&] {
        vss::ComponentRef c;
        switch (op) {
          case 0: s->InitializeForBackup(std::nullopt); break;
          case 1: s->InitializeForBackup(in.ConsumeRandomLengthString(256)); break;
          case 2: s->InitializeForRestore(in.ConsumeRandomLengthString(256)); break;
          case 3: s->SetContext(in.ConsumeIntegral<int32_t>()); break;
          case 4: {
            vss::BackupState st;
            st.selectComponents = in.ConsumeBool();
            st.backupType = in.ConsumeIntegralInRange<int32_t>(-1, 8);
            s->SetBackupState(st);
            break;
          }
          case 5: s->GatherWriterMetadata(control); break;
          case 6: (void)s->GetWriterMetadata(); break;
          case 7: s->GatherWriterStatus(control); break;
          case 8: (void)s->GetWriterStatus(); break;
          case 9: s->EnableWriterClasses({FuzzGuid(in, known)}); break;
          case 10: s->DisableWriterClasses({FuzzGuid(in, known)}); break;
          case 11:
            c.writerId = FuzzGuid(in, known);
            c.instanceId = FuzzGuid(in, known);
            c.componentType = in.ConsumeIntegralInRange<int32_t>(0, 3);
            c.logicalPath = in.ConsumeRandomLengthString(32);
            c.name = in.ConsumeRandomLengthString(32);
            s->AddComponent(c);
            break;
          case 12: (void)s->StartSnapshotSet(); break;
          case 13: (void)s->IsVolumeSupported(FuzzVolume(in), FuzzGuid(in, {})); break;
          case 14: (void)s->AddToSnapshotSet(FuzzVolume(in), in.ConsumeBool() ? vss::Guid{} : FuzzGuid(in, {})); break;
          case 15: s->PrepareForBackup(control); break;
          case 16: s->DoSnapshotSet(control); break;
          case 17: s->BackupComplete(control); break;
          case 18: s->AbortBackup(); break;
          case 19: (void)s->SaveAsXml(); break;
          case 20: (void)s->QuerySnapshots(); break;
          case 21: (void)s->DeleteSnapshots(FuzzGuid(in, {}), in.ConsumeBool(), in.ConsumeBool()); break;
          case 22: {
            vss::ExposeRequest r;
            std::vector<vss::SnapshotProperties> shadows = s->QuerySnapshots();
            r.snapshotId = shadows.empty() ? FuzzGuid(in, {}) : shadows.front().snapshotId;
            r.attributes = in.ConsumeBool() ? 0x100000 : in.ConsumeIntegral<int32_t>();
            r.expose = in.ConsumeRandomLengthString(16);
            r.pathFromRoot = in.ConsumeRandomLengthString(16);
            (void)s->ExposeSnapshot(r);
            break;
          }
          case 23: s->UnexposeSnapshot(FuzzGuid(in, {})); break;
          case 24: s->BreakSnapshotSet(FuzzGuid(in, {})); break;
          case 25: (void)s->GetWriterComponents(); break;
          case 26: {
            std::string bcd = s->SaveAsXml();
            std::unique_ptr<vss::Session> restore = backend->CreateSession();
            restore->InitializeForRestore(bcd);
            break;
          }
          default: (void)s->QueryProviders(); break;
        }
      });
    }
  }
  // Every session ended: no set in progress, no session alive, nothing non-persistent left.
  std::lock_guard<std::mutex> lock(machine->mutex);
  if (machine->setCreationOwner != 0 || machine->liveSessions != 0) std::abort();
  for (const auto& shadow : machine->shadows)
    if (!shadow.persistent) std::abort();
  for (const auto& w : machine->writers)
    if (w.state >= 2 && w.state <= 5) std::abort();  // a writer left waiting
  machine->shadows.clear();  // persistent ones of earlier inputs would pile up against maxShadows
  return 0;
}

// The simulated backend: sessions over a shared simulated machine.
#include "../core/error.h"
#include "machine.h"
#include "session.h"
#include "simulator.h"

namespace vss {
namespace sim {

namespace {

class SimBackend : public Backend {
 public:
  explicit SimBackend(std::shared_ptr<Machine> machine) : machine_(std::move(machine)) {}

  std::string Name() const override { return "simulated"; }

  std::unique_ptr<Session> CreateSession() override { return std::make_unique<SimSession>(machine_); }

  std::vector<DiffArea> QueryDiffAreas() override {
    std::lock_guard<std::mutex> lock(machine_->mutex);
    std::vector<DiffArea> areas;
    for (const SimVolume& v : machine_->volumes) {
      int shadows = 0;
      for (const SimShadow& s : machine_->shadows) shadows += s.volumeName == v.name ? 1 : 0;
      // Like vssadmin, list an association only where there is one: shadows or a set maximum.
      if (shadows == 0 && v.diffAreaMaximum < 0) continue;
      DiffArea area;
      area.volumeName = v.guidName;
      area.diffAreaVolumeName = v.guidName;
      area.maximumDiffSpace = v.diffAreaMaximum;
      area.usedDiffSpace = shadows * v.diffAreaUsedPerShadow;
      area.allocatedDiffSpace = area.usedDiffSpace + (shadows ? 64LL * 1024 * 1024 : 0);
      areas.push_back(area);
    }
    return areas;
  }

 private:
  std::shared_ptr<Machine> machine_;
};

}  // namespace

std::unique_ptr<Backend> CreateBackend(std::shared_ptr<Machine> machine) {
  if (!machine) throw VssException(hr::kPointer, "CreateBackend", "no machine");
  return std::make_unique<SimBackend>(std::move(machine));
}

}  // namespace sim
}  // namespace vss

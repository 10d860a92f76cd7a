#include "session_thread.h"

#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#endif

namespace vssnapi {

#ifdef _WIN32
SessionThread::Wakeup::Wakeup() : event_(CreateEventW(nullptr, FALSE, FALSE, nullptr)) {}
SessionThread::Wakeup::~Wakeup() { CloseHandle(event_); }
void SessionThread::Wakeup::Signal() { SetEvent(event_); }
void SessionThread::Wakeup::Wait(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready) {
  // The condition is checked under the lock; a Signal between unlock and wait leaves the event set.
  while (!ready()) {
    lock.unlock();
    WaitForSingleObject(event_, INFINITE);
    lock.lock();
  }
}
bool SessionThread::Wakeup::WaitFor(std::unique_lock<std::mutex>& lock, unsigned milliseconds, const std::function<bool()>& ready) {
  const ULONGLONG deadline = GetTickCount64() + milliseconds;
  while (!ready()) {
    const ULONGLONG now = GetTickCount64();
    if (now >= deadline) return false;
    lock.unlock();
    WaitForSingleObject(event_, static_cast<DWORD>(deadline - now));
    lock.lock();
  }
  return true;
}
#else
SessionThread::Wakeup::Wakeup() = default;
SessionThread::Wakeup::~Wakeup() = default;
void SessionThread::Wakeup::Signal() { cv_.notify_one(); }
void SessionThread::Wakeup::Wait(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready) { cv_.wait(lock, ready); }
bool SessionThread::Wakeup::WaitFor(std::unique_lock<std::mutex>& lock, unsigned milliseconds, const std::function<bool()>& ready) {
  return cv_.wait_for(lock, std::chrono::milliseconds(milliseconds), ready);
}
#endif

// A finished session's thread, waiting for the next session's queue.
struct SessionThread::Idle {
  std::mutex mutex;
  Wakeup wake;
  std::shared_ptr<Queue> queue;
  std::function<void()> onExit;
  bool handed = false;
};

namespace {

// At most this many threads wait between sessions, each for this long: enough for a script's
// or a monitor's sessions one after another, nothing kept for a process that is done with VSS.
constexpr size_t kIdleThreads = 2;
constexpr unsigned kIdleMilliseconds = 5000;

struct IdleList {
  std::mutex mutex;
  std::vector<std::shared_ptr<void>> threads;  // SessionThread::Idle, newest last
};
// Never destroyed: a waiting thread may still use it while the process exits.
IdleList& Idlers() {
  static IdleList* list = new IdleList();
  return *list;
}

}  // namespace

SessionThread::SessionThread(std::function<void()> onExit) : queue_(std::make_shared<Queue>()) {
  std::shared_ptr<Idle> idle;
  {
    IdleList& list = Idlers();
    std::lock_guard<std::mutex> lock(list.mutex);
    if (!list.threads.empty()) {
      idle = std::static_pointer_cast<Idle>(list.threads.back());
      list.threads.pop_back();
    }
  }
  if (idle) {
    {
      std::lock_guard<std::mutex> lock(idle->mutex);
      idle->queue = queue_;
      idle->onExit = std::move(onExit);
      idle->handed = true;
    }
    idle->wake.Signal();
    return;
  }
  std::thread(Run, queue_, std::move(onExit)).detach();
}

SessionThread::~SessionThread() { Stop(); }

bool SessionThread::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    if (queue_->stopping) return false;
    queue_->tasks.push_back(std::move(task));
  }
  queue_->wake.Signal();
  return true;
}

void SessionThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    queue_->stopping = true;
  }
  queue_->wake.Signal();
}

void SessionThread::Run(std::shared_ptr<Queue> queue, std::function<void()> onExit) {
  for (;;) {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(queue->mutex);
        queue->wake.Wait(lock, [&] { return queue->stopping || !queue->tasks.empty(); });
        if (queue->tasks.empty()) break;  // stopping, and nothing left to do
        task = std::move(queue->tasks.front());
        queue->tasks.pop_front();
      }
      task();
    }
    queue.reset();
    // Before waiting: the session's hold on the JS thread goes now, as when the thread ended.
    if (onExit) std::exchange(onExit, nullptr)();
    auto idle = std::make_shared<Idle>();
    {
      IdleList& list = Idlers();
      std::lock_guard<std::mutex> lock(list.mutex);
      if (list.threads.size() >= kIdleThreads) return;
      list.threads.push_back(idle);
    }
    std::unique_lock<std::mutex> lock(idle->mutex);
    if (!idle->wake.WaitFor(lock, kIdleMilliseconds, [&] { return idle->handed; })) {
      lock.unlock();
      // Not handed a session in time: leave the list, unless a session took this thread
      // between the timeout and now (then it was handed one after all).
      IdleList& list = Idlers();
      std::lock_guard<std::mutex> listLock(list.mutex);
      bool listed = false;
      for (auto it = list.threads.begin(); it != list.threads.end(); ++it)
        if (it->get() == idle.get()) {
          list.threads.erase(it);
          listed = true;
          break;
        }
      if (listed) return;
      lock.lock();
      idle->wake.Wait(lock, [&] { return idle->handed; });
    }
    queue = std::move(idle->queue);
    onExit = std::move(idle->onExit);
  }
}

}  // namespace vssnapi

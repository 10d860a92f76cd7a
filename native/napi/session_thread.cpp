#include "session_thread.h"

#include <thread>

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
#else
SessionThread::Wakeup::Wakeup() = default;
SessionThread::Wakeup::~Wakeup() = default;
void SessionThread::Wakeup::Signal() { cv_.notify_one(); }
void SessionThread::Wakeup::Wait(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready) { cv_.wait(lock, ready); }
#endif

SessionThread::SessionThread(std::function<void()> onExit) : queue_(std::make_shared<Queue>()) {
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
  if (onExit) onExit();
}

}  // namespace vssnapi

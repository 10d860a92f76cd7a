#include "session_thread.h"

#include <thread>

namespace vssnapi {

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
  queue_->wake.notify_one();
  return true;
}

void SessionThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    queue_->stopping = true;
  }
  queue_->wake.notify_one();
}

void SessionThread::Run(std::shared_ptr<Queue> queue, std::function<void()> onExit) {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(queue->mutex);
      queue->wake.wait(lock, [&] { return queue->stopping || !queue->tasks.empty(); });
      if (queue->tasks.empty()) break;  // stopping, and nothing left to do
      task = std::move(queue->tasks.front());
      queue->tasks.pop_front();
    }
    task();
  }
  if (onExit) onExit();
}

}  // namespace vssnapi

// A thread of its own for one VSS session. VSS calls block for seconds to minutes
// (writers freeze, providers commit), so they must not run on the JS thread nor on
// libuv's small pool, which the backup itself needs for fs reads. COM objects must
// also be used from the apartment they were created in: one thread per session
// gives both. Tasks queued before Stop() still run. After Stop() the thread waits a while
// for the next session instead of ending at once (starting a thread costs 3-6 ms of CPU
// under Wine; BENCHMARKS.md), and ends when none comes.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace vssnapi {

class SessionThread {
 public:
  // `onExit` runs on the thread as its last act (releases its hold on the JS thread).
  explicit SessionThread(std::function<void()> onExit);
  ~SessionThread();
  SessionThread(const SessionThread&) = delete;
  SessionThread& operator=(const SessionThread&) = delete;

  // Queues a task; returns false once Stop() was called.
  bool Post(std::function<void()> task);
  // Lets the thread finish what is queued and end. Never blocks.
  void Stop();

 private:
  // How Post/Stop wake the thread. On Windows a Win32 auto-reset event: the mingw build (the one run
  // under Wine) gets std::condition_variable from winpthreads, whose wait was seen to miss a wake-up
  // and leave a finished operation's waiter blocked for good (winedbg backtrace of a stalled Wine run).
  class Wakeup {
   public:
    Wakeup();
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;
    void Signal();
    // Waits, with `lock` held on return, until `ready()` holds (checked under the lock).
    void Wait(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready);
    // The same for at most `milliseconds`; returns ready().
    bool WaitFor(std::unique_lock<std::mutex>& lock, unsigned milliseconds, const std::function<bool()>& ready);

   private:
#ifdef _WIN32
    void* event_;
#else
    std::condition_variable cv_;
#endif
  };
  struct Queue {
    std::mutex mutex;
    Wakeup wake;
    std::deque<std::function<void()>> tasks;
    bool stopping = false;
  };
  // A thread between sessions (session_thread.cpp).
  struct Idle;
  static void Run(std::shared_ptr<Queue> queue, std::function<void()> onExit);

  std::shared_ptr<Queue> queue_;
};

}  // namespace vssnapi

// RAII owner of one COM interface pointer: Release exactly once.
#pragma once
#include <unknwn.h>

#include <utility>

namespace vss {
namespace com {

template <typename T>
class ComPtr {
 public:
  ComPtr() = default;
  explicit ComPtr(T* raw) : ptr_(raw) {}  // takes ownership of one reference
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;
  ComPtr(ComPtr&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}
  ComPtr& operator=(ComPtr&& other) noexcept {
    if (this != &other) {
      Reset();
      ptr_ = std::exchange(other.ptr_, nullptr);
    }
    return *this;
  }
  ~ComPtr() { Reset(); }

  void Reset() {
    if (ptr_) std::exchange(ptr_, nullptr)->Release();
  }
  T* Get() const { return ptr_; }
  T* operator->() const { return ptr_; }
  explicit operator bool() const { return ptr_ != nullptr; }
  // For out-parameters: releases what is held, then hands out the slot.
  T** Put() {
    Reset();
    return &ptr_;
  }
  // QueryInterface for another interface; empty on E_NOINTERFACE.
  template <typename U>
  HRESULT As(REFIID iid, ComPtr<U>& out) const {
    return ptr_ ? ptr_->QueryInterface(iid, reinterpret_cast<void**>(out.Put())) : E_POINTER;
  }

 private:
  T* ptr_ = nullptr;
};

}  // namespace com
}  // namespace vss

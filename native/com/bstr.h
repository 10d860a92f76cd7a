// RAII owners for the strings VSS hands out: BSTRs (SysFreeString) and
// CoTaskMem strings (CoTaskMemFree), with UTF-8 conversion.
#pragma once
#include <windows.h>
#include <oleauto.h>

#include <string>

namespace vss {
namespace com {

std::string Utf8(const wchar_t* text);
std::wstring Wide(const std::string& utf8);

class Bstr {
 public:
  Bstr() = default;
  explicit Bstr(const std::string& utf8) : value_(SysAllocString(Wide(utf8).c_str())) {}
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  ~Bstr() { Reset(); }
  void Reset() {
    if (value_) SysFreeString(value_);
    value_ = nullptr;
  }
  BSTR Get() const { return value_; }
  BSTR* Put() {
    Reset();
    return &value_;
  }
  std::string Utf8() const { return com::Utf8(value_); }

 private:
  BSTR value_ = nullptr;
};

class CoTaskMemString {
 public:
  CoTaskMemString() = default;
  CoTaskMemString(const CoTaskMemString&) = delete;
  CoTaskMemString& operator=(const CoTaskMemString&) = delete;
  ~CoTaskMemString() { CoTaskMemFree(value_); }
  wchar_t** Put() {
    CoTaskMemFree(value_);
    value_ = nullptr;
    return &value_;
  }
  std::string Utf8() const { return com::Utf8(value_); }

 private:
  wchar_t* value_ = nullptr;
};

}  // namespace com
}  // namespace vss

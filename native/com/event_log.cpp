#include "event_log.h"

#include <windows.h>
#include <winevt.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <string>

#include "../core/error.h"
#include "../core/service_events.h"
#include "service_control.h"
#include "bstr.h"

namespace vss {
namespace com {
namespace {

bool IsWineBuiltin(HMODULE module) {
  static const char kMark[] = "Wine builtin DLL";
  const auto* dos = reinterpret_cast<const IMAGE_DOS_HEADER*>(module);
  return dos->e_magic == IMAGE_DOS_SIGNATURE && dos->e_lfanew >= static_cast<LONG>(sizeof(IMAGE_DOS_HEADER) + sizeof kMark) &&
         memcmp(dos + 1, kMark, sizeof kMark) == 0;
}

// The entry points used, resolved once from %SystemRoot%\System32\wevtapi.dll.
struct WevtApi {
  decltype(&::EvtQuery) query = nullptr;
  decltype(&::EvtNext) next = nullptr;
  decltype(&::EvtRender) render = nullptr;
  decltype(&::EvtCreateRenderContext) createRenderContext = nullptr;
  decltype(&::EvtOpenPublisherMetadata) openPublisherMetadata = nullptr;
  decltype(&::EvtFormatMessage) formatMessage = nullptr;
  decltype(&::EvtClose) close = nullptr;
  decltype(&::EvtSubscribe) subscribe = nullptr;
};

const WevtApi& Api() {
  static std::once_flag once;
  static WevtApi api;
  static uint32_t error = 0;
  static std::string detail;
  std::call_once(once, [] {
    HMODULE module = LoadLibraryExW(L"wevtapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!module) {
      error = HRESULT_FROM_WIN32(GetLastError());
      detail = "wevtapi.dll could not be loaded from the system directory";
      return;
    }
    // Wine's own wevtapi.dll exports these names but aborts the process on calls it does
    // not implement (EvtCreateRenderContext among them): refuse it with E_NOTIMPL. Wine
    // marks its builtin modules with "Wine builtin DLL" right after the DOS header; a
    // native wevtapi.dll (Windows', or the test suite's emulated one) has no such mark.
    if (IsWineBuiltin(module)) {
      error = hr::kNotImpl;
      detail = "Wine's wevtapi.dll does not implement the Event Log API";
      return;
    }
    auto get = [&](auto& slot, const char* name) {
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(reinterpret_cast<void*>(GetProcAddress(module, name)));
      if (!slot && !error) {
        error = HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND);
        detail = std::string("wevtapi.dll lacks ") + name;
      }
    };
    get(api.query, "EvtQuery");
    get(api.next, "EvtNext");
    get(api.render, "EvtRender");
    get(api.createRenderContext, "EvtCreateRenderContext");
    get(api.openPublisherMetadata, "EvtOpenPublisherMetadata");
    get(api.formatMessage, "EvtFormatMessage");
    get(api.close, "EvtClose");
    get(api.subscribe, "EvtSubscribe");
  });
  if (error) throw VssException(error, "LoadLibrary(wevtapi.dll)", detail);
  return api;
}

// RAII for EVT_HANDLE.
class EvtHandle {
 public:
  EvtHandle() = default;
  explicit EvtHandle(EVT_HANDLE h) : h_(h) {}
  ~EvtHandle() {
    if (h_) Api().close(h_);
  }
  EvtHandle(const EvtHandle&) = delete;
  EvtHandle& operator=(const EvtHandle&) = delete;
  EvtHandle& operator=(EvtHandle&& other) noexcept {
    if (this != &other) {
      if (h_) Api().close(h_);
      h_ = other.h_;
      other.h_ = nullptr;
    }
    return *this;
  }
  EvtHandle(EvtHandle&& other) noexcept : h_(other.h_) { other.h_ = nullptr; }
  EVT_HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  EVT_HANDLE h_ = nullptr;
};

uint32_t LastHresult() { return HRESULT_FROM_WIN32(GetLastError()); }

// Providers whose records count as VSS-related in the shared channels; the
// other default channels (Hyper-V, VolumeSnapshot-Driver, Backup) are read whole.
// A provider with ids is read for those ids only: ESENT logs for every database
// of the machine, and only its 2004 "Shadow copy %4 time-out" is tied to VSS by a
// source (KB 826936, next to VSS 12290 and the NTDS writer failing).
struct ProviderFilter {
  std::string name;
  std::vector<uint32_t> ids;  // empty: every id
};
const std::map<std::string, std::vector<ProviderFilter>>& ProviderFilters() {
  static const std::map<std::string, std::vector<ProviderFilter>> filters = {
      {"application", {{"VSS", {}}, {"SQLWRITER", {}}, {"SQLVDI", {}}, {"MSExchangeRepl", {}}, {"Microsoft-Windows-Backup", {}}, {"ESENT", {2004}}}},
      // SCM's 7023, 7031, 7034 for the VSS-related services only (core/service_events.h).
      {"system", {{"volsnap", {}}, {"VolSnap", {}}, {"Microsoft-Windows-Volsnap", {}}, {kServiceControlManager, std::vector<uint32_t>(std::begin(kServiceEventIds), std::end(kServiceEventIds))}}},
  };
  return filters;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string IsoTime(int64_t fileTime) {
  FILETIME ft;
  ft.dwLowDateTime = static_cast<DWORD>(fileTime & 0xffffffff);
  ft.dwHighDateTime = static_cast<DWORD>(static_cast<uint64_t>(fileTime) >> 32);
  SYSTEMTIME st;
  FileTimeToSystemTime(&ft, &st);
  char text[40];
  snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", st.wYear, st.wMonth, st.wDay, st.wHour, st.wMinute, st.wSecond, st.wMilliseconds);
  return text;
}

// The structured XPath query of one channel.
std::wstring XPathFor(const std::string& channel, const EventQuery& q) {
  std::vector<std::string> terms;
  auto filter = ProviderFilters().find(Lower(channel));
  if (filter != ProviderFilters().end()) {
    // (Provider[@Name='VSS' or ...] or (Provider[@Name='ESENT'] and (EventID=2004)))
    std::string whole, any;
    for (const ProviderFilter& p : filter->second) {
      if (!p.ids.empty()) continue;
      whole += (whole.empty() ? "" : " or ") + std::string("@Name='") + p.name + "'";
    }
    if (!whole.empty()) any = "Provider[" + whole + "]";
    for (const ProviderFilter& p : filter->second) {
      if (p.ids.empty()) continue;
      std::string ids;
      for (uint32_t id : p.ids) ids += (ids.empty() ? "" : " or ") + std::string("EventID=") + std::to_string(id);
      any += (any.empty() ? "" : " or ") + std::string("(Provider[@Name='") + p.name + "'] and (" + ids + "))";
    }
    terms.push_back("(" + any + ")");
  }
  if (q.since) terms.push_back("TimeCreated[@SystemTime>='" + IsoTime(q.since) + "']");
  // IsoTime keeps milliseconds: round the upper bound up so that it stays inclusive.
  if (q.until) terms.push_back("TimeCreated[@SystemTime<='" + IsoTime(q.until + 9999) + "']");
  auto anyOf = [](const char* field, const auto& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "(" : " or ") + std::string(field) + "=" + std::to_string(v);
    return out + ")";
  };
  if (!q.ids.empty()) terms.push_back(anyOf("EventID", q.ids));
  if (!q.levels.empty()) terms.push_back(anyOf("Level", q.levels));
  std::string xpath = "*";
  if (!terms.empty()) {
    std::string all;
    for (const std::string& t : terms) all += (all.empty() ? "" : " and ") + t;
    xpath = "*[System[" + all + "]]";
  }
  return Wide(xpath);
}

std::wstring RenderXml(EVT_HANDLE event) {
  DWORD used = 0, count = 0;
  Api().render(nullptr, event, EvtRenderEventXml, 0, nullptr, &used, &count);
  if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || used == 0) return L"";
  std::wstring xml(used / sizeof(wchar_t) + 1, L'\0');
  if (!Api().render(nullptr, event, EvtRenderEventXml, static_cast<DWORD>(xml.size() * sizeof(wchar_t)), &xml[0], &used, &count)) return L"";
  xml.resize(wcsnlen(xml.c_str(), xml.size()));
  return xml;
}

std::string DecodeEntities(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    size_t end = text.find(';', i);
    if (end == std::string::npos) {
      out += text[i];
      continue;
    }
    const std::string entity = text.substr(i + 1, end - i - 1);
    if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "amp") out += '&';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (!entity.empty() && entity[0] == '#') {
      unsigned long code = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X') ? std::stoul(entity.substr(2), nullptr, 16) : std::stoul(entity.substr(1));
      wchar_t w[2] = {static_cast<wchar_t>(code), 0};
      out += Utf8(w);
    } else {
      out += text.substr(i, end - i + 1);
    }
    i = end;
  }
  return out;
}

// The <EventData>/<UserData> values: <Data Name='x'>v</Data>, unnamed ones as param1, param2...
std::vector<std::pair<std::string, std::string>> EventData(const std::string& xml) {
  std::vector<std::pair<std::string, std::string>> data;
  size_t at = 0;
  int unnamed = 0;
  while ((at = xml.find("<Data", at)) != std::string::npos) {
    size_t close = xml.find('>', at);
    if (close == std::string::npos) break;
    std::string tag = xml.substr(at, close - at);
    std::string name;
    size_t n = tag.find("Name=");
    if (n != std::string::npos && n + 6 < tag.size()) {
      char quote = tag[n + 5];
      size_t end = tag.find(quote, n + 6);
      if (end != std::string::npos) name = tag.substr(n + 6, end - n - 6);
    }
    if (name.empty()) name = "param" + std::to_string(++unnamed);
    std::string value;
    if (xml[close - 1] != '/') {
      size_t end = xml.find("</Data>", close);
      if (end == std::string::npos) break;
      value = DecodeEntities(xml.substr(close + 1, end - close - 1));
      at = end + 7;
    } else {
      at = close + 1;
    }
    data.emplace_back(DecodeEntities(name), value);
  }
  return data;
}

std::string FormatMessageOf(EVT_HANDLE publisher, EVT_HANDLE event) {
  if (!publisher) return "";
  DWORD used = 0;
  Api().formatMessage(publisher, event, 0, 0, nullptr, EvtFormatMessageEvent, 0, nullptr, &used);
  if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || used == 0) return "";
  std::wstring text(used + 1, L'\0');
  if (!Api().formatMessage(publisher, event, 0, 0, nullptr, EvtFormatMessageEvent, static_cast<DWORD>(text.size()), &text[0], &used)) return "";
  text.resize(wcsnlen(text.c_str(), text.size()));
  return Utf8(text.c_str());
}

// One event as a record: system values (EvtRenderEventValues), the message
// (EvtFormatMessage with its provider's metadata, opened once per provider) and the
// event data (from EvtRenderEventXml). False when it cannot be rendered.
bool RecordOf(EVT_HANDLE eventHandle, const std::string& channel, EVT_HANDLE contextHandle, std::map<std::string, EvtHandle>& publishers, EventRecord& r) {
  const WevtApi& api = Api();
  DWORD used = 0, count = 0;
  api.render(contextHandle, eventHandle, EvtRenderEventValues, 0, nullptr, &used, &count);
  if (GetLastError() != ERROR_INSUFFICIENT_BUFFER) return false;
  std::vector<unsigned char> buffer(used);
  if (!api.render(contextHandle, eventHandle, EvtRenderEventValues, used, buffer.data(), &used, &count)) return false;
  const auto* values = reinterpret_cast<const EVT_VARIANT*>(buffer.data());
  if (values[EvtSystemProviderName].Type == EvtVarTypeString) r.provider = Utf8(values[EvtSystemProviderName].StringVal);
  if (values[EvtSystemChannel].Type == EvtVarTypeString) r.channel = Utf8(values[EvtSystemChannel].StringVal);
  if (r.channel.empty()) r.channel = channel;
  r.eventId = values[EvtSystemEventID].Type == EvtVarTypeUInt16 ? values[EvtSystemEventID].UInt16Val : 0;
  r.level = values[EvtSystemLevel].Type == EvtVarTypeByte ? values[EvtSystemLevel].ByteVal : 0;
  r.recordId = values[EvtSystemEventRecordId].Type == EvtVarTypeUInt64 ? values[EvtSystemEventRecordId].UInt64Val : 0;
  r.timeCreated = values[EvtSystemTimeCreated].Type == EvtVarTypeFileTime ? static_cast<int64_t>(values[EvtSystemTimeCreated].FileTimeVal) : 0;
  auto publisher = publishers.find(r.provider);
  if (publisher == publishers.end()) {
    const std::wstring name = Wide(r.provider);
    // Locale 0: the message in the system's language.
    publisher = publishers.emplace(r.provider, EvtHandle(api.openPublisherMetadata(nullptr, name.c_str(), nullptr, 0, 0))).first;
  }
  r.message = FormatMessageOf(publisher->second.get(), eventHandle);
  const std::wstring xml = RenderXml(eventHandle);
  r.data = EventData(Utf8(xml.c_str()));
  return true;
}

}  // namespace

// The names a VSS-related service's SCM event may carry in param1: key, English and localized
// display name (param1 is in the system's language).
static std::vector<std::string> ServiceNamesHere(const EventQuery& query) {
  std::vector<std::string> names = ServiceNames(query);
  if (names.empty()) return names;
  std::vector<std::string> keys;
  for (const auto& s : query.services) keys.push_back(s.first);
  for (std::string& n : LocalizedDisplayNames(keys)) names.push_back(std::move(n));
  return names;
}

static bool Wanted(const EventRecord& r, const std::vector<std::string>& serviceNames) {
  return serviceNames.empty() || !IsServiceEvent(r) || NamesOneOf(r, serviceNames);
}

std::vector<EventRecord> ReadEventLog(const EventQuery& query) {
  const std::vector<std::string> serviceNames = ServiceNamesHere(query);
  const WevtApi& api = Api();
  EvtHandle context(api.createRenderContext(0, nullptr, EvtRenderContextSystem));
  if (!context) throw VssException(LastHresult(), "EvtCreateRenderContext");
  std::map<std::string, EvtHandle> publishers;  // EvtOpenPublisherMetadata once per provider
  std::vector<EventRecord> records;
  for (const std::string& channel : query.channels) {
    const std::wstring path = Wide(channel);
    const std::wstring xpath = XPathFor(channel, query);
    EvtHandle results(api.query(nullptr, path.c_str(), xpath.c_str(), EvtQueryChannelPath | EvtQueryForwardDirection));
    if (!results) {
      const DWORD error = GetLastError();
      // A default channel this machine does not have (no Hyper-V role, no Windows Server Backup).
      if ((error == ERROR_EVT_CHANNEL_NOT_FOUND || error == ERROR_EVT_INVALID_CHANNEL_PATH) && !query.channelsNamed) continue;
      throw VssException(HRESULT_FROM_WIN32(error), "EvtQuery", channel);
    }
    for (;;) {
      EVT_HANDLE batch[64];
      DWORD returned = 0;
      if (!api.next(results.get(), 64, batch, INFINITE, 0, &returned)) {
        const DWORD error = GetLastError();
        if (error == ERROR_NO_MORE_ITEMS) break;
        throw VssException(HRESULT_FROM_WIN32(error), "EvtNext", channel);
      }
      for (DWORD i = 0; i < returned; ++i) {
        EvtHandle event(batch[i]);
        EventRecord r;
        if (RecordOf(event.get(), channel, context.get(), publishers, r) && Wanted(r, serviceNames)) records.push_back(std::move(r));
      }
    }
  }
  std::stable_sort(records.begin(), records.end(), [](const EventRecord& a, const EventRecord& b) { return a.timeCreated < b.timeCreated; });
  if (query.max && records.size() > query.max) records.erase(records.begin(), records.end() - query.max);
  return records;
}

namespace {
struct FollowedChannel {
  std::string name;
  HANDLE signal = nullptr;
  EvtHandle subscription;
};
}  // namespace

struct EventFollower::State {
  std::vector<std::unique_ptr<FollowedChannel>> channels;
  EvtHandle context;
  std::map<std::string, EvtHandle> publishers;
  std::vector<std::string> serviceNames;  // ServiceNamesHere, looked up once
};

EventFollower::EventFollower(const EventQuery& query) : state_(std::make_unique<State>()) {
  const WevtApi& api = Api();
  state_->context = EvtHandle(api.createRenderContext(0, nullptr, EvtRenderContextSystem));
  if (!state_->context) throw VssException(LastHresult(), "EvtCreateRenderContext");
  state_->serviceNames = ServiceNamesHere(query);
  EventQuery future = query;
  future.since = future.until = 0;
  for (const std::string& channel : query.channels) {
    auto c = std::make_unique<FollowedChannel>();
    c->name = channel;
    // Pull model: the service sets this (manual-reset) event when records arrive.
    c->signal = CreateEventW(nullptr, TRUE, TRUE, nullptr);
    if (!c->signal) throw VssException(LastHresult(), "CreateEvent");
    state_->channels.push_back(std::move(c));
    FollowedChannel& added = *state_->channels.back();
    const std::wstring path = Wide(channel);
    const std::wstring xpath = XPathFor(channel, future);
    added.subscription = EvtHandle(api.subscribe(nullptr, added.signal, path.c_str(), xpath.c_str(), nullptr, nullptr, nullptr, EvtSubscribeToFutureEvents));
    if (!added.subscription) {
      const DWORD error = GetLastError();
      CloseHandle(added.signal);
      state_->channels.pop_back();
      if ((error == ERROR_EVT_CHANNEL_NOT_FOUND || error == ERROR_EVT_INVALID_CHANNEL_PATH) && !query.channelsNamed) continue;
      throw VssException(HRESULT_FROM_WIN32(error), "EvtSubscribe", channel);
    }
  }
}

EventFollower::~EventFollower() {
  // Each subscription is closed before its signal event.
  for (auto& c : state_->channels) {
    c->subscription = EvtHandle();
    if (c->signal) CloseHandle(c->signal);
  }
}

std::vector<EventRecord> EventFollower::Next(uint32_t timeoutMs, AsyncControl& control) {
  const WevtApi& api = Api();
  const ULONGLONG deadline = GetTickCount64() + timeoutMs;
  for (;;) {
    std::vector<EventRecord> records;
    for (auto& c : state_->channels) {
      for (;;) {
        EVT_HANDLE batch[64];
        DWORD returned = 0;
        if (!api.next(c->subscription.get(), 64, batch, 0, 0, &returned)) {
          const DWORD error = GetLastError();
          if (error == ERROR_NO_MORE_ITEMS || error == ERROR_TIMEOUT) {
            ResetEvent(c->signal);
            break;
          }
          throw VssException(HRESULT_FROM_WIN32(error), "EvtNext", c->name);
        }
        for (DWORD i = 0; i < returned; ++i) {
          EvtHandle event(batch[i]);
          EventRecord r;
          if (RecordOf(event.get(), c->name, state_->context.get(), state_->publishers, r) && Wanted(r, state_->serviceNames)) records.push_back(std::move(r));
        }
      }
    }
    if (!records.empty()) {
      std::stable_sort(records.begin(), records.end(), [](const EventRecord& a, const EventRecord& b) { return a.timeCreated < b.timeCreated; });
      return records;
    }
    const ULONGLONG now = GetTickCount64();
    if (control.CancelRequested() || now >= deadline) return records;
    // No channel of the query exists here: nothing will come; wait out the time all the same
    // (an immediate answer would make the caller ask again at once, in a busy loop).
    if (state_->channels.empty()) {
      Sleep(static_cast<DWORD>(std::min<ULONGLONG>(100, deadline - now)));
      continue;
    }
    // Wake for new records, and every 100 ms to notice a cancel.
    std::vector<HANDLE> signals;
    for (auto& c : state_->channels) signals.push_back(c->signal);
    const DWORD wait = static_cast<DWORD>(std::min<ULONGLONG>(100, deadline - now));
    WaitForMultipleObjects(static_cast<DWORD>(std::min<size_t>(signals.size(), MAXIMUM_WAIT_OBJECTS)), signals.data(), FALSE, wait);
  }
}

}  // namespace com
}  // namespace vss

// Names and meanings of HRESULTs, from the one table in hresult_table.inc.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "const_text.h"

namespace vss {

// The table itself (hresult_table.inc), usable in constant expressions.
struct HresultEntry {
  const char* name;
  uint32_t value;
  const char* meaning;
};
inline constexpr HresultEntry kHresultTable[] = {
#define HRESULT_ENTRY(name, value, meaning) {#name, static_cast<uint32_t>(value##u), meaning},
#include "hresult_table.inc"
#undef HRESULT_ENTRY
};

namespace hr {
// The value of a name in the table, at compile time: a name not in the table is a
// compile error (the throw cannot be part of a constant expression).
constexpr uint32_t FromTable(const char* name) {
  for (const HresultEntry& e : kHresultTable)
    if (SameText(e.name, name)) return e.value;
  throw "HRESULT name not in hresult_table.inc";
}

// The HRESULTs the C++ code raises or tests for, by the table's names; values as
// the unsigned 32-bit pattern.
constexpr uint32_t kOk = FromTable("S_OK");
constexpr uint32_t kFalse = FromTable("S_FALSE");
constexpr uint32_t kNotImpl = FromTable("E_NOTIMPL");
constexpr uint32_t kNoInterface = FromTable("E_NOINTERFACE");
constexpr uint32_t kPointer = FromTable("E_POINTER");
constexpr uint32_t kFail = FromTable("E_FAIL");
constexpr uint32_t kUnexpected = FromTable("E_UNEXPECTED");
constexpr uint32_t kAccessDenied = FromTable("E_ACCESSDENIED");
constexpr uint32_t kOutOfMemory = FromTable("E_OUTOFMEMORY");
constexpr uint32_t kInvalidArg = FromTable("E_INVALIDARG");
constexpr uint32_t kModNotFound = FromTable("ERROR_MOD_NOT_FOUND");
constexpr uint32_t kProcNotFound = FromTable("ERROR_PROC_NOT_FOUND");
constexpr uint32_t kNotSupported = FromTable("ERROR_NOT_SUPPORTED");
constexpr uint32_t kAlreadyExists = FromTable("ERROR_ALREADY_EXISTS");
constexpr uint32_t kServiceDoesNotExist = FromTable("ERROR_SERVICE_DOES_NOT_EXIST");
constexpr uint32_t kServiceRequestTimeout = FromTable("ERROR_SERVICE_REQUEST_TIMEOUT");
constexpr uint32_t kDependentServicesRunning = FromTable("ERROR_DEPENDENT_SERVICES_RUNNING");
constexpr uint32_t kEvtChannelNotFound = FromTable("ERROR_EVT_CHANNEL_NOT_FOUND");
constexpr uint32_t kVssBadState = FromTable("VSS_E_BAD_STATE");
constexpr uint32_t kVssUnexpected = FromTable("VSS_E_UNEXPECTED");
constexpr uint32_t kVssProviderNotRegistered = FromTable("VSS_E_PROVIDER_NOT_REGISTERED");
constexpr uint32_t kVssProviderVeto = FromTable("VSS_E_PROVIDER_VETO");
constexpr uint32_t kVssObjectNotFound = FromTable("VSS_E_OBJECT_NOT_FOUND");
constexpr uint32_t kVssBreakRevertIdFailed = FromTable("VSS_E_BREAK_REVERT_ID_FAILED");
constexpr uint32_t kVssAsyncPending = FromTable("VSS_S_ASYNC_PENDING");
constexpr uint32_t kVssAsyncFinished = FromTable("VSS_S_ASYNC_FINISHED");
constexpr uint32_t kVssAsyncCancelled = FromTable("VSS_S_ASYNC_CANCELLED");
constexpr uint32_t kVssVolumeNotSupported = FromTable("VSS_E_VOLUME_NOT_SUPPORTED");
constexpr uint32_t kVssObjectAlreadyExists = FromTable("VSS_E_OBJECT_ALREADY_EXISTS");
constexpr uint32_t kVssVolumeNotSupportedByProvider = FromTable("VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER");
constexpr uint32_t kVssUnexpectedProviderError = FromTable("VSS_E_UNEXPECTED_PROVIDER_ERROR");
constexpr uint32_t kVssCorruptXmlDocument = FromTable("VSS_E_CORRUPT_XML_DOCUMENT");
constexpr uint32_t kVssInvalidXmlDocument = FromTable("VSS_E_INVALID_XML_DOCUMENT");
constexpr uint32_t kVssMaxVolumesReached = FromTable("VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED");
constexpr uint32_t kVssFlushWritesTimeout = FromTable("VSS_E_FLUSH_WRITES_TIMEOUT");
constexpr uint32_t kVssHoldWritesTimeout = FromTable("VSS_E_HOLD_WRITES_TIMEOUT");
constexpr uint32_t kVssUnexpectedWriterError = FromTable("VSS_E_UNEXPECTED_WRITER_ERROR");
constexpr uint32_t kVssSnapshotSetInProgress = FromTable("VSS_E_SNAPSHOT_SET_IN_PROGRESS");
constexpr uint32_t kVssNonTransportableBcd = FromTable("VSS_E_NONTRANSPORTABLE_BCD");
constexpr uint32_t kVssNoSnapshotsImported = FromTable("VSS_E_NO_SNAPSHOTS_IMPORTED");
constexpr uint32_t kVssMaxSnapshotsReached = FromTable("VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED");
constexpr uint32_t kVssWriterInfrastructure = FromTable("VSS_E_WRITER_INFRASTRUCTURE");
constexpr uint32_t kVssWriterNotResponding = FromTable("VSS_E_WRITER_NOT_RESPONDING");
constexpr uint32_t kVssUnsupportedContext = FromTable("VSS_E_UNSUPPORTED_CONTEXT");
constexpr uint32_t kVssRevertInProgress = FromTable("VSS_E_REVERT_IN_PROGRESS");
constexpr uint32_t kVssVolumeInUse = FromTable("VSS_E_VOLUME_IN_USE");
constexpr uint32_t kVssMaximumDiffAreaAssociationsReached = FromTable("VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED");
constexpr uint32_t kVssInsufficientStorage = FromTable("VSS_E_INSUFFICIENT_STORAGE");
constexpr uint32_t kVssSnapshotNotInSet = FromTable("VSS_E_SNAPSHOT_NOT_IN_SET");
constexpr uint32_t kVssNotSupported = FromTable("VSS_E_NOT_SUPPORTED");
constexpr uint32_t kWriterErrorInconsistentSnapshot = FromTable("VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT");
constexpr uint32_t kWriterErrorOutOfResources = FromTable("VSS_E_WRITERERROR_OUTOFRESOURCES");
constexpr uint32_t kWriterErrorTimeout = FromTable("VSS_E_WRITERERROR_TIMEOUT");
constexpr uint32_t kWriterErrorRetryable = FromTable("VSS_E_WRITERERROR_RETRYABLE");
constexpr uint32_t kWriterErrorNonRetryable = FromTable("VSS_E_WRITERERROR_NONRETRYABLE");
constexpr uint32_t kWriterErrorRecoveryFailed = FromTable("VSS_E_WRITERERROR_RECOVERY_FAILED");
constexpr uint32_t kWriterErrorPartialFailure = FromTable("VSS_E_WRITERERROR_PARTIAL_FAILURE");
constexpr uint32_t kVssWriterStatusNotAvailable = FromTable("VSS_E_WRITER_STATUS_NOT_AVAILABLE");
}  // namespace hr

// "VSS_E_BAD_STATE" for 0x80042301; "HRESULT_0x8004ABCD" for a value not in the table.
std::string HresultName(uint32_t hresult);
// One-line meaning, or an empty string for a value not in the table.
const char* HresultMeaning(uint32_t hresult);

// The value of a named HRESULT ("VSS_E_BAD_STATE"), if the table has it.
std::optional<uint32_t> HresultFromName(const std::string& name);

inline bool Failed(uint32_t hresult) { return (hresult & 0x80000000u) != 0; }

}  // namespace vss

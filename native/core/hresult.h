// Names and meanings of HRESULTs, from the one table in hresult_table.inc.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace vss {

// Every HRESULT our layers name; values as the unsigned 32-bit pattern.
namespace hr {
constexpr uint32_t kOk = 0x00000000;
constexpr uint32_t kFalse = 0x00000001;
constexpr uint32_t kNotImpl = 0x80004001;
constexpr uint32_t kNoInterface = 0x80004002;
constexpr uint32_t kPointer = 0x80004003;
constexpr uint32_t kFail = 0x80004005;
constexpr uint32_t kUnexpected = 0x8000FFFF;
constexpr uint32_t kAccessDenied = 0x80070005;
constexpr uint32_t kOutOfMemory = 0x8007000E;
constexpr uint32_t kInvalidArg = 0x80070057;
constexpr uint32_t kModNotFound = 0x8007007E;
constexpr uint32_t kProcNotFound = 0x8007007F;
constexpr uint32_t kNotSupported = 0x80070032;
constexpr uint32_t kAlreadyExists = 0x800700B7;
constexpr uint32_t kVssBadState = 0x80042301;
constexpr uint32_t kVssUnexpected = 0x80042302;
constexpr uint32_t kVssProviderNotRegistered = 0x80042304;
constexpr uint32_t kVssProviderVeto = 0x80042306;
constexpr uint32_t kVssObjectNotFound = 0x80042308;
constexpr uint32_t kVssAsyncPending = 0x00042309;
constexpr uint32_t kVssAsyncFinished = 0x0004230A;
constexpr uint32_t kVssAsyncCancelled = 0x0004230B;
constexpr uint32_t kVssVolumeNotSupported = 0x8004230C;
constexpr uint32_t kVssObjectAlreadyExists = 0x8004230D;
constexpr uint32_t kVssVolumeNotSupportedByProvider = 0x8004230E;
constexpr uint32_t kVssUnexpectedProviderError = 0x8004230F;
constexpr uint32_t kVssCorruptXmlDocument = 0x80042310;
constexpr uint32_t kVssInvalidXmlDocument = 0x80042311;
constexpr uint32_t kVssMaxVolumesReached = 0x80042312;
constexpr uint32_t kVssFlushWritesTimeout = 0x80042313;
constexpr uint32_t kVssHoldWritesTimeout = 0x80042314;
constexpr uint32_t kVssUnexpectedWriterError = 0x80042315;
constexpr uint32_t kVssSnapshotSetInProgress = 0x80042316;
constexpr uint32_t kVssMaxSnapshotsReached = 0x80042317;
constexpr uint32_t kVssWriterInfrastructure = 0x80042318;
constexpr uint32_t kVssWriterNotResponding = 0x80042319;
constexpr uint32_t kVssUnsupportedContext = 0x8004231B;
constexpr uint32_t kVssVolumeInUse = 0x8004231D;
constexpr uint32_t kVssInsufficientStorage = 0x8004231F;
constexpr uint32_t kVssSnapshotNotInSet = 0x8004232B;
constexpr uint32_t kVssNotSupported = 0x8004232F;
constexpr uint32_t kWriterErrorInconsistentSnapshot = 0x800423F0;
constexpr uint32_t kWriterErrorOutOfResources = 0x800423F1;
constexpr uint32_t kWriterErrorTimeout = 0x800423F2;
constexpr uint32_t kWriterErrorRetryable = 0x800423F3;
constexpr uint32_t kWriterErrorNonRetryable = 0x800423F4;
constexpr uint32_t kWriterErrorRecoveryFailed = 0x800423F5;
constexpr uint32_t kWriterErrorPartialFailure = 0x80042336;
constexpr uint32_t kVssWriterStatusNotAvailable = 0x80042409;
}  // namespace hr

// "VSS_E_BAD_STATE" for 0x80042301; "HRESULT_0x8004ABCD" for a value not in the table.
std::string HresultName(uint32_t hresult);
// One-line meaning, or an empty string for a value not in the table.
const char* HresultMeaning(uint32_t hresult);

// The value of a named HRESULT ("VSS_E_BAD_STATE"), if the table has it.
std::optional<uint32_t> HresultFromName(const std::string& name);

inline bool Failed(uint32_t hresult) { return (hresult & 0x80000000u) != 0; }

}  // namespace vss

// The built-in machines, written in the scenario format itself (README, "Scenario
// format"), so they double as examples. Writer names, class ids and instance ids as
// Windows reports them; component and file lists modelled on real writer metadata
// captured from Windows Server (shortened: the real System Writer lists ~19,000 files).
#include "builtin_scenarios.h"

namespace vss {
namespace sim {

namespace {

const char* const kWindowsServer2022 = R"json({
  "name": "windows-server-2022",
  "machineName": "sim-server.contoso.local",
  "providers": [
    { "providerId": "b5946137-7b9f-4925-af80-51abd60b20d5", "name": "Microsoft Software Shadow Copy provider 1.0",
      "type": "system", "version": "1.0.0.7", "versionId": "00000001-0000-0000-0000-000000000001",
      "classId": "65ee1dba-8ff4-4a58-ac1c-3470ee2f376a" }
  ],
  "volumes": [
    { "name": "C:\\", "guid": "c7463abb-f40d-11e9-80c7-806e6f6e6963", "label": "Windows" },
    { "name": "\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\", "guid": "c7463aba-f40d-11e9-80c7-806e6f6e6963", "label": "System Reserved",
      "totalSpace": 524288000, "freeSpace": 487587840 }
  ],
  "writers": [
    { "name": "Task Scheduler Writer", "writerId": "d61d61c8-d73a-4eee-8cdd-f6f9786b7124", "instanceId": "1bddd48e-5052-49db-9b07-b96f96727e6b",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot-if-cannot-replace", "writerRestore": "never", "rebootRequired": false },
      "components": [ { "name": "TasksStore", "caption": "Tasks Store", "selectable": false, "files": [
        { "path": "%WinDir%\\System32\\Tasks", "filespec": "*", "recursive": true },
        { "path": "%WinDir%\\Tasks", "filespec": "*", "recursive": true } ] } ],
      "volumes": ["C:\\"] },
    { "name": "VSS Metadata Store Writer", "writerId": "75dfb225-e2e4-4d39-9ac9-ffaff65ddf06", "instanceId": "088e7a7d-09a8-4cc6-a609-ad90e75ddc93",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot-if-cannot-replace", "writerRestore": "never", "rebootRequired": false },
      "components": [ { "name": "WriterMetadataStore", "caption": "VSS Express Writer Metadata Store", "selectable": true, "files": [
        { "path": "%SystemRoot%\\Vss\\Writers", "filespec": "*.xml", "recursive": true } ] } ],
      "volumes": ["C:\\"] },
    { "name": "Performance Counters Writer", "writerId": "0bada1de-01a9-4625-8278-69e735f39dd2", "instanceId": "f0086dda-9efc-47c5-8eb6-a944c3d09381",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot-if-cannot-replace", "writerRestore": "never", "rebootRequired": false },
      "components": [ { "name": "PerformanceCounters", "caption": "Performance Counters", "selectable": true, "files": [
        { "path": "%SystemRoot%\\System32", "filespec": "Perfc???.dat" },
        { "path": "%SystemRoot%\\System32", "filespec": "Perfh???.dat" },
        { "path": "%SystemRoot%\\System32", "filespec": "Prfc????.dat" },
        { "path": "%SystemRoot%\\System32", "filespec": "Prfh????.dat" } ] } ],
      "volumes": ["C:\\"] },
    { "name": "System Writer", "writerId": "e8132975-6f93-4464-a53e-1050253ae220", "instanceId": "ce678d65-95d0-4bea-a43d-2a288bc94500",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot-if-cannot-replace", "writerRestore": "never", "rebootRequired": true },
      "components": [
        { "name": "System Files", "caption": "System Files", "selectable": true, "files": [
          { "path": "C:\\Windows\\system32\\CatRoot\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}", "filespec": "*", "recursive": true },
          { "path": "%systemroot%\\winsxs", "filespec": "*.*", "recursive": true },
          { "path": "%systemroot%\\servicing\\packages", "filespec": "*.*", "recursive": true },
          { "path": "C:\\Windows\\system32", "filespec": "ntoskrnl.exe" },
          { "path": "C:\\Windows\\system32", "filespec": "hal.dll" },
          { "path": "C:\\Windows\\system32\\drivers", "filespec": "ntfs.sys" } ] },
        { "name": "Win32 Services Files", "caption": "Win32 Services Files", "selectable": true, "files": [
          { "path": "C:\\Windows\\system32", "filespec": "svchost.exe" },
          { "path": "C:\\Windows\\system32", "filespec": "vssvc.exe" },
          { "path": "C:\\Windows\\system32", "filespec": "wbengine.exe" } ] } ],
      "volumes": ["C:\\"] },
    { "name": "ASR Writer", "writerId": "be000cbe-11fe-4426-9c58-531aa6355fc4", "instanceId": "57307c00-7886-4cfc-b8cc-2d76c40e6cca",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-if-can-replace", "writerRestore": "never", "rebootRequired": true },
      "components": [
        { "name": "ASR", "logicalPath": "ASR", "caption": "ASR", "selectable": false },
        { "name": "Volume{c7463abb-f40d-11e9-80c7-806e6f6e6963}", "logicalPath": "Volumes", "caption": "Select this volume (C:) if it is a critical volume.", "selectable": false },
        { "name": "harddisk0", "logicalPath": "Disks", "caption": "Select to include disk #0 for ASR restore.", "selectable": true, "selectableForRestore": true },
        { "name": "BCD", "logicalPath": "BCD", "caption": "This is the path to the boot BCD store and the boot managers.", "selectable": false, "files": [
          { "path": "\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\Boot", "filespec": "*", "recursive": true } ] } ],
      "volumes": ["C:\\"] },
    { "name": "Shadow Copy Optimization Writer", "writerId": "4dc3bdd4-ab48-4d07-adb0-3bee2926fd7f", "instanceId": "d64f06cb-e5ac-48c2-81a9-0c25ccf8f3bb",
      "usage": "user-data", "source": "other",
      "excludeFromSnapshot": [
        { "path": "C:\\ProgramData\\Microsoft\\RAC", "filespec": "*" },
        { "path": "\\System Volume Information\\Heat", "filespec": "*.*", "recursive": true },
        { "path": "C:\\Windows\\softwaredistribution", "filespec": "*.*", "recursive": true } ] },
    { "name": "WMI Writer", "writerId": "a6ad56c2-b509-4e6c-bb19-49d8f43532f0", "instanceId": "e795e5ac-50b0-4127-ab18-6b09138b6669",
      "usage": "system-service", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot", "writerRestore": "never", "rebootRequired": true },
      "components": [ { "name": "WMI", "caption": "Windows Managment Instrumentation", "selectable": false, "files": [
        { "path": "C:\\Windows\\system32\\wbem\\repository", "filespec": "*.*", "recursive": true } ] } ],
      "volumes": ["C:\\"] },
    { "name": "Registry Writer", "writerId": "afbab4a2-367d-4d15-a586-71dbb18f8485", "instanceId": "a9cff6b0-5ac6-4dde-aa4d-25b16fbae717",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot-if-cannot-replace", "writerRestore": "never", "rebootRequired": true },
      "components": [ { "name": "Registry", "caption": "Registry", "selectable": true, "files": [
        { "path": "C:\\Windows\\system32\\config", "filespec": "default" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "SAM" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "SECURITY" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "software" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "system" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "COMPONENTS" } ] } ],
      "excludeFiles": [
        { "path": "C:\\Windows\\system32\\config", "filespec": "default.LOG" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "software.LOG" },
        { "path": "C:\\Windows\\system32\\config", "filespec": "system.LOG" } ],
      "volumes": ["C:\\"] },
    { "name": "COM+ REGDB Writer", "writerId": "542da469-d3e1-473c-9f4f-7847f01fc64f", "instanceId": "096a689b-077b-44e3-a7ba-5831d480c95b",
      "usage": "bootable-system-state", "source": "other",
      "restoreMethod": { "method": "restore-at-reboot-if-cannot-replace", "writerRestore": "never", "rebootRequired": false },
      "components": [ { "name": "COM+ REGDB", "caption": "COM+ REGDB", "selectable": true, "files": [
        { "path": "%SystemRoot%\\Registration", "filespec": "*", "recursive": true } ] } ],
      "volumes": ["C:\\"] }
  ]
})json";

const char* const kSqlServer = R"json({
  "base": "windows-server-2022",
  "name": "sql-server",
  "machineName": "sql01.contoso.local",
  "volumes": [
    { "name": "E:\\", "guid": "b26e0a9e-f4a4-11e9-80cd-0050569f7760", "label": "SQL Data" },
    { "name": "F:\\", "guid": "43025f8a-07b0-11ea-80d1-0050569f7760", "label": "SQL Logs" }
  ],
  "writers": [
    { "name": "SqlServerWriter", "writerId": "a65faa63-5ea8-4ebc-9dbd-a0c4db26912a", "instanceId": "235435d9-34d6-41ea-8c08-5958a9982636",
      "instanceName": "Microsoft SQL Server 2017:SQLWriter", "usage": "user-data", "source": "transacted-db", "backupSchema": 881,
      "restoreMethod": { "method": "restore-if-can-replace", "writerRestore": "always", "rebootRequired": false },
      "components": [
        { "name": "master", "logicalPath": "SQL01", "notifyOnBackupComplete": true, "selectable": true, "selectableForRestore": true, "flags": 2, "files": [
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "master.mdf" },
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "mastlog.ldf" } ] },
        { "name": "model", "logicalPath": "SQL01", "notifyOnBackupComplete": true, "selectable": true, "selectableForRestore": true, "flags": 2, "files": [
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "model.mdf" },
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "modellog.ldf" } ] },
        { "name": "msdb", "logicalPath": "SQL01", "notifyOnBackupComplete": true, "selectable": true, "selectableForRestore": true, "flags": 2, "files": [
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "MSDBData.mdf" },
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "MSDBLog.ldf" } ] },
        { "name": "SalesDb", "logicalPath": "SQL01", "notifyOnBackupComplete": true, "selectable": true, "selectableForRestore": true, "flags": 2, "files": [
          { "path": "E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "SalesDb.mdf" },
          { "path": "F:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA", "filespec": "SalesDb_log.ldf" } ] } ],
      "volumes": ["E:\\", "F:\\"] }
  ]
})json";

// The Hyper-V writer as real metadata shows it (diskshadow "list writers detailed",
// KB 3098315, ../shared/reference/tool-output/): one file-group component per
// virtual machine, named by the VM's id in upper case, with an empty logical path
// and the caption "Online\<VM name>" (backed up through the guest's VSS) or
// "Offline\<VM name>" (saved state or checkpoint, crash-consistent).
const char* const kHyperV = R"json({
  "base": "windows-server-2022",
  "name": "hyper-v",
  "machineName": "hv01.contoso.local",
  "volumes": [
    { "name": "D:\\", "guid": "5b7e1c20-3f0a-4c6e-9d51-0a8f2e6b4c10", "label": "VMs" }
  ],
  "writers": [
    { "name": "Microsoft Hyper-V VSS Writer", "writerId": "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de", "instanceId": "f0c7a1e4-2b9d-4e83-8a61-3d5c7b9e2f41",
      "usage": "user-data", "source": "other", "backupSchema": 0,
      "restoreMethod": { "method": "restore-if-can-replace", "writerRestore": "always", "rebootRequired": false },
      "components": [
        { "name": "8E3A3A9C-7B1F-4A52-9E0F-2C4D6B8A1F35", "caption": "Online\\WEB01", "selectable": true, "selectableForRestore": true, "notifyOnBackupComplete": true, "files": [
          { "path": "D:\\Hyper-V\\WEB01\\Virtual Hard Disks", "filespec": "WEB01.vhdx" },
          { "path": "D:\\Hyper-V\\WEB01\\Virtual Machines", "filespec": "8E3A3A9C-7B1F-4A52-9E0F-2C4D6B8A1F35.vmcx" } ] },
        { "name": "2D9B5F61-0C3E-48A7-B1D4-6F8E0A2C4B97", "caption": "Offline\\DB01", "selectable": true, "selectableForRestore": true, "notifyOnBackupComplete": true, "files": [
          { "path": "D:\\Hyper-V\\DB01\\Virtual Hard Disks", "filespec": "DB01-os.vhdx" },
          { "path": "D:\\Hyper-V\\DB01\\Virtual Hard Disks", "filespec": "DB01-data.vhdx" },
          { "path": "D:\\Hyper-V\\DB01\\Virtual Machines", "filespec": "2D9B5F61-0C3E-48A7-B1D4-6F8E0A2C4B97.vmcx" } ] } ],
      "volumes": ["D:\\"] }
  ]
})json";

// An application server that keeps data on SMB 3 shares of a file server ("VSS for SMB File Shares",
// Windows Server 2012 and later): the File Share Shadow Copy provider (fssprov.dll, VSS_PROV_FILESHARE)
// is registered here, and fs1 runs the File Server VSS Agent Service (fssagent.dll). The provider id
// is the one diskshadow shows on Microsoft's "VSS for SMB File Shares" deployment page ("Provider ID:
// {89300202-3cec-4981-9171-19f59559e0f2}", "Attributes: No_Auto_Release Persistent FileShare"); the
// name and version as a public diagnostic script's provider listing shows them. The class id has no source.
const char* const kFileShares = R"json({
  "name": "file-shares",
  "base": "windows-server-2022",
  "providers": [
    { "providerId": "89300202-3cec-4981-9171-19f59559e0f2", "name": "Microsoft File Share Shadow Copy provider",
      "type": "fileshare", "version": "1.0.0.1", "versionId": "00000001-0000-0000-0000-000000000001",
      "classId": "fab3f3c3-5da2-4f16-b13b-2e0b3a5bb6c6" }
  ],
  "fileServers": [
    { "name": "fs1", "fqdn": "fs1.contoso.local", "addresses": ["10.0.0.5"],
      "shares": [ { "name": "Data", "volume": "E:\\" }, { "name": "Users", "volume": "E:\\" } ] },
    { "name": "nas-legacy", "fqdn": "nas-legacy.contoso.local", "agent": false,
      "shares": [ { "name": "Archive", "volume": "D:\\" } ] }
  ]
})json";

const char* const kEmpty = R"json({ "name": "empty",
  "providers": [
    { "providerId": "b5946137-7b9f-4925-af80-51abd60b20d5", "name": "Microsoft Software Shadow Copy provider 1.0",
      "type": "system", "version": "1.0.0.7", "versionId": "00000001-0000-0000-0000-000000000001",
      "classId": "65ee1dba-8ff4-4a58-ac1c-3470ee2f376a" } ],
  "volumes": [ { "name": "C:\\", "guid": "c7463abb-f40d-11e9-80c7-806e6f6e6963", "label": "Windows" } ]
})json";

}  // namespace

const std::vector<std::pair<std::string, const char*>>& BuiltInScenarios() {
  static const std::vector<std::pair<std::string, const char*>> scenarios = {
      {"windows-server-2022", kWindowsServer2022},
      {"sql-server", kSqlServer},
      {"hyper-v", kHyperV},
      {"empty", kEmpty},
      {"file-shares", kFileShares},
  };
  return scenarios;
}

}  // namespace sim
}  // namespace vss

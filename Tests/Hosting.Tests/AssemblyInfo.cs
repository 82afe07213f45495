// The orchestrator's process tests read /proc and rely on Linux process semantics (setsid, parent-death signals).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

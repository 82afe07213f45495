using System.Runtime.InteropServices;

namespace Aspire.Hosting.Processes;

internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool SendSignal(int pid, UnixSignal signal) => !OperatingSystem.IsWindows() && Kill(pid, (int)signal) == 0;

    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    public static bool IsProcessAlive(int pid) => !OperatingSystem.IsWindows() && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1);
}

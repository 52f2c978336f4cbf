using System.Runtime.InteropServices;

namespace KojiComposer.Builder.Osbuild;

/// <summary>The one libc call .NET does not offer: signalling a whole process group (<c>kill(-pgid, sig)</c>).</summary>
/// <remarks>DllImport, not LibraryImport: the signature is blittable, so no marshalling code is generated, and the
/// builder needs no unsafe code for it.</remarks>
internal static class Libc
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>kill(2); a negative <paramref name="pid"/> addresses the process group -pid.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);
}

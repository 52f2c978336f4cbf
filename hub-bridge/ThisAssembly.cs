using System.Reflection;

namespace KojiComposer.HubBridge;

/// <summary>Version strings for User-Agent, metadata and reports.</summary>
internal static class ThisAssembly
{
    public static string Version { get; } =
        typeof(ThisAssembly).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}

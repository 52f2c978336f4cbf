namespace KojiComposer.Config;

/// <summary>Marker for the configuration assembly.</summary>
public static class ConfigAssembly
{
    /// <summary>Name used in reports.</summary>
    public const string Name = "KojiComposer.Config";
}

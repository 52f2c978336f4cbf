namespace KojiComposer.Builder;

/// <summary>The builder: manifest generation, osbuild runs, artifacts and their Koji uploads (README, "Builder").</summary>
public static class BuilderAssembly
{
    /// <summary>Name used in health and version reports.</summary>
    public const string Name = "KojiComposer.Builder";
}

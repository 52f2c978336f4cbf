namespace KojiComposer.Builder;

/// <summary>
/// Image builds (manifest generation, osbuild, artifact uploads) land with the "Builder" issue.
/// This project exists now so that the solution's layout and reference rules are fixed from the start.
/// </summary>
public static class BuilderAssembly
{
    /// <summary>Name used in health and version reports.</summary>
    public const string Name = "KojiComposer.Builder";
}

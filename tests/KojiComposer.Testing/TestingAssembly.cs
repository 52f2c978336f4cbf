namespace KojiComposer.Testing;

/// <summary>Marker for the shared testing assembly.</summary>
public static class TestingAssembly
{
    /// <summary>Name used in reports.</summary>
    public const string Name = "KojiComposer.Testing";
}

namespace KojiComposer.Config.Tests;

/// <summary>A fact that needs file permissions to apply: root opens any file whatever its mode, so an unreadable
/// file cannot be made, and the test is skipped with that reason.</summary>
public sealed class NonRootFactAttribute : FactAttribute
{
    public NonRootFactAttribute()
    {
        if (string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Skip = "running as root: root reads files whatever their permissions, so EACCES cannot be produced";
        }
    }
}

namespace KojiComposer.Testing;

/// <summary>A principal of the test realm and the name of its keytab (<see cref="TestStack.Keytab"/>).</summary>
/// <param name="Name">Full principal name, <c>primary[/instance]@KOJI.TEST</c>.</param>
/// <param name="KeytabName">Keytab name without the <c>.keytab</c> suffix.</param>
public sealed record StackPrincipal(string Name, string KeytabName)
{
    /// <summary>Path of this principal's keytab on the running stack.</summary>
    public string KeytabPath => TestStack.Keytab(KeytabName);
}

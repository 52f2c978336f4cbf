namespace KojiComposer.Service;

/// <summary>Where commands write: results on <see cref="Out"/>, problems on <see cref="Error"/>. Tests pass their own
/// writers.</summary>
public sealed record ServiceConsole(TextWriter Out, TextWriter Error)
{
    public static ServiceConsole System { get; } = new(Console.Out, Console.Error);
}

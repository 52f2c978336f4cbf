namespace KojiComposer.Cli;

/// <summary>
/// Where commands write: data on <see cref="Out"/>, human text and errors on <see cref="Error"/> when the output is
/// JSON (dotnet/aspire CLI style), so <c>--format json</c> output can be piped.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public static CliConsole System { get; } = new(Console.Out, Console.Error);
}

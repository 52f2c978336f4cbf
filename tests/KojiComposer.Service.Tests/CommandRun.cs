namespace KojiComposer.Service.Tests;

/// <summary>Runs <c>kojicomposerd</c> in-process with captured output.</summary>
public sealed record CommandRun(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task<CommandRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await Program.RunAsync(args, new ServiceConsole(output, error), cancellationToken);
        return new CommandRun(code, output.ToString(), error.ToString());
    }

    public static Task<CommandRun> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);
}

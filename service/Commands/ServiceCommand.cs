using System.CommandLine;
using KojiComposer.Config;

namespace KojiComposer.Service.Commands;

/// <summary>
/// What both commands share: the command object, <c>--config</c>, and turning a bad configuration into its
/// problems on stderr (one <c>file:line: key: problem</c> line each) and exit code
/// <see cref="ExitCodes.Configuration"/>.
/// </summary>
public abstract class ServiceCommand
{
    private readonly Option<string> _config = new("--config", "-c")
    {
        Description = "Service config file",
        DefaultValueFactory = _ => KojiComposerConfiguration.DefaultPath,
    };

    protected ServiceCommand(ServiceConsole console, string name, string description)
    {
        Console = console;
        Name = name;
        Command = new Command(name, description);
        Command.Options.Add(_config);
        Command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(_config)!;
            KojiComposerOptions options;
            try
            {
                options = KojiComposerConfiguration.Load(path);
            }
            catch (ConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"kojicomposerd {name}: {path}: {Problems(e.Errors.Count)}:").ConfigureAwait(false);
                foreach (var error in e.Errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                return ExitCodes.Configuration;
            }

            return await ExecuteAsync(options, cancellationToken).ConfigureAwait(false);
        });
    }

    public Command Command { get; }

    protected ServiceConsole Console { get; }

    protected string Name { get; }

    protected abstract Task<int> ExecuteAsync(KojiComposerOptions options, CancellationToken cancellationToken);

    private static string Problems(int count) => count == 1 ? "1 problem in the configuration" : $"{count} problems in the configuration";
}

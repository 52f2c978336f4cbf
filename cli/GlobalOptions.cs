using System.CommandLine;

namespace KojiComposer.Cli;

/// <summary>Options every command takes, before or after its name (<c>kojicomposer -p stg watch 12</c> or
/// <c>kojicomposer watch 12 -p stg</c>), as koji's global options.</summary>
public static class GlobalOptions
{
    public static Option<string?> Profile { get; } = new("--profile", "-p")
    {
        Description = "Profile (a table of cli.toml) to use, like koji -p; default: koji",
        HelpName = "NAME",
        Recursive = true,
    };

    public static Option<string[]> CliConfig { get; } = new("--cli-config")
    {
        Description = "Read profiles from this file instead of /etc/kojicomposer/cli.toml and ~/.config/kojicomposer/cli.toml (may be given more than once; later files win)",
        HelpName = "FILE",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Hub { get; } = new("--hub")
    {
        Description = "Koji hub XML-RPC URL, instead of the profile's server",
        HelpName = "URL",
        Recursive = true,
    };

    public static Option<string?> Server { get; } = new("--server")
    {
        Description = "KojiComposer service URL, instead of the profile's service",
        HelpName = "URL",
        Recursive = true,
    };

    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only what was asked for (koji -q): no headings, no progress",
        Recursive = true,
    };

    public static Option<string> Format { get; } = new("--format")
    {
        Description = "Output: text (for people), or json (data only on stdout, messages on stderr)",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    };

    static GlobalOptions()
    {
        Format.AcceptOnlyFromAmong("text", "json");
    }

    /// <summary>Adds them to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Profile, CliConfig, Hub, Server, Quiet, Format })
        {
            root.Options.Add(option);
        }
    }
}

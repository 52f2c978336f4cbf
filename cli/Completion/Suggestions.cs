using System.CommandLine;
using System.CommandLine.Completions;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using KojiComposer.Config.Cli;

namespace KojiComposer.Cli.Completion;

/// <summary>
/// Completion sources for option values the parser cannot know by itself, answered through System.CommandLine's
/// <c>[suggest:N]</c> directive (what the <c>completion</c> scripts call): image types for
/// <c>osbuild-image --image-type</c>, compose states for <c>compose list --state</c>, and the profile names of the
/// cli.toml files for <c>-p</c>. Options are found by command path and name, so a command defines its options
/// where it likes and completion still reaches them; an option that already has sources keeps only its own.
/// </summary>
internal static partial class Suggestions
{
    /// <summary>
    /// The image types <c>osbuild-image</c> offers: the Cloud API names of our image-type catalogue
    /// (builder/Catalogue/catalogue.json, which is authoritative for what a build accepts; osbuild-run.md §7), then
    /// the old Koji-API names the task maps (<c>qcow2</c> → <c>guest-image</c>, <c>ec2</c> → <c>aws-rhui</c>, …;
    /// osbuildimage-task.md §4 step 6). A test keeps this list equal to the catalogue's.
    /// </summary>
    public static readonly IReadOnlyList<string> ImageTypes =
    [
        "guest-image", "aws", "aws-rhui", "aws-ha-rhui", "aws-sap-rhui", "aws-cvm", "azure", "azure-rhui", "azure-sap-rhui",
        "azure-sapapps-rhui", "azure-cvm", "gcp", "gcp-rhui", "vsphere", "vsphere-ova", "image-installer", "network-installer",
        "pxe-tar-xz", "wsl", "oci", "minimal-raw", "edge-commit", "edge-container", "edge-installer", "edge-raw-image",
        "edge-simplified-installer", "live-installer", "everything-network-installer", "server-network-installer", "iot-commit",
        "iot-container", "iot-installer", "iot-raw-image", "iot-simplified-installer",
        "qcow2", "ec2", "ec2-ha", "ec2-sap",
    ];

    /// <summary>The compose states the service's <c>state</c> filter takes (lower case, as on the wire).</summary>
    public static readonly IReadOnlyList<string> ComposeStates = ["pending", "running", "finalizing", "success", "failure", "canceled"];

    // Options can be static (the global ones are shared by every root Program builds): give each one source only,
    // and find the invocation's console through the root command the completion runs on.
    private static readonly ConditionalWeakTable<Option, object> Decorated = new();
    private static readonly ConditionalWeakTable<Command, CliConsole> Consoles = new();

    /// <summary>Adds the sources to the command tree of <paramref name="root"/>.</summary>
    public static void AddTo(RootCommand root, CliConsole console)
    {
        Consoles.AddOrUpdate(root, console);
        Add(GlobalOptions.Profile, context => Profiles(context));
        Add(Find(root, ["osbuild-image"], "--image-type"), _ => ImageTypes);
        Add(Find(root, ["compose", "list"], "--state"), _ => ComposeStates);
    }

    private static void Add(Option? option, Func<CompletionContext, IEnumerable<string>> source)
    {
        if (option is null)
        {
            return;
        }

        lock (Decorated)
        {
            if (Decorated.TryGetValue(option, out _) || option.CompletionSources.Count > 0)
            {
                return;
            }

            Decorated.Add(option, new object());
            option.CompletionSources.Add(context => source(context).Select(s => new CompletionItem(s)));
        }
    }

    private static Option? Find(Command root, string[] path, string option)
    {
        Command? command = root;
        foreach (var name in path)
        {
            command = command?.Subcommands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        }

        return command?.Options.FirstOrDefault(o => string.Equals(o.Name, option, StringComparison.Ordinal) || o.Aliases.Contains(option, StringComparer.Ordinal));
    }

    /// <summary>The profile names (top-level tables) of the cli.toml files this invocation reads: the
    /// <c>--cli-config</c> files given so far on the line, else the system's and the user's. Read leniently (table
    /// headers only): a file with an error still offers its profiles.</summary>
    private static IEnumerable<string> Profiles(CompletionContext context)
    {
        var root = context.ParseResult.RootCommandResult.Command;
        var console = Consoles.TryGetValue(root, out var found) ? found : CliConsole.System;
        var given = context.ParseResult.GetValue(GlobalOptions.CliConfig);
        IReadOnlyList<string> files = given is { Length: > 0 }
            ? given
            : [CliConfiguration.SystemPath, CliConfiguration.UserPath(console.Home, console.Environment("XDG_CONFIG_HOME"))];
        var names = new List<string>();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            names.AddRange(TableHeader().Matches(text).Select(m => m.Groups["name"].Value.Trim('"')));
        }

        return names.Distinct(StringComparer.Ordinal);
    }

    // [name] or ["name"] alone on a line (a comment may follow); dotted headers ([a.b]) are not profiles.
    [GeneratedRegex(@"^[ \t]*\[[ \t]*(?<name>[A-Za-z0-9_-]+|""[^""\n]+"")[ \t]*\][ \t]*(#.*)?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TableHeader();
}

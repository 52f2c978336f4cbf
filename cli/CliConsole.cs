using System.Runtime.InteropServices;
using Spectre.Console;

namespace KojiComposer.Cli;

/// <summary>
/// Where commands write and what they may know of their surroundings: data on <see cref="Out"/>, human text and
/// errors on <see cref="Error"/> (with <c>--format json</c> only data reaches <see cref="Out"/>, dotnet/aspire
/// CLI style, so it can be piped); whether a terminal is attached; the environment and the home directory. Tests
/// build one with captured writers and a fixed environment.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public static CliConsole System { get; } = new(Console.Out, Console.Error)
    {
        IsOutputTerminal = !Console.IsOutputRedirected,
        IsInputTerminal = !Console.IsInputRedirected,
        InBackground = RunningInBackground,
        Environment = global::System.Environment.GetEnvironmentVariable,
        Width = () => Console.IsOutputRedirected ? 80 : Math.Max(40, Console.WindowWidth),
    };

    /// <summary>True when <see cref="Out"/> is a terminal: live progress instead of plain lines.</summary>
    public bool IsOutputTerminal { get; init; }

    /// <summary>True when standard input is a terminal.</summary>
    public bool IsInputTerminal { get; init; }

    /// <summary>koji's <c>_running_in_bg()</c>: standard input is no terminal, or our process group is not the
    /// terminal's foreground group (<c>cmd &amp;</c>). <c>osbuild-image</c> then does not wait unless told to.</summary>
    public Func<bool> InBackground { get; init; } = () => true;

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; init; } = _ => null;

    /// <summary>The terminal's width in columns (80 when not a terminal).</summary>
    public Func<int> Width { get; init; } = () => 80;

    /// <summary>The Spectre.Console console live displays (progress bars) draw on when <see cref="IsOutputTerminal"/>;
    /// null: one is made from <see cref="Out"/> with Spectre's ANSI and colour detection. Tests pass a TestConsole.</summary>
    public IAnsiConsole? Terminal { get; init; }

    /// <summary>The home directory (<c>HOME</c>).</summary>
    public string? Home => Environment("HOME");

    private static bool RunningInBackground()
    {
        if (Console.IsInputRedirected)
        {
            return true;
        }

        try
        {
            var group = NativeMethods.getpgrp();
            var foreground = NativeMethods.tcgetpgrp(0);
            return foreground < 0 || group != foreground;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    // DllImport: blittable signatures, no marshalling code, no unsafe code needed.
    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "getpgrp")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int getpgrp();

        [DllImport("libc", EntryPoint = "tcgetpgrp", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int tcgetpgrp(int fd);
    }
}

using KojiComposer.Cli.Service;
using KojiComposer.HubBridge.Sessions;
using Spectre.Console;
using static KojiComposer.Cli.Commands.BaseCommand;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// Follows a Koji task or a compose until it ends and returns the exit code (<see cref="ExitCodes"/>): 0 when it
/// succeeded, 1 when it failed or was canceled (for a task, Koji's state decides), 130 when interrupted. Reads the
/// service's API when the profile names a service, else (or when the service does not answer) the task on the hub;
/// shows a live display on a terminal, plain lines otherwise, the final status as JSON with <c>--format json</c>.
/// <c>watch</c> runs it; so can <c>osbuild-image --wait</c> with the task it created.
/// </summary>
public sealed class WatchRunner
{
    private readonly CommandContext _context;
    private readonly string _command;

    /// <param name="context">The invocation (profile, console, output options).</param>
    /// <param name="command">The command's name, for messages (<c>watch</c>, <c>osbuild-image</c>).</param>
    public WatchRunner(CommandContext context, string command = "watch")
    {
        _context = context;
        _command = command;
    }

    /// <summary>How long the hub or the service may go without answering in the middle of a watch before it gives
    /// up (koji's CLI tries each call 30 times, 20 s apart). A restart is waited out: the build goes on meanwhile.</summary>
    internal TimeSpan OutageLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a compose may take to end after its Koji task did (a canceled task's compose is stopped
    /// by the builder, which looks at least every 30 s); then the watch ends with Koji's outcome all the same.</summary>
    internal TimeSpan ComposeGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock the outage limit and the grace are measured with.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Watches <paramref name="target"/> to its end.</summary>
    /// <exception cref="CliException">Unknown task or compose (9), a compose id without a service (3), no answer
    /// for <see cref="OutageLimit"/> (the code of the last error).</exception>
    /// <exception cref="ServiceException">The service failed, or does not answer and there is no hub to turn to.</exception>
    public async Task<int> RunAsync(WatchTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var watchingTask = target.TaskId is not null;
        if (!watchingTask && !_context.HasService)
        {
            throw new CliException(ExitCodes.Configuration,
                $"{target} can only be followed through the KojiComposer service, and profile [{_context.Profile.Name}] names none: set service = \"https://kojicomposer.example.com\" in it, or pass --server URL");
        }

        // The hub is read anonymously, for the task's own state; a watched compose needs only the service.
        using var hub = watchingTask && (_context.Profile.Server is not null || !_context.HasService) ? _context.OpenHub() : null;
        var reader = hub is null ? null : new KojiTaskReader(hub, target.TaskId!.Value);
        WatchSource source;
        if (_context.HasService)
        {
            source = new ServiceWatchSource(_context.Service, target, reader);
        }
        else
        {
            if (!_context.Quiet)
            {
                await _context.Console.Error.WriteLineAsync(
                    $"kojicomposer {_command}: profile [{_context.Profile.Name}] names no KojiComposer service: following {target} on the hub (its compose-status.json)").ConfigureAwait(false);
            }

            source = new HubWatchSource(hub!, reader!);
        }

        var view = CreateView(watchingTask);
        var live = view is LiveWatchView;
        var displaying = false;
        string? notice = null;

        // On stderr; in the live display while it owns the terminal (a line written under it would break it), until
        // cleared with null.
        async Task NoticeAsync(string? text)
        {
            if (live && displaying)
            {
                notice = text;
            }
            else if (text is not null)
            {
                await _context.Console.Error.WriteLineAsync($"kojicomposer {_command}: {text}").ConfigureAwait(false);
            }
        }

        async Task<WatchState> ReadAsync(CancellationToken ct)
        {
            try
            {
                return await source.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (ServiceException e) when ((e.Unreachable || e.Status >= 500) && hub is not null && source is ServiceWatchSource)
            {
                // Said once: from now on the hub is read.
                await NoticeAsync($"{e.Message.ReplaceLineEndings(" ")}; following {target} on the hub instead").ConfigureAwait(false);
                source = new HubWatchSource(hub, reader!);
                return await source.ReadAsync(ct).ConfigureAwait(false);
            }
        }

        long? outageSince = null;

        // A read in the middle of the watch: a hub or service that does not answer for a while (a restart) is waited
        // out, showing the last state; null when this read failed so.
        async Task<WatchState?> ReadOnAsync(CancellationToken ct)
        {
            try
            {
                var state = await ReadAsync(ct).ConfigureAwait(false);
                if (outageSince is not null)
                {
                    outageSince = null;
                    await NoticeAsync(null).ConfigureAwait(false);
                }

                return state;
            }
            catch (Exception e) when (Transient(e) && !ct.IsCancellationRequested)
            {
                var now = Time.GetTimestamp();
                outageSince ??= now;
                var message = e.Message.ReplaceLineEndings(" ");
                if (Time.GetElapsedTime(outageSince.Value, now) >= OutageLimit)
                {
                    throw new CliException(ExitCodeFor(e) ?? ExitCodes.Failure,
                        $"{message}; no answer for {Duration(OutageLimit)}, so the watch stops; {target} goes on: watch it again with: kojicomposer watch {target.Argument}");
                }

                if (outageSince == now)
                {
                    await NoticeAsync($"{message}; still watching: asking again every {Duration(_context.Profile.PollInterval)}").ConfigureAwait(false);
                }

                return null;
            }
        }

        WatchState? latest = null;
        WatchState state;
        try
        {
            // The first read before any display: an unknown task or compose is only an error line.
            latest = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var first = latest;
            state = await view.RunAsync(async update =>
            {
                displaying = true;
                var now = first;
                long? taskEnded = null;
                update(now with { Notice = notice });
                while (!Ended(now, watchingTask))
                {
                    if (watchingTask && now.TaskFinal)
                    {
                        taskEnded ??= Time.GetTimestamp();
                        if (Time.GetElapsedTime(taskEnded.Value) >= ComposeGrace)
                        {
                            break; // the compose's last state is shown as it is
                        }
                    }

                    await Task.Delay(_context.Profile.PollInterval, cancellationToken).ConfigureAwait(false);
                    if (await ReadOnAsync(cancellationToken).ConfigureAwait(false) is { } read)
                    {
                        latest = now = read;
                    }

                    update(now with { Notice = notice });
                }

                return now;
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // koji's watcher: "Tasks still running. You can continue to watch with the 'koji watch-task' command."
            var subject = latest?.Nvr is { } nvr ? $"{target} ({nvr})" : target.ToString();
            await _context.Console.Error.WriteLineAsync(
                $"kojicomposer {_command}: interrupted; {subject} goes on: watch it again with: kojicomposer watch {target.Argument}").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        var result = state.Result(watchingTask) ?? state.ComposeStatus ?? "unknown";
        if (!(_context.Json && _context.Quiet))
        {
            view.Finish(state, result);
        }

        if (_context.Json)
        {
            await _context.Console.Out.WriteLineAsync(WatchJson.Serialize(state, result)).ConfigureAwait(false);
        }

        return string.Equals(result, "success", StringComparison.Ordinal) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Errors that a later read may not have: the hub or the service unreachable or failing on its side
    /// (5xx, a restart), or the hub saying it is offline. Not: no such task, refused logins, bad replies.</summary>
    private static bool Transient(Exception e) => e switch
    {
        HubBridge.KojiException koji => koji.IsTransient,
        ServiceException service => service.Unreachable || service.Status is >= 500 or 408 or 429,
        _ => false,
    };

    private static string Duration(TimeSpan time) => time.TotalMinutes >= 1
        ? $"{time.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} min"
        : $"{time.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s";

    /// <summary>The end: the compose is final, and for a task the task too (Koji closes it only after the import
    /// and tagging). A task that ended without a compose of ours ends the watch as well, and so does one followed on
    /// the hub, whose documents are final once the task is.</summary>
    private static bool Ended(WatchState state, bool watchingTask)
    {
        if (watchingTask && state.TaskState is not null)
        {
            return state.TaskFinal && (state.ComposeStatus is null || state.ComposeFinal || state.FromHub);
        }

        return state.ComposeFinal;
    }

    private IWatchView CreateView(bool watchingTask)
    {
        var console = _context.Console;
        if (console.IsOutputTerminal && !_context.Quiet && !_context.Json)
        {
            return new LiveWatchView(console.Terminal ?? CreateTerminal(console), watchingTask);
        }

        return new PlainWatchView(_context.Human, _context.Quiet, watchingTask);
    }

    /// <summary>The real terminal: stdout, with Spectre's detection of ANSI, colours (NO_COLOR) and width.</summary>
    private static IAnsiConsole CreateTerminal(CliConsole console) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(console.Out),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Detect,
    });
}

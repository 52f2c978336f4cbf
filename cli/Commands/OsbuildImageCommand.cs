using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.Encodings.Web;
using System.Text.Json;
using KojiComposer.Cli.Koji;
using KojiComposer.Cli.Watch;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// <c>kojicomposer osbuild-image NAME VERSION DISTRO TARGET ARCH... [options]</c>: the stock
/// <c>koji osbuild-image</c> (koji-osbuild plugins/cli/osbuild.py; osbuildimage-task.md §9) with the same
/// arguments, options, printed lines, wire request and exit codes for the task's outcome. It checks the target
/// anonymously, prints what it will ask for (opts as Python's <c>pprint</c> shows them), logs in, calls
/// <c>osbuildImage(…, opts=opts)</c>, prints <c>Created task: N</c> and, unless told not to or running in the
/// background, logs out and watches the task like koji's <c>watch_tasks</c>, printing the result at the end.
/// </summary>
/// <remarks>
/// Exit codes: 0 done (or the task closed); 1 the task failed or was canceled, the target or its destination tag
/// does not exist, or a JSON file cannot be used (stock koji exits 1 for every such error, a <c>GenericError</c>
/// from the plugin included); 2 the command line is wrong (optparse's code); 4 Kerberos or the hub refused the
/// login; 5 the hub cannot be reached (while watching: for 10 minutes; shorter outages are waited out); 6 the hub
/// refused the task (a fault: permission, schema); 130 interrupted (while watching, the task goes on; while the hub
/// created it, the task may exist).
/// </remarks>
public sealed class OsbuildImageCommand : BaseCommand
{
    private const string TooFewArguments =
        "At least five arguments are required: a name, a version, a distribution, a build target, and 1 or more architectures.";

    // All optional to the parser: too few get the stock plugin's message (and exit code 2) instead of the parser's.
    private readonly Argument<string?> _name = new("NAME") { Description = "Package name of the build (the N of its NVR)", Arity = ArgumentArity.ZeroOrOne };

    private readonly Argument<string?> _version = new("VERSION") { Description = "Version of the build (the V of its NVR)", Arity = ArgumentArity.ZeroOrOne };

    private readonly Argument<string?> _distro = new("DISTRO") { Description = "Distribution to build the images of: fedora-42, rhel-9.6, rhel-9, centos-9, ...", Arity = ArgumentArity.ZeroOrOne };

    private readonly Argument<string?> _target = new("TARGET") { Description = "Koji build target: its build tag gives the packages, its destination tag gets the build", Arity = ArgumentArity.ZeroOrOne };

    private readonly Argument<string[]> _arches = new("ARCH") { Description = "Architectures to build for, one image each (x86_64, aarch64, ppc64le, s390x)", Arity = ArgumentArity.ZeroOrMore };

    private readonly Option<string?> _imageType = LastWins(
        "--image-type", "TYPE", "Image type to build for every architecture: guest-image, ami, vhd, gce, iot-commit, container, ... (the old Koji names qcow2, ec2, ec2-ha and ec2-sap still work)", "guest-image");

    private readonly Option<string?> _release = LastWins(
        "--release", "RELEASE", "Release of the build, instead of the next free one for NAME-VERSION the builder asks the hub for");

    private readonly Option<string[]> _repo = new("--repo")
    {
        HelpName = "URL",
        Description = "Install the packages from this repository instead of the target's build tag repo. Repeat it for several; $arch in the URL becomes each image's architecture",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _repoPackageSets = new("--repo-package-sets")
    {
        HelpName = "\"SET; SET\"",
        Description = "Package sets the --repo just before it serves, separated by ';' (for example \"build; os\"). Repeat it to add more to the same repository",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _ostreeParent = LastWins("--ostree-parent", "REF", "OSTree image types: the commit (ref or checksum) the new commit builds on");

    private readonly Option<string?> _ostreeRef = LastWins("--ostree-ref", "REF", "OSTree image types: the ref the new commit is made for (for example fedora/42/$arch/iot)");

    private readonly Option<string?> _ostreeUrl = LastWins("--ostree-url", "URL", "OSTree image types: URL of the OSTree repository that holds the parent commit");

    private readonly Option<string?> _customizations = LastWins("--customizations", "FILE", "JSON file of compose customizations (packages, users, filesystem, subscription, partitioning_mode, ...), sent as they are");

    private readonly Option<string?> _uploadOptions = LastWins(
        "--upload-options", "FILE", "JSON file of cloud upload options for every image (for example {\"region\": \"us-east-1\", \"share_with_accounts\": [\"123456789012\"]}); the image type decides the cloud");

    private readonly Option<bool> _skipTag = new("--skip-tag")
    {
        Description = "Do not tag the build into the target's destination tag",
        Arity = ArgumentArity.Zero,
    };

    private readonly Option<bool> _wait = new("--wait")
    {
        Description = "Watch the task until it ends, even in the background (watching is the default in a terminal)",
        Arity = ArgumentArity.Zero,
    };

    private readonly Option<bool> _noWait = new("--nowait")
    {
        Description = "Return once the task is created (the default in the background, e.g. from scripts or cron). The last of --wait and --nowait counts",
        Arity = ArgumentArity.Zero,
    };

    public OsbuildImageCommand(CliConsole console)
        : base(console, "osbuild-image", "Build images with osbuild as a Koji osbuildImage task, like koji osbuild-image: one image per ARCH of NAME-VERSION for DISTRO, imported as one Koji build and tagged into the TARGET's destination tag")
    {
        foreach (var argument in new Argument[] { _name, _version, _distro, _target, _arches })
        {
            Command.Arguments.Add(argument);
        }

        Add(_imageType, _release, _repo, _repoPackageSets, _ostreeParent, _ostreeRef, _ostreeUrl, _customizations, _uploadOptions, _skipTag, _wait, _noWait);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = ReadRequest(parse);
        using var hub = context.OpenHub();
        await CheckTargetAsync(hub, request.Target, cancellationToken).ConfigureAwait(false);
        if (!context.Quiet)
        {
            await PrintRequestAsync(context.Human, request).ConfigureAwait(false);
        }

        long taskId;
        string? taskUrl;
        await using (var session = await context.LoginAsync(cancellationToken).ConfigureAwait(false))
        {
            taskId = await SubmitAsync(session, request, cancellationToken).ConfigureAwait(false);
            // The task exists: its id is printed before anything else can go wrong or be interrupted.
            taskUrl = context.Profile.EffectiveWebUrl is { } web ? $"{web.AbsoluteUri.TrimEnd('/')}/taskinfo?taskID={taskId}" : null;
            if (!context.Quiet)
            {
                await context.Human.WriteLineAsync($"Created task: {taskId}").ConfigureAwait(false);
                if (taskUrl is null)
                {
                    await Console.Error.WriteLineAsync($"kojicomposer {Name}: hint: set weburl = \"https://koji.example.com/koji\" in profile [{context.Profile.Name}] for a Task info link").ConfigureAwait(false);
                }
                else
                {
                    await context.Human.WriteLineAsync($"Task info: {taskUrl}").ConfigureAwait(false);
                }

                await context.Human.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            // The stock CLI logs out before watching; watching reads anonymously.
            await session.LogoutAsync(cancellationToken).ConfigureAwait(false);
        }

        var submitted = new Submitted(request, taskId, taskUrl);
        if (request.Wait is false || (request.Wait is null && context.Console.InBackground()))
        {
            if (context.Json)
            {
                await WriteJsonAsync(submitted, null).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        if (context.Console.IsOutputTerminal && !context.Quiet && !context.Json)
        {
            return await WatchLiveAsync(context, hub, submitted, cancellationToken).ConfigureAwait(false);
        }

        return await WatchAsync(context, hub, submitted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On a terminal: what koji's watcher cannot show, each image's live progress (the watch command's
    /// display), then the task result as the stock CLI prints it. Piped or logged, the koji lines stay.</summary>
    private async Task<int> WatchLiveAsync(CommandContext context, KojiHubConnection hub, Submitted submitted, CancellationToken cancellationToken)
    {
        var code = await new WatchRunner(context, Name).RunAsync(WatchTarget.Task(submitted.TaskId), cancellationToken).ConfigureAwait(false);
        if (code == ExitCodes.Success)
        {
            var result = await hub.GetTaskResultAsync(submitted.TaskId, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(PythonRepr.Of(result)).ConfigureAwait(false);
        }

        return code;
    }

    private async Task<int> WatchAsync(CommandContext context, KojiHubConnection hub, Submitted submitted, CancellationToken cancellationToken)
    {
        var watcher = new KojiTaskWatcher(hub, context.Human, context.Profile.PollInterval)
        {
            Quiet = context.Quiet,
            Notices = Console.Error,
            Command = $"kojicomposer {Name}",
            TasksExist = true,
        };
        var watched = new WatchOutcome();
        try
        {
            var code = await watcher.WatchAsync([submitted.TaskId], cancellationToken).ConfigureAwait(false);
            var task = watcher.Tasks.First(t => t.Id == submitted.TaskId);
            watched.State = task.Info?.State;
            if (code == ExitCodes.Success)
            {
                watched.Result = await hub.GetTaskResultAsync(submitted.TaskId, cancellationToken).ConfigureAwait(false);
                if (!context.Json)
                {
                    // print(result) in the stock CLI: the dict's repr, also with -q.
                    await Console.Out.WriteLineAsync(PythonRepr.Of(watched.Result)).ConfigureAwait(false);
                }
            }
            else if (context.Json && watched.State == KojiTaskState.Failed)
            {
                watched.Failure = task.Failure ?? await ResultFaultAsync(hub, submitted.TaskId, cancellationToken).ConfigureAwait(false);
            }

            return code;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            watched.State = watcher.Tasks.FirstOrDefault(t => t.Id == submitted.TaskId)?.Info?.State;
            if (context.Quiet)
            {
                // Otherwise the watcher has said so, with the tasks still running.
                await Console.Error.WriteLineAsync($"kojicomposer {Name}: interrupted; task {submitted.TaskId} goes on in Koji: watch it with 'kojicomposer watch {submitted.TaskId}'").ConfigureAwait(false);
            }

            return ExitCodes.Interrupted;
        }
        finally
        {
            if (context.Json)
            {
                await WriteJsonAsync(submitted, watched).ConfigureAwait(false);
            }
        }
    }

    private static async Task<KojiFaultException?> ResultFaultAsync(KojiCaller hub, long taskId, CancellationToken cancellationToken)
    {
        try
        {
            await hub.GetTaskResultAsync(taskId, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (KojiFaultException fault)
        {
            return fault;
        }
    }

    /// <summary>An option with one value that, like optparse's, may be given again: the last one counts (a script's
    /// defaults followed by an override). System.CommandLine would refuse the second.</summary>
    private static Option<string?> LastWins(string name, string helpName, string description, string? defaultValue = null)
    {
        var option = new Option<string?>(name)
        {
            HelpName = helpName,
            Description = description,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => result.Tokens.Count > 0 ? result.Tokens[^1].Value : defaultValue,
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        return option;
    }

    /// <summary>
    /// optparse (the stock plugin's parser) takes an unambiguous beginning of a long option for the option
    /// (<c>--image qcow2</c>, <c>--now</c>) and refuses any other word starting with '-' before <c>--</c>.
    /// System.CommandLine would make such a word a positional argument, i.e. an ARCH of the task. Returns the
    /// command line with the abbreviations written out, or null when it has none.
    /// </summary>
    /// <exception cref="BaseCommand.CliException">An unknown or ambiguous option (exit 2).</exception>
    private List<string>? ExpandAbbreviations(ParseResult parse)
    {
        var positional = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (var argument in new Argument[] { _name, _version, _distro, _target, _arches })
        {
            if (parse.GetResult(argument) is { } result)
            {
                positional.UnionWith(result.Tokens);
            }
        }

        var longOptions = Command.Options.Where(o => o is not HelpOption && o.Name.StartsWith("--", StringComparison.Ordinal)).Select(o => o.Name).ToList();
        var words = new List<string>(parse.Tokens.Count);
        var expanded = false;
        var afterDoubleDash = false;
        foreach (var token in parse.Tokens)
        {
            afterDoubleDash |= token.Type == TokenType.DoubleDash;
            var word = token.Value;
            if (afterDoubleDash || word.Length < 2 || word[0] != '-' || !positional.Contains(token))
            {
                words.Add(word);
                continue;
            }

            var equals = word.IndexOf('=', StringComparison.Ordinal);
            var typed = equals < 0 ? word : word[..equals];
            var matches = typed.StartsWith("--", StringComparison.Ordinal)
                ? longOptions.Where(o => o.StartsWith(typed, StringComparison.Ordinal)).ToList()
                : [];
            switch (matches.Count)
            {
                case 1:
                    words.Add(matches[0] + (equals < 0 ? "" : word[equals..]));
                    expanded = true;
                    break;
                case 0:
                    throw new CliException(ExitCodes.Usage, $"no such option: {typed} (kojicomposer {Name} --help lists the options; put -- before an argument that starts with '-')");
                default:
                    throw new CliException(ExitCodes.Usage, $"ambiguous option: {typed} could be {string.Join(", ", matches)}");
            }
        }

        return expanded ? words : null;
    }

    /// <summary>The command line as the stock plugin's <c>parse_args</c> reads it.</summary>
    /// <exception cref="BaseCommand.CliException">A usage error (exit 2), or a JSON file that cannot be used (exit 1).</exception>
    internal OsbuildImageRequest ReadRequest(ParseResult parse)
    {
        if (ExpandAbbreviations(parse) is { } words)
        {
            parse = parse.RootCommandResult.Command.Parse(words);
            if (parse.Errors.Count > 0)
            {
                throw new CliException(ExitCodes.Usage, parse.Errors[0].Message);
            }
        }

        // --repo and --repo-package-sets depend on each other's order, and the last of --wait/--nowait counts:
        // System.CommandLine keeps per-option value lists, so the tokens are walked in command-line order.
        var repos = new OsbuildImageRepos();
        bool? wait = null;
        var tokens = parse.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type != TokenType.Option)
            {
                continue;
            }

            var option = tokens[i].Value;
            if (option == _repo.Name || option == _repoPackageSets.Name)
            {
                var value = i + 1 < tokens.Count && tokens[i + 1].Type == TokenType.Argument ? tokens[++i].Value : "";
                if (option == _repo.Name)
                {
                    repos.AddRepo(value);
                }
                else if (!repos.AddPackageSets(value))
                {
                    throw new CliException(ExitCodes.Usage, $"Need '--repo' for {_repoPackageSets.Name}");
                }
            }
            else if (option == _wait.Name)
            {
                wait = true;
            }
            else if (option == _noWait.Name)
            {
                wait = false;
            }
        }

        var arches = parse.GetValue(_arches) ?? [];
        if (parse.GetValue(_name) is not { } name || parse.GetValue(_version) is not { } version || parse.GetValue(_distro) is not { } distro
            || parse.GetValue(_target) is not { } target || arches.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, TooFewArguments);
        }

        // opts holds only what was given, in the stock plugin's order (it is the order on the wire).
        var opts = new XmlRpcStruct();
        if (parse.GetValue(_release) is { Length: > 0 } release)
        {
            opts["release"] = release;
        }

        if (repos.Entries.Count > 0)
        {
            opts["repo"] = repos.Entries.Cast<object?>().ToArray();
        }

        if (parse.GetValue(_skipTag))
        {
            opts["skip_tag"] = true;
        }

        var ostree = new XmlRpcStruct();
        foreach (var (key, source) in new[] { ("parent", _ostreeParent), ("ref", _ostreeRef), ("url", _ostreeUrl) })
        {
            if (parse.GetValue(source) is { Length: > 0 } value)
            {
                ostree[key] = value;
            }
        }

        if (ostree.Count > 0)
        {
            opts["ostree"] = ostree;
        }

        LoadJson(opts, "customizations", _customizations, parse);
        LoadJson(opts, "upload_options", _uploadOptions, parse);
        return new OsbuildImageRequest(name, version, distro, parse.GetValue(_imageType) ?? "guest-image", target, arches, opts, wait);
    }

    private static void LoadJson(XmlRpcStruct opts, string key, Option<string?> option, ParseResult parse)
    {
        if (parse.GetValue(option) is not { Length: > 0 } path)
        {
            return;
        }

        try
        {
            opts[key] = JsonValues.LoadFile(option.Name, path);
        }
        catch (JsonFileException e)
        {
            throw new CliException(ExitCodes.Failure, e.Message);
        }
    }

    // check_target in the stock plugin: quick feedback before logging in.
    private static async Task CheckTargetAsync(KojiCaller hub, string target, CancellationToken cancellationToken)
    {
        var info = await hub.GetBuildTargetAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ExitCodes.Failure, $"Unknown build target: {target} (koji list-targets shows the targets the hub has)");
        _ = await hub.GetTagAsync(info.DestTag, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ExitCodes.Failure, $"Unknown destination tag: {info.DestTagName} (target {target} points at a tag that does not exist; a Koji admin must fix the target)");
    }

    private static async Task PrintRequestAsync(TextWriter output, OsbuildImageRequest request)
    {
        await output.WriteLineAsync($"name: {request.Name}").ConfigureAwait(false);
        await output.WriteLineAsync($"version: {request.Version}").ConfigureAwait(false);
        await output.WriteLineAsync($"distro: {request.Distro}").ConfigureAwait(false);
        await output.WriteLineAsync($"arches: {string.Join(", ", request.Arches)}").ConfigureAwait(false);
        await output.WriteLineAsync($"target: {request.Target}").ConfigureAwait(false);
        await output.WriteLineAsync($"image type: {request.ImageType}").ConfigureAwait(false);
        await output.WriteLineAsync(PythonPprint.Format(request.Opts)).ConfigureAwait(false);
    }

    private async Task<long> SubmitAsync(KojiSession session, OsbuildImageRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await session.OsbuildImageAsync(
                request.Name, request.Version, request.Distro, request.ImageType, request.Target, request.Arches, request.Opts, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call was sent; the hub may have created the task all the same.
            throw new CliException(ExitCodes.Interrupted,
                "interrupted while the hub was creating the task: it may exist all the same; look with 'koji list-tasks --mine --method osbuildImage' before submitting again");
        }
        catch (KojiFaultException fault)
        {
            // A schema error carries jsonschema's whole report; its first line says what is wrong.
            var text = fault.FaultString.Split('\n', 2)[0].TrimEnd();
            var hint = fault.FaultCode switch
            {
                KojiFaults.ActionNotAllowed when text.StartsWith("image permission required", StringComparison.Ordinal) =>
                    " (ask a Koji admin for the image permission: koji grant-permission image USER)",
                KojiFaults.ParameterError => " (the hub's osbuild plugin refused the options)",
                _ => "",
            };
            throw new CliException(ExitCodeFor(fault) ?? ExitCodes.HubError, $"koji hub {session.HubUrl}: {Name}: {fault.FaultName} (fault {fault.FaultCode}): {text}{hint}");
        }
    }

    private async Task WriteJsonAsync(Submitted submitted, WatchOutcome? watched)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: URLs and texts stay readable ("&", "'", non-ASCII); the output is data, not HTML.
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var request = submitted.Request;
            json.WriteStartObject();
            json.WriteNumber("task_id", submitted.TaskId);
            json.WriteString("task_url", submitted.TaskUrl);
            json.WriteString("name", request.Name);
            json.WriteString("version", request.Version);
            json.WriteString("distro", request.Distro);
            json.WriteString("image_type", request.ImageType);
            json.WriteString("target", request.Target);
            json.WritePropertyName("arches");
            JsonValues.Write(json, request.Arches);
            json.WritePropertyName("opts");
            JsonValues.Write(json, request.Opts);
            if (watched is not null)
            {
                json.WriteString("state", watched.State?.ToString().ToLowerInvariant());
                if (watched.State == KojiTaskState.Closed)
                {
                    json.WritePropertyName("result");
                    JsonValues.Write(json, watched.Result);
                }
                else if (watched.Failure is { } fault)
                {
                    json.WriteStartObject("error");
                    json.WriteNumber("fault_code", fault.FaultCode);
                    json.WriteString("fault_name", fault.FaultName);
                    json.WriteString("fault_string", fault.FaultString);
                    json.WriteEndObject();
                }
            }

            json.WriteEndObject();
        }

        await Console.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
    }

    private sealed record Submitted(OsbuildImageRequest Request, long TaskId, string? TaskUrl);

    private sealed class WatchOutcome
    {
        public KojiTaskState? State { get; set; }

        public object? Result { get; set; }

        public KojiFaultException? Failure { get; set; }
    }
}

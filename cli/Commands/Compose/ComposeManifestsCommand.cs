using System.CommandLine;
using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// <c>kojicomposer compose manifests ID|TASK [--output-dir DIR]</c>: the osbuild manifests of a compose's images.
/// With a directory: one <c>&lt;arch&gt;-&lt;image_type&gt;.manifest.json</c> per image (the names the Koji task's
/// attachments have), saying which were written; without: the API's ComposeManifests on stdout.
/// </summary>
internal sealed class ComposeManifestsCommand : ComposeReferenceCommand
{
    private readonly Option<DirectoryInfo?> _outputDir = new("--output-dir", "-o") { Description = "Write one <arch>-<image_type>.manifest.json per image into DIR (made if missing) instead of printing" };

    public ComposeManifestsCommand(CliConsole console)
        : base(console, "manifests", "Get the osbuild manifests of a compose's images")
    {
        Add(_outputDir);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var compose = await ResolveAsync(context, parse, cancellationToken).ConfigureAwait(false);
        var answer = await context.Service.GetManifestsAsync(Guid.Parse(compose.Id), cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(_outputDir) is not { } directory)
        {
            await Console.Out.WriteLineAsync(answer.ToJsonString(context.Json ? Json.Output : Json.Indented)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var manifests = answer["manifests"] as JsonArray ?? [];
        var images = compose.Images;
        var names = FileNames(images);
        var written = new JsonArray();
        try
        {
            Directory.CreateDirectory(directory.FullName);
            for (var i = 0; i < images.Count; i++)
            {
                if (i >= manifests.Count || manifests[i] is not JsonObject { Count: > 0 } manifest)
                {
                    await context.Human.WriteLineAsync($"No manifest for image {images[i].Label} ({images[i].State}): it is made when the image starts building").ConfigureAwait(false);
                    continue;
                }

                var path = Path.Combine(directory.FullName, names[i]);
                await File.WriteAllTextAsync(path, manifest.ToJsonString(Json.Indented) + "\n", cancellationToken).ConfigureAwait(false);
                written.Add(path);
                if (!context.Quiet)
                {
                    await context.Human.WriteLineAsync($"Wrote {path}").ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failure, $"cannot write the manifests into {directory.FullName}: {e.Message}");
        }

        if (context.Json)
        {
            await Console.Out.WriteLineAsync(new JsonObject { ["id"] = compose.Id, ["written"] = written }.ToJsonString(Json.Output)).ConfigureAwait(false);
        }

        return written.Count > 0 || images.Count == 0 ? ExitCodes.Success : ExitCodes.NotFound;
    }

    /// <summary><c>x86_64-guest-image.manifest.json</c>; two images of the same arch and type get their index
    /// added (<c>x86_64-guest-image-1.manifest.json</c>).</summary>
    internal static IReadOnlyList<string> FileNames(IReadOnlyList<ImageView> images)
    {
        var repeated = images.GroupBy(i => (i.Arch, i.ImageType)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return [.. images.Select(i => Safe(repeated.Contains((i.Arch, i.ImageType)) ? $"{i.Arch}-{i.ImageType}-{i.Index}" : $"{i.Arch}-{i.ImageType}") + ".manifest.json")];
    }

    // Arch and type come from the service; a name must never leave DIR.
    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')).TrimStart('.');
}

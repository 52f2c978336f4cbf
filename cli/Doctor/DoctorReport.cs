using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Prints the checks: as text, one line each as soon as it is known (<c>ok    hub: …</c>, the status padded to six
/// columns; with <c>-q</c> only warnings and failures), a warning or failure followed by <c>      fix: …</c> and further lines of a detail indented the same; with
/// <c>--format json</c>, at the end, a list of <c>{check, status, detail, fix}</c> and nothing else on stdout.
/// </summary>
internal sealed class DoctorReport(TextWriter output, bool json, bool quiet = false)
{
    private const string Indent = "      ";
    private readonly List<CheckResult> _results = [];

    /// <summary>Every result so far, in order.</summary>
    public IReadOnlyList<CheckResult> Results => _results;

    /// <summary>True when a check failed: <c>doctor</c> then exits with <see cref="ExitCodes.Failure"/>.</summary>
    public bool Failed => _results.Any(r => r.Status == CheckStatus.Fail);

    public async Task AddAsync(CheckResult result)
    {
        _results.Add(result);
        if (json || (quiet && result.Status is CheckStatus.Ok or CheckStatus.Skip))
        {
            return;
        }

        var lines = result.Detail.ReplaceLineEndings("\n").Split('\n');
        await output.WriteLineAsync($"{result.Label,-4}  {result.Check}: {lines[0]}").ConfigureAwait(false);
        foreach (var line in lines.Skip(1))
        {
            await output.WriteLineAsync(Indent + line).ConfigureAwait(false);
        }

        if (result.Fix is { } fix && result.Status is CheckStatus.Warn or CheckStatus.Fail)
        {
            await output.WriteLineAsync($"{Indent}fix: {fix}").ConfigureAwait(false);
        }

        await output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>With <c>--format json</c>, writes the list.</summary>
    public async Task FinishAsync()
    {
        if (!json)
        {
            return;
        }

        var list = new JsonArray();
        foreach (var r in _results)
        {
            list.Add(new JsonObject
            {
                ["check"] = r.Check,
                ["status"] = r.Label.ToLowerInvariant(),
                ["detail"] = r.Detail,
                ["fix"] = r.Status is CheckStatus.Warn or CheckStatus.Fail ? r.Fix : null,
            });
        }

        await output.WriteLineAsync(list.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
    }
}

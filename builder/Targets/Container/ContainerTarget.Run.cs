using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Container;

public sealed partial class ContainerTarget
{
    /// <summary>One try of one upload: its scratch directory, its credentials and the two skopeo calls.</summary>
    private sealed partial class Run(ContainerTarget target, TargetUpload upload, ContainerReference reference, string scratch)
    {
        private readonly List<string> _secrets = [];
        private string? _authFile;
        private bool _authPrepared;

        private string TempDirectory => Path.Combine(scratch, "tmp");

        /// <summary><c>skopeo copy</c>; returns the digest skopeo wrote (<c>--digestfile</c>).</summary>
        public async Task<string> PushAsync(CancellationToken cancellationToken)
        {
            var options = target._options;
            var digestFile = Path.Combine(scratch, "digest");
            var arguments = Global();
            arguments.AddRange(["copy", "--retry-times", options.RetryTimes.ToString(CultureInfo.InvariantCulture)]);
            if (!options.TlsVerify)
            {
                arguments.Add("--dest-tls-verify=false");
            }

            if (options.CertDirectory is { } certs)
            {
                arguments.AddRange(["--dest-cert-dir", certs]);
            }

            if (Auth() is { } auth)
            {
                arguments.AddRange(["--dest-authfile", auth]);
            }

            arguments.AddRange(["--digestfile", digestFile, $"oci-archive:{Archive()}", $"docker://{reference}"]);
            await RunAsync("copy", arguments, cancellationToken).ConfigureAwait(false);

            string digest;
            try
            {
                digest = (await File.ReadAllTextAsync(digestFile, cancellationToken).ConfigureAwait(false)).Trim();
            }
            catch (IOException e)
            {
                throw TargetFailedException.Upload($"skopeo copy {reference} succeeded but wrote no digest file: {e.Message}");
            }

            return DigestPattern().IsMatch(digest)
                ? digest
                : throw TargetFailedException.Upload($"skopeo copy {reference} wrote \"{(digest.Length > 80 ? digest[..80] + "…" : digest)}\" as the digest, not sha256:<64 hex digits>");
        }

        /// <summary><c>skopeo inspect --raw</c>: the sha256 of the manifest bytes the registry serves for the tag
        /// (the manifest digest is by definition the hash of exactly those bytes; no config blob is fetched).</summary>
        public async Task<string> ServedDigestAsync(CancellationToken cancellationToken)
        {
            var options = target._options;
            var arguments = Global();
            arguments.AddRange(["inspect", "--raw", "--retry-times", options.RetryTimes.ToString(CultureInfo.InvariantCulture)]);
            if (!options.TlsVerify)
            {
                arguments.Add("--tls-verify=false");
            }

            if (options.CertDirectory is { } certs)
            {
                arguments.AddRange(["--cert-dir", certs]);
            }

            if (Auth() is { } auth)
            {
                arguments.AddRange(["--authfile", auth]);
            }

            arguments.Add($"docker://{reference}");
            var run = await RunAsync("inspect", arguments, cancellationToken).ConfigureAwait(false);
            return run.Output.Length > 0
                ? DigestOf(run.Output)
                : throw TargetFailedException.Upload($"skopeo inspect {reference} printed no manifest", isTransient: true);
        }

        private async Task<SkopeoRun> RunAsync(string command, List<string> arguments, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(TempDirectory);
            var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["TMPDIR"] = TempDirectory };
            var run = await target._skopeo.RunAsync(arguments, environment, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode == 0)
            {
                return run;
            }

            var failure = SkopeoFailure.From(command, reference, run, _secrets);
            Log.ContainerSkopeoFailed(target._logger, upload.Image, command, reference.ToString(), failure.Message);
            throw failure;
        }

        // --tmpdir: containers/image unpacks an oci-archive into a temporary directory (default /var/tmp) that a killed
        // skopeo leaves behind; in the scratch directory it goes with it.
        private List<string> Global() => ["--tmpdir", TempDirectory];

        // oci-archive:PATH[:REFERENCE]: a ':' in the path would start the reference, so such a path goes by a link.
        private string Archive()
        {
            var path = Path.GetFullPath(upload.ArtifactPath);
            if (!path.Contains(':', StringComparison.Ordinal))
            {
                return path;
            }

            var link = Path.Combine(scratch, "artifact.tar");
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, path);
            }

            return link;
        }

        private string? Auth()
        {
            if (!_authPrepared)
            {
                _authFile = target.AuthFileFor(reference, scratch, _secrets);
                _authPrepared = true;
            }

            return _authFile;
        }

        [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
        private static partial Regex DigestPattern();
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// The <c>aws</c> target (cloud-targets.md §2): the raw disk (an xz artifact decompressed on the fly) goes to the
/// staging bucket of <c>[builder.targets.aws]</c>, EC2 imports it as a snapshot, the staging object is deleted (also
/// when the import fails), the snapshot is tagged and registered as an AMI (hvm, ENA, root <c>/dev/sda1</c>, the
/// image's boot mode), which is tagged and shared with the task's accounts. Result <c>{"ami", "region"}</c>.
/// Errors: configuration 2, staging upload 11, import and registration 12, sharing 3.
/// <para>Retries: TargetRetry calls <see cref="UploadAsync"/> again after a transient failure. What an earlier call
/// of the same upload (same generated name) finished is remembered, so a retry goes on from the failed step: the
/// multipart upload resumes, a running import is waited for again (its staging object kept until it ends), and a
/// snapshot or AMI is never made twice.</para>
/// </summary>
public sealed partial class AwsEc2Target : IUploadTarget
{
    private readonly TargetsOptions _options;
    private readonly ILogger _logger;
    private readonly Func<string, IEc2Calls> _ec2;
    private readonly Action<ClientConfig>? _tweak;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);

    /// <summary>The target of a worker with <paramref name="options"/>.</summary>
    public AwsEc2Target(TargetsOptions options, ILogger<AwsEc2Target> logger)
        : this(options, logger, ec2: null, tweak: null, time: null)
    {
    }

    /// <summary>Tests: <paramref name="ec2"/> replaces the SDK's EC2 client (by region), <paramref name="tweak"/>
    /// adjusts every SDK client's configuration, <paramref name="time"/> the clock of the import's timeout.</summary>
    internal AwsEc2Target(TargetsOptions options, ILogger logger, Func<string, IEc2Calls>? ec2, Action<ClientConfig>? tweak, TimeProvider? time)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger;
        _tweak = tweak;
        _time = time ?? TimeProvider.System;
        _ec2 = ec2 ?? CreateEc2Calls;
    }

    /// <inheritdoc />
    public string Type => UploadTargetTypes.Aws;

    /// <summary>Multipart part size of the staging upload (tests make it small).</summary>
    internal int PartSize { get; init; } = S3MultipartUpload.DefaultPartSize;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration()
    {
        if (_options.Aws is not { } aws)
        {
            return ["no [builder.targets.aws] section"];
        }

        var problems = new List<string>();
        // A section with only s3_bucket is an aws.s3-only worker: it must start (its aws uploads fail with 2 naming
        // the missing bucket). Only a section without any bucket can serve neither target.
        if (aws.Bucket is null && aws.S3Bucket is null)
        {
            problems.Add("[builder.targets.aws] has no bucket: the aws target stages images in it before the snapshot import");
        }

        if (aws.Credentials is { } file && AwsCredentialFile.Problem(file, aws.Profile) is { } problem)
        {
            problems.Add(problem);
        }

        return problems;
    }

    /// <inheritdoc />
    public async Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var options = upload.Options as AwsEc2UploadOptions
            ?? throw TargetFailedException.Config($"aws got upload options of another target ({upload.Options.GetType().Name})");
        var store = S3Store.ForEc2Staging(_options, options.Region);
        var registration = new AmiRegistration(options.SnapshotName ?? upload.GeneratedName, Architecture(upload.Arch), SnapshotId: "", BootMode(upload.BootMode));
        var run = _runs.GetOrAdd(upload.GeneratedName, _ => new Run());
        try
        {
            using var s3 = store.CreateClient(_tweak);
            using var ec2 = _ec2(options.Region);
            var call = new Ec2Step(cancellationToken);
            if (run.SnapshotId is null)
            {
                run.SnapshotId = await ImportAsync(upload, store, s3, ec2, run, registration.Name, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Log.Ec2Resuming(_logger, upload.Image, $"snapshot {run.SnapshotId}");
            }

            var snapshotId = run.SnapshotId;
            upload.Progress.Report(new ImageProgress(2, 4, "aws: registering the AMI"));
            if (!run.SnapshotTagged)
            {
                await call.RunAsync(JobErrorCodes.ImportingImage, $"tagging snapshot {snapshotId}", ct => ec2.TagNameAsync(snapshotId, registration.Name, ct)).ConfigureAwait(false);
                run.SnapshotTagged = true;
            }

            if (run.ImageId is null && run.RegisterTried)
            {
                // An earlier RegisterImage failed transiently: EC2 may have made the AMI and lost the answer (a
                // timeout, a 5xx). Registering again would fail with InvalidAMIName.Duplicate; take the one there.
                run.ImageId = await call.RunAsync(JobErrorCodes.ImportingImage, $"looking for AMI {registration.Name}",
                    ct => ec2.FindImageAsync(registration.Name, ct)).ConfigureAwait(false);
            }

            if (run.ImageId is null)
            {
                run.RegisterTried = true;
                run.ImageId = await call.RunAsync(JobErrorCodes.ImportingImage, $"registering AMI {registration.Name}",
                    ct => ec2.RegisterImageAsync(registration with { SnapshotId = snapshotId }, ct)).ConfigureAwait(false);
                Log.Ec2ImageRegistered(_logger, upload.Image, run.ImageId, registration.Name, options.Region);
            }

            var imageId = run.ImageId;
            if (!run.ImageTagged)
            {
                await call.RunAsync(JobErrorCodes.ImportingImage, $"tagging AMI {imageId}", ct => ec2.TagNameAsync(imageId, registration.Name, ct)).ConfigureAwait(false);
                run.ImageTagged = true;
            }

            upload.Progress.Report(new ImageProgress(3, 4, "aws: sharing the AMI"));
            foreach (var account in options.ShareWithAccounts.Where(a => !run.SharedWith.Contains(a)))
            {
                await call.RunAsync(TargetFailedException.SharingTarget, $"sharing snapshot {snapshotId} with account {account}", ct => ec2.ShareSnapshotAsync(snapshotId, account, ct)).ConfigureAwait(false);
                await call.RunAsync(TargetFailedException.SharingTarget, $"sharing AMI {imageId} with account {account}", ct => ec2.ShareImageAsync(imageId, account, ct)).ConfigureAwait(false);
                run.SharedWith.Add(account);
                Log.Ec2Shared(_logger, upload.Image, imageId, account);
            }

            upload.Progress.Report(new ImageProgress(4, 4, "aws: done"));
            _runs.TryRemove(upload.GeneratedName, out _);
            return new JsonObject { ["ami"] = imageId, ["region"] = options.Region };
        }
        catch (Exception e) when (e is not TargetFailedException { IsTransient: true } || upload.IsLastAttempt)
        {
            // Only a transient failure before the last try is tried again: anything else ends this upload's memory.
            _runs.TryRemove(upload.GeneratedName, out _);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task AbandonAsync(TargetUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (!_runs.TryRemove(upload.GeneratedName, out var run) || upload.Options is not AwsEc2UploadOptions options || run.SnapshotId is not null)
        {
            // Nothing kept, or the import is over and its staging object gone (a snapshot or AMI stays, §2).
            return;
        }

        try
        {
            var store = S3Store.ForEc2Staging(_options, options.Region);
            using var s3 = store.CreateClient(_tweak);
            if (run.ImportTaskId is { } importTaskId)
            {
                using var ec2 = _ec2(options.Region);
                await CancelImportAsync(upload, ec2, importTaskId).ConfigureAwait(false);
            }

            if (run.Staged)
            {
                await DeleteStagingAsync(upload, s3, store.Bucket, upload.GeneratedName).ConfigureAwait(false);
            }
            else
            {
                await new S3MultipartUpload(s3, store.Bucket, upload.GeneratedName, upload.Image, _logger).AbortUnfinishedAsync().ConfigureAwait(false);
            }
        }
        catch (TargetFailedException e)
        {
            Log.Ec2StagingDeleteFailed(_logger, upload.Image, "?", upload.GeneratedName, e.Message);
        }
    }

    private IEc2Calls CreateEc2Calls(string region)
    {
        var aws = _options.Aws ?? throw TargetFailedException.Config("no [builder.targets.aws] section");
        var config = new AmazonEC2Config();
        if (aws.Ec2Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _tweak?.Invoke(config);
        return new AmazonEc2Calls(aws.Credentials is { } file
            ? new AmazonEC2Client(AwsCredentialFile.Load(file, aws.Profile), config)
            : new AmazonEC2Client(config));
    }

    /// <summary>EC2's architecture names (§2 step 5).</summary>
    private static string Architecture(string arch) => arch switch
    {
        "x86_64" => "x86_64",
        "aarch64" => "arm64",
        _ => throw new TargetFailedException(TargetFailedException.InvalidTarget, $"AWS EC2 has no architecture for {arch} images (x86_64 and aarch64 only)"),
    };

    /// <summary>EC2 boot modes of the image definition's (§2): hybrid images boot both ways, UEFI preferred.</summary>
    private static string? BootMode(string? bootMode) => bootMode switch
    {
        "hybrid" => "uefi-preferred",
        "uefi" => "uefi",
        "legacy" => "legacy-bios",
        null or "" => null,
        _ => throw new TargetFailedException(TargetFailedException.InvalidTarget, $"unknown boot mode {bootMode}"),
    };

    /// <summary>What earlier attempts of one upload finished.</summary>
    private sealed class Run
    {
        public bool Staged { get; set; }

        public string? ImportTaskId { get; set; }

        public DateTimeOffset? ImportDeadline { get; set; }

        public string? SnapshotId { get; set; }

        public bool SnapshotTagged { get; set; }

        public bool RegisterTried { get; set; }

        public string? ImageId { get; set; }

        public bool ImageTagged { get; set; }

        public HashSet<string> SharedWith { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One EC2 call whose SDK failure becomes a target failure of a given class.</summary>
    private readonly struct Ec2Step(CancellationToken cancellationToken)
    {
        public async Task<T> RunAsync<T>(int code, string what, Func<CancellationToken, Task<T>> call)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!AwsErrors.IsCancellation(e, cancellationToken))
            {
                throw AwsErrors.Failure(code, what, e);
            }
        }

        public Task RunAsync(int code, string what, Func<CancellationToken, Task> call) =>
            RunAsync(code, what, async ct =>
            {
                await call(ct).ConfigureAwait(false);
                return true;
            });
    }
}

using KojiComposer.Builder.Targets.Aws;
using KojiComposer.Builder.Targets.Azure;
using KojiComposer.Builder.Targets.Container;
using KojiComposer.Builder.Targets.Gcp;
using KojiComposer.Builder.Targets.Oci;
using KojiComposer.Config;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets;

/// <summary>
/// Every target of this worker, one per type, made from <c>[builder.targets]</c>. A target whose section is absent
/// is still here: its uploads fail with InvalidTargetConfig (2) naming the section to add.
/// </summary>
public sealed class UploadTargetSet
{
    private readonly Dictionary<string, IUploadTarget> _targets;

    /// <summary>The targets configured by <paramref name="options"/>.</summary>
    public UploadTargetSet(TargetsOptions options, ILoggerFactory loggers)
        : this(options, [
            new AwsEc2Target(options, loggers.CreateLogger<AwsEc2Target>()),
            new AwsS3Target(options, loggers.CreateLogger<AwsS3Target>()),
            new AzureImageTarget(options, loggers.CreateLogger<AzureImageTarget>()),
            new GcpImageTarget(options, loggers.CreateLogger<GcpImageTarget>()),
            new ContainerTarget(options, loggers.CreateLogger<ContainerTarget>()),
            new OciObjectStorageTarget(),
        ])
    {
    }

    /// <summary>A set of the given targets (tests put fakes here).</summary>
    public UploadTargetSet(TargetsOptions options, IEnumerable<IUploadTarget> targets)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _targets = targets.ToDictionary(t => t.Type, StringComparer.Ordinal);
    }

    /// <summary>The <c>[builder.targets]</c> options.</summary>
    public TargetsOptions Options { get; }

    /// <summary>Every target.</summary>
    public IEnumerable<IUploadTarget> All => _targets.Values;

    /// <summary>The target of <paramref name="type"/>, or null when this worker has none.</summary>
    public IUploadTarget? Find(string type) => _targets.GetValueOrDefault(type);

    /// <summary>A new generated name (<c>composer-api-&lt;uuid&gt;</c> by default).</summary>
    public string NewName() => Options.NamePrefix + Guid.NewGuid().ToString("D");
}

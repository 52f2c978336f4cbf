namespace KojiComposer.Scheduler.Store;

/// <summary>The three kinds of compose step.</summary>
public enum StepKind
{
    /// <summary>Reserve the Koji build (composer's <c>koji-init</c>).</summary>
    Init,

    /// <summary>Build one image (composer's <c>osbuild:&lt;arch&gt;</c>).</summary>
    Image,

    /// <summary>Import or refund (composer's <c>koji-finalize</c>).</summary>
    Finalize,
}

/// <summary>Names one step of one compose: its init, one of its images, or its finalize.</summary>
/// <param name="ComposeId">The compose.</param>
/// <param name="Kind">Which step.</param>
/// <param name="ImageIndex">The image's index for <see cref="StepKind.Image"/>; -1 otherwise.</param>
public sealed record StepRef(Guid ComposeId, StepKind Kind, int ImageIndex = -1)
{
    /// <summary>The init step of <paramref name="composeId"/>.</summary>
    public static StepRef Init(Guid composeId) => new(composeId, StepKind.Init);

    /// <summary>Image <paramref name="index"/> of <paramref name="composeId"/>.</summary>
    public static StepRef Image(Guid composeId, int index) => new(composeId, StepKind.Image, index);

    /// <summary>The finalize step of <paramref name="composeId"/>.</summary>
    public static StepRef Finalize(Guid composeId) => new(composeId, StepKind.Finalize);

    /// <inheritdoc />
    public override string ToString() => Kind == StepKind.Image ? $"{ComposeId}/image-{ImageIndex}" : $"{ComposeId}/{Kind.ToString().ToLowerInvariant()}";
}

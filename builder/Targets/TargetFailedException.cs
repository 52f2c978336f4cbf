using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Targets;

/// <summary>
/// A target upload failed with one of the target error classes (cloud-targets.md §1.1): InvalidTargetConfig (2),
/// SharingTarget (3), InvalidTarget (4), UploadingImage (11), ImportingImage (12). The message is the cloud's reason,
/// without credentials. <see cref="IsTransient"/> failures (throttling, 5xx, dropped connections) are tried again by
/// <see cref="TargetRetry"/> before they fail the image.
/// </summary>
public sealed class TargetFailedException(int code, string reason, bool isTransient = false, Exception? innerException = null)
    : Exception(reason, innerException)
{
    /// <summary>SharingTarget: sharing an image or snapshot failed, or Azure has no credentials.</summary>
    public const int SharingTarget = 3;

    /// <summary>InvalidTarget: the target cannot take this image.</summary>
    public const int InvalidTarget = 4;

    /// <summary>The error class.</summary>
    public int Code { get; } = code;

    /// <summary>True when the same step may succeed if tried again.</summary>
    public bool IsTransient { get; } = isTransient;

    /// <summary>The HTTP answers every cloud target tries again: 408 (request timeout), 429 (throttled) and any 5xx.
    /// One rule for all targets, so that the same answer is transient whichever cloud gave it.</summary>
    public static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;

    /// <summary>Configuration is missing or wrong (2).</summary>
    public static TargetFailedException Config(string reason) => new(JobErrorCodes.InvalidTargetConfig, reason);

    /// <summary>Uploading the image failed (11).</summary>
    public static TargetFailedException Upload(string reason, bool isTransient = false, Exception? inner = null) =>
        new(JobErrorCodes.UploadingImage, reason, isTransient, inner);

    /// <summary>Importing or registering the image failed (12).</summary>
    public static TargetFailedException Import(string reason, bool isTransient = false, Exception? inner = null) =>
        new(JobErrorCodes.ImportingImage, reason, isTransient, inner);

    /// <summary>Sharing failed (3).</summary>
    public static TargetFailedException Sharing(string reason, bool isTransient = false, Exception? inner = null) =>
        new(SharingTarget, reason, isTransient, inner);
}

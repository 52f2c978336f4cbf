namespace KojiComposer.Scheduler.Model;

/// <summary>Where a compose is in its life. Only the last three are final.</summary>
public enum ComposeState
{
    /// <summary>Submitted; the build reservation (init) has not finished yet.</summary>
    Pending,

    /// <summary>Reserved; image builds are queued or running.</summary>
    Running,

    /// <summary>Every image ended; the import or refund (finalize) is queued or running.</summary>
    Finalizing,

    /// <summary>Every image built and the import succeeded.</summary>
    Success,

    /// <summary>The reservation, an image or the import failed; the reservation was refunded.</summary>
    Failure,

    /// <summary>An operator canceled the compose; running images were stopped and the reservation refunded as
    /// canceled.</summary>
    Canceled,
}

/// <summary>Where one image of a compose is.</summary>
public enum ImageState
{
    /// <summary>Waiting for the reservation or for a free worker of its architecture.</summary>
    Pending,

    /// <summary>A worker is making the manifest or running osbuild.</summary>
    Building,

    /// <summary>A worker is uploading the artifacts.</summary>
    Uploading,

    /// <summary>Built and uploaded.</summary>
    Success,

    /// <summary>Failed; <see cref="ComposeImage.Error"/> says why.</summary>
    Failure,

    /// <summary>Stopped or never started because the compose was canceled.</summary>
    Canceled,
}

/// <summary>State of a compose's first (init) or last (finalize) step.</summary>
public enum StepState
{
    /// <summary>Not started, or handed back to be started again.</summary>
    Pending,

    /// <summary>A scheduler process runs it and holds its lease.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Success,

    /// <summary>Finished with an error.</summary>
    Failure,

    /// <summary>Not run because the compose was canceled first.</summary>
    Canceled,
}

/// <summary>Extension helpers for the state enums.</summary>
public static class StateExtensions
{
    /// <summary>True for <see cref="ComposeState.Success"/>, <see cref="ComposeState.Failure"/> and
    /// <see cref="ComposeState.Canceled"/>.</summary>
    public static bool IsFinal(this ComposeState state) => state is ComposeState.Success or ComposeState.Failure or ComposeState.Canceled;

    /// <summary>True for <see cref="ImageState.Success"/>, <see cref="ImageState.Failure"/> and
    /// <see cref="ImageState.Canceled"/>.</summary>
    public static bool IsFinal(this ImageState state) => state is ImageState.Success or ImageState.Failure or ImageState.Canceled;

    /// <summary>True for <see cref="StepState.Success"/>, <see cref="StepState.Failure"/> and
    /// <see cref="StepState.Canceled"/>.</summary>
    public static bool IsFinal(this StepState state) => state is StepState.Success or StepState.Failure or StepState.Canceled;

    /// <summary>Lower-case name as the API and store write it (<c>pending</c>, <c>building</c>, ...).</summary>
    public static string ToWire(this ImageState state) => state.ToString().ToLowerInvariant();

    /// <inheritdoc cref="ToWire(ImageState)"/>
    public static string ToWire(this ComposeState state) => state.ToString().ToLowerInvariant();

    /// <inheritdoc cref="ToWire(ImageState)"/>
    public static string ToWire(this StepState state) => state.ToString().ToLowerInvariant();
}

namespace KojiComposer.Builder.Targets.Container;

/// <summary>
/// Runs skopeo: the container target's whole call surface (the real one is <see cref="SkopeoProcess"/>; tests put a
/// fake here to see the arguments or to answer what a real registry will not, like a foreign digest).
/// </summary>
internal interface ISkopeo
{
    /// <summary>Runs skopeo with <paramref name="arguments"/> (no shell) and waits for it to end.</summary>
    /// <exception cref="TargetFailedException">skopeo could not be started (InvalidTargetConfig, 2).</exception>
    /// <exception cref="OperationCanceledException">Cancelled: skopeo and its children were killed first.</exception>
    Task<SkopeoRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);
}

/// <summary>How one skopeo run ended.</summary>
/// <param name="ExitCode">Its exit status.</param>
/// <param name="Output">Its standard output (the raw manifest for <c>inspect --raw</c>).</param>
/// <param name="Error">The end of its standard error.</param>
internal sealed record SkopeoRun(int ExitCode, byte[] Output, string Error);

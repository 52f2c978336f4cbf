namespace KojiComposer.HubBridge.Uploads;

/// <summary>
/// A finished upload: where it went, its size and whole-file digests (md5 is what CG metadata carries and the hub
/// re-verifies at import; sha256 is kept for our records), computed in the same single read as the upload.
/// </summary>
public sealed record KojiUploadResult(string Directory, string Name, long Size, string Md5, string Sha256, int Chunks, int ResentChunks);

/// <summary>
/// An upload stopped part-way. <see cref="VerifiedBytes"/> reached the hub and were verified chunk by chunk;
/// <c>UploadFileAsync(..., resumeAt: VerifiedBytes)</c> continues from there.
/// </summary>
public sealed class KojiUploadException : KojiException
{
    public KojiUploadException(string message, long verifiedBytes, Exception innerException)
        : base(message, innerException)
    {
        VerifiedBytes = verifiedBytes;
    }

    public long VerifiedBytes { get; }

    public override bool IsTransient => InnerException is KojiException { IsTransient: true };
}

namespace KojiComposer.HubBridge.Calls;

/// <summary>checkUpload.</summary>
public sealed record KojiUploadCheck(long Size, double MTime, string? HexDigest);

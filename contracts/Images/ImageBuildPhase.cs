namespace KojiComposer.Contracts.Images;

/// <summary>What a running image build is doing, as shown in its status.</summary>
public enum ImageBuildPhase
{
    /// <summary>Making the manifest or running osbuild.</summary>
    Building,

    /// <summary>Uploading artifacts to Koji or a cloud target.</summary>
    Uploading,
}

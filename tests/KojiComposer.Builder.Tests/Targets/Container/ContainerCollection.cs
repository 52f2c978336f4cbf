namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>The container target's test classes share one test image (built once with umoci).</summary>
[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<OciTestImage>
{
    public const string Name = "container target";
}

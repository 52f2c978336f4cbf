namespace KojiComposer.Contracts.Builders;

/// <summary>
/// What a builder process tells the rest of the deployment about itself: the architectures it builds, the osbuild
/// it runs and the manifest generator it uses. Shown on the dashboard's builders page and in <c>/health</c>, so that
/// "which osbuild made this image" and "why does aarch64 behave differently" have an answer without logging in to
/// the builder.
/// </summary>
/// <param name="Arches">Koji architectures this process builds.</param>
/// <param name="OsbuildVersion">osbuild's version number, e.g. <c>191</c> (from <c>osbuild --version</c>).</param>
/// <param name="OsbuildPath">The osbuild executable that runs.</param>
/// <param name="Generator">The manifest generator's name, e.g. <c>image-builder</c> or <c>external</c>.</param>
/// <param name="GeneratorVersion">The manifest generator's version, e.g. <c>45</c>; null when it reports none.</param>
public sealed record BuilderAdvertisement(
    IReadOnlyList<string> Arches, string OsbuildVersion, string OsbuildPath, string Generator, string? GeneratorVersion)
{
    /// <summary>One line for logs and <c>/health</c>, e.g. <c>x86_64; osbuild 191; image-builder 45</c>.</summary>
    public string Describe() =>
        $"{string.Join(", ", Arches)}; osbuild {OsbuildVersion}; {Generator}{(GeneratorVersion is null ? "" : " " + GeneratorVersion)}";
}

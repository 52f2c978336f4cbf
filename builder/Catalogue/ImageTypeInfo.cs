namespace KojiComposer.Builder.Catalogue;

/// <summary>
/// What the builder must know of one image type on one distribution that the manifest generator does not print
/// (osbuild-run.md §6–§7): the generator's name for it, the export pipeline and its file, the boot mode, the default
/// upload target and which pipelines make the build root and which the image.
/// </summary>
/// <param name="ImageType">Composer's (Cloud API) name, e.g. <c>guest-image</c>.</param>
/// <param name="Distro">Distribution pattern the entry applies to, e.g. <c>rhel-9*</c> or <c>*</c>.</param>
/// <param name="GeneratorType">The generator's (osbuild/images') name, e.g. <c>qcow2</c>.</param>
/// <param name="Export">osbuild's export pipeline, e.g. <c>qcow2</c>.</param>
/// <param name="Filename">The exported file's default name, e.g. <c>disk.qcow2</c>.</param>
/// <param name="BootMode"><c>legacy</c>, <c>uefi</c>, <c>hybrid</c>, or null.</param>
/// <param name="DefaultTarget">The default upload target, e.g. <c>aws.s3</c>.</param>
/// <param name="BuildPipelines">Pipelines whose RPMs are buildroot components, normally <c>build</c>.</param>
/// <param name="PayloadPipelines">Pipelines whose RPMs are image components, e.g. <c>os</c>.</param>
public sealed record ImageTypeInfo(
    string ImageType,
    string Distro,
    string GeneratorType,
    string Export,
    string Filename,
    string? BootMode,
    string DefaultTarget,
    IReadOnlyList<string> BuildPipelines,
    IReadOnlyList<string> PayloadPipelines);

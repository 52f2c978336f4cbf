using KojiComposer.Builder.Catalogue;

namespace KojiComposer.Builder.Tests.Catalogue;

public sealed class CatalogueFileTests : IDisposable
{
    private const string Good =
        """{"image_type": "vhd", "distro": "rhel-9*", "generator_type": "vhd", "export": "vpc", "filename": "disk.vhd", "boot_mode": "hybrid", "default_target": "azure", "build_pipelines": ["build"], "payload_pipelines": ["os", "image", "vpc"]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("kc-catalogue-").FullName;

    [Fact]
    public void Load_ReadsASitesFile_InsteadOfTheBuiltInOne()
    {
        var catalogue = ImageTypeCatalogue.Load(Write($"[{Good}]"));

        var entry = Assert.Single(catalogue.Entries);
        Assert.Equal(("vhd", "rhel-9*", "vhd", "vpc", "disk.vhd", "hybrid", "azure"),
            (entry.ImageType, entry.Distro, entry.GeneratorType, entry.Export, entry.Filename, entry.BootMode, entry.DefaultTarget));
        Assert.Equal(["build"], entry.BuildPipelines);
        Assert.Equal(["os", "image", "vpc"], entry.PayloadPipelines);
        Assert.Same(entry, catalogue.Find("rhel-9.6", "vhd"));
        Assert.Null(catalogue.Find("rhel-9.6", "guest-image"));
    }

    [Fact]
    public void Load_AcceptsANullBootModeAndAComment()
    {
        var entry = Good.Replace("\"hybrid\"", "null", StringComparison.Ordinal).Replace("{", "{\"comment\": \"images v0.274.0\", ", StringComparison.Ordinal);

        Assert.Null(Assert.Single(ImageTypeCatalogue.Load(Write($"[{entry}]")).Entries).BootMode);
    }

    [Theory]
    [InlineData("\"export\": \"vpc\", ", "", "entry 2 (image_type \"vhd\"): \"export\" is missing")]
    [InlineData("\"filename\": \"disk.vhd\"", "\"filename\": \"\"", "entry 2 (image_type \"vhd\"): \"filename\" must not be empty")]
    [InlineData("\"default_target\": \"azure\"", "\"default_target\": 3", "entry 2 (image_type \"vhd\"): \"default_target\" must be a string")]
    [InlineData("\"boot_mode\": \"hybrid\"", "\"boot_mode\": \"bios\"", "entry 2 (image_type \"vhd\"): \"boot_mode\" must be legacy, uefi, hybrid or null, not \"bios\"")]
    [InlineData("\"build_pipelines\": [\"build\"]", "\"build_pipelines\": \"build\"", "entry 2 (image_type \"vhd\"): \"build_pipelines\" must be an array of pipeline names")]
    [InlineData("\"payload_pipelines\": [\"os\", \"image\", \"vpc\"]", "\"payload_pipelines\": []", "entry 2 (image_type \"vhd\"): \"payload_pipelines\" must name at least one pipeline")]
    [InlineData("\"distro\": \"rhel-9*\"", "\"distro\": \"rhel-9*\", \"exports\": [\"vpc\"]", "entry 2 (image_type \"vhd\"): \"exports\" is not a catalogue key")]
    [InlineData("\"image_type\": \"vhd\", ", "", "entry 2: \"image_type\" is missing")]
    public void Load_NamesTheFileEntryAndKey_WhenAnEntryIsWrong(string replace, string with, string expected)
    {
        var file = Write($"[{Good}, {Good.Replace(replace, with, StringComparison.Ordinal)}]");

        var error = Assert.Throws<CatalogueException>(() => ImageTypeCatalogue.Load(file));

        Assert.Equal($"catalogue {file}: {expected}", error.Message);
    }

    [Fact]
    public void Load_SaysTheFileIsNotAnArray()
    {
        var file = Write(Good);

        Assert.Equal($"catalogue {file}: must be a JSON array of entries", Assert.Throws<CatalogueException>(() => ImageTypeCatalogue.Load(file)).Message);
    }

    [Fact]
    public void Load_SaysTheFileIsNotJson()
    {
        var file = Write("[{");

        Assert.StartsWith($"catalogue {file}: not JSON: ", Assert.Throws<CatalogueException>(() => ImageTypeCatalogue.Load(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SaysTheEntryIsNotAnObject()
    {
        var file = Write($"[{Good}, 3]");

        Assert.Equal($"catalogue {file}: entry 2: must be an object", Assert.Throws<CatalogueException>(() => ImageTypeCatalogue.Load(file)).Message);
    }

    [Fact]
    public void Load_SaysTheFileCannotBeRead_WhenItIsMissing()
    {
        var file = Path.Combine(_directory, "missing.json");

        Assert.StartsWith($"catalogue {file}: cannot be read: ", Assert.Throws<CatalogueException>(() => ImageTypeCatalogue.Load(file)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "catalogue.json");
        File.WriteAllText(path, text);
        return path;
    }
}

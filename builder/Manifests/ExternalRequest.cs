using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Manifests;

/// <summary>The external generator's stdin document and reply (docs/manifest-generators.md).</summary>
internal static class ExternalRequest
{
    /// <summary>The request object: <c>{distribution, arch, image_type, generator_type, export, build_pipelines,
    /// payload_pipelines, customizations, repositories, ostree, seed, work_directory}</c>.</summary>
    public static JsonObject Json(ManifestRequest request)
    {
        var type = request.ImageType;
        return new JsonObject
        {
            ["distribution"] = request.Distribution,
            ["arch"] = request.Arch,
            ["image_type"] = type.ImageType,
            ["generator_type"] = type.GeneratorType,
            ["export"] = type.Export,
            ["build_pipelines"] = new JsonArray([.. type.BuildPipelines.Select(p => (JsonNode)p)]),
            ["payload_pipelines"] = new JsonArray([.. type.PayloadPipelines.Select(p => (JsonNode)p)]),
            ["customizations"] = request.Customizations?.DeepClone() ?? new JsonObject(),
            ["repositories"] = request.Repositories.DeepClone(),
            ["ostree"] = request.Ostree?.DeepClone(),
            ["seed"] = request.Seed,
            ["work_directory"] = request.WorkDirectory,
        };
    }

    /// <summary>The request's secrets (user passwords and keys, the subscription's activation key, an embedded
    /// ignition config), to mask in error details: a site command gets every customization, so it may echo any.</summary>
    public static Secrets SecretsOf(ManifestRequest request)
    {
        var secrets = new Secrets();
        var customizations = request.Customizations;
        if (customizations?["subscription"] is JsonObject subscription && subscription["activation_key"] is JsonValue activation
            && activation.TryGetValue<string>(out var activationKey))
        {
            secrets.Add(activationKey);
        }

        if (customizations?["ignition"] is JsonObject ignition && ignition["embedded"] is JsonObject embedded
            && embedded["config"] is JsonValue config && config.TryGetValue<string>(out var ignitionConfig))
        {
            secrets.Add(ignitionConfig);
        }

        if (customizations?["users"] is JsonArray users)
        {
            foreach (var user in users.OfType<JsonObject>())
            {
                foreach (var key in (string[])["password", "key"])
                {
                    if (user[key] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        secrets.Add(text);
                    }
                }
            }
        }

        return secrets;
    }
}

/// <summary>Reads the external generator's stdout: the manifest itself, or <c>{"manifest": {...},
/// "pipeline_names": {"build": [...], "payload": [...]}?, "sboms": [{"path", "suffix"}]?}</c>.</summary>
internal static class ExternalResult
{
    public static GeneratedManifest Read(GeneratorOutput output, ManifestRequest request, Secrets secrets)
    {
        var parsed = ManifestOutput.TryParse(output.Stdout);
        if (ManifestOutput.AsManifest(parsed) is { } bare)
        {
            return new GeneratedManifest(bare.ToJsonString(), CataloguePipelines(request), []);
        }

        if (parsed is not JsonObject wrapper || ManifestOutput.AsManifest(wrapper["manifest"]) is not { } manifest)
        {
            throw ManifestOutput.NotAManifest("the external manifest generator", output, secrets);
        }

        var pipelines = wrapper["pipeline_names"] is JsonObject names
            ? new PipelineNames(Names(names, "build", output, secrets), Names(names, "payload", output, secrets))
            : CataloguePipelines(request);
        return new GeneratedManifest(manifest.ToJsonString(), pipelines, Sboms(wrapper["sboms"], request.WorkDirectory, output, secrets));
    }

    private static PipelineNames CataloguePipelines(ManifestRequest request) =>
        new(request.ImageType.BuildPipelines, request.ImageType.PayloadPipelines);

    private static List<string> Names(JsonObject names, string key, GeneratorOutput output, Secrets secrets) =>
        names[key] is JsonArray list && list.All(n => n is JsonValue v && v.TryGetValue<string>(out _))
            ? [.. list.Select(n => n!.GetValue<string>())]
            : throw Wrong($"\"pipeline_names\".\"{key}\" must be a list of pipeline names", output, secrets);

    private static List<GeneratedSbom> Sboms(JsonNode? node, string workDirectory, GeneratorOutput output, Secrets secrets)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray list)
        {
            throw Wrong("\"sboms\" must be a list of {\"path\", \"suffix\"}", output, secrets);
        }

        var sboms = new List<GeneratedSbom>();
        foreach (var item in list)
        {
            if (item?["path"] is not JsonValue p || !p.TryGetValue<string>(out var path) || item["suffix"] is not JsonValue s
                || !s.TryGetValue<string>(out var suffix) || suffix.Length == 0)
            {
                throw Wrong("\"sboms\" must be a list of {\"path\", \"suffix\"}", output, secrets);
            }

            var full = Path.GetFullPath(path, workDirectory);
            sboms.Add(File.Exists(full) ? new GeneratedSbom(full, suffix) : throw Wrong($"SBOM {full} does not exist", output, secrets));
        }

        return sboms;
    }

    private static Contracts.Errors.ComposeStepException Wrong(string what, GeneratorOutput output, Secrets secrets) =>
        ManifestErrors.Generation($"the external manifest generator's reply is wrong: {what}",
            new JsonObject { ["stdout"] = ManifestOutput.Head(output.Stdout, secrets) });
}

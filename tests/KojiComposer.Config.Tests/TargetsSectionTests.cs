namespace KojiComposer.Config.Tests;

/// <summary><c>[builder.targets]</c>: the shared keys, the generic S3 stores, and credential files checked at start-up
/// without their secrets ever reaching a message.</summary>
public sealed class TargetsSectionTests
{
    private const string F = ConfigAssert.File;
    private const string Builder = "[builder]\narches = [\"x86_64\"]\n";
    private const string Secret = "hunter2-very-secret";

    [Fact]
    public void Parse_HasNoTargetsConfigured_AndComposersNamePrefix_ByDefault()
    {
        var targets = ConfigAssert.Parses(Builder + ConfigAssert.HubSection).Builder.Targets;

        Assert.Equal("composer-api-", targets.NamePrefix);
        Assert.Equal(5, targets.MaxAttempts);
        Assert.Null(targets.Aws);
        Assert.Null(targets.Azure);
        Assert.Null(targets.Gcp);
        Assert.Empty(targets.GenericS3);
        Assert.Empty(targets.Configured);
        Assert.True(targets.Container.TlsVerify);
    }

    [Fact]
    public void Parse_ReadsGenericStores_ByRegion_AndMarksTheTargetsConfigured()
    {
        var targets = ConfigAssert.Parses(Builder + """
            [builder.targets]
            name_prefix = "koji-"
            max_attempts = 3
            [builder.targets.generic_s3.minio]
            region = "lab-1"
            endpoint = "https://minio.example.com:9000"
            bucket = "images"
            [builder.targets.aws]
            bucket = "staging-bucket"
            """ + "\n" + ConfigAssert.HubSection).Builder.Targets;

        var minio = Assert.Single(targets.GenericS3);
        Assert.Equal(("minio", "lab-1", "https://minio.example.com:9000/", "images", true), (minio.Name, minio.Region, minio.Endpoint.ToString(), minio.Bucket, minio.ForcePathStyle));
        Assert.Same(minio, targets.GenericS3For("lab-1"));
        Assert.Null(targets.GenericS3For("us-east-1"));
        Assert.Equal("staging-bucket", targets.Aws!.EffectiveS3Bucket);
        Assert.Equal(["aws", "aws.s3"], targets.Configured.Order(StringComparer.Ordinal));
        Assert.Equal(("koji-", 3), (targets.NamePrefix, targets.MaxAttempts));
    }

    [Fact]
    public void Parse_Fails_WhenTwoGenericStoresServeOneRegion_OrOneLacksItsKeys()
    {
        var errors = ConfigAssert.Fails(Builder + """
            [builder.targets.generic_s3.a]
            region = "lab-1"
            endpoint = "https://a.example.com"
            bucket = "images"
            [builder.targets.generic_s3.b]
            region = "lab-1"
            endpoint = "https://b.example.com"
            bucket = "images"
            [builder.targets.generic_s3.c]
            region = "lab-2"
            """ + "\n" + ConfigAssert.HubSection);

        Assert.Contains($"{F}:8: builder.targets.generic_s3.b.region: region \"lab-1\" is already served by generic_s3.a; one store per region", errors);
        Assert.Contains(errors, e => e.Contains("builder.targets.generic_s3.c.endpoint: required key is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("builder.targets.generic_s3.c.bucket: required key is missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Composer-", "must be 1 to 40 lower-case letters")]
    [InlineData("", "must be 1 to 40 lower-case letters")]
    public void Parse_Fails_WhenTheNamePrefixCannotStartACloudImageName(string prefix, string problem)
    {
        var error = ConfigAssert.FailsOnce(Builder + $"[builder.targets]\nname_prefix = \"{prefix}\"\n" + ConfigAssert.HubSection);

        Assert.Contains($"builder.targets.name_prefix: {problem}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Fails_WhenABucketNameIsInvalid()
    {
        var error = ConfigAssert.FailsOnce(Builder + "[builder.targets.aws]\nbucket = \"My_Bucket\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: builder.targets.aws.bucket: is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-'), got \"My_Bucket\"", error);
    }

    [Fact]
    public void Parse_ChecksTheAzureCredentialsFile_WithoutQuotingIt()
    {
        using var dir = new TempDirectory();
        var credentials = dir.Write("azure.toml", $"client_id = \"c\"\nclient_sekret = \"{Secret}\"\n");

        var error = ConfigAssert.FailsOnce(Builder + $"[builder.targets.azure]\ncredentials = \"{credentials}\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: builder.targets.azure.credentials: \"{credentials}\" has no client_secret (non-empty strings)", error);
    }

    [Fact]
    public void Parse_RefusesAnAzureCredentialsFileThatIsNotToml_WithoutQuotingIt()
    {
        using var dir = new TempDirectory();
        var credentials = dir.Write("azure.toml", $"client_id = c\nclient_secret = {Secret}\n");

        var error = ConfigAssert.FailsOnce(Builder + $"[builder.targets.azure]\ncredentials = \"{credentials}\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: builder.targets.azure.credentials: \"{credentials}\" is not valid TOML", error);
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RequiresAzureCredentials_WhenTheSectionIsThere()
    {
        var error = ConfigAssert.FailsOnce(Builder + "[builder.targets.azure]\nupload_threads = 4\n" + ConfigAssert.HubSection);

        Assert.Contains("builder.targets.azure.credentials: required key is missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ChecksTheGcpKeyFile_WithoutQuotingIt()
    {
        using var dir = new TempDirectory();
        var key = dir.Write("gcp.json", $"{{\"type\": \"service_account\", \"private_key\": \"{Secret}\", ");

        var error = ConfigAssert.FailsOnce(Builder + $"[builder.targets.gcp]\ncredentials = \"{key}\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: builder.targets.gcp.credentials: \"{key}\" is not valid JSON", error);
    }

    [Fact]
    public void Parse_NamesTheMissingFieldsOfAGcpKey()
    {
        using var dir = new TempDirectory();
        var key = dir.Write("gcp.json", $"{{\"type\": \"service_account\", \"private_key\": \"{Secret}\"}}");

        var error = ConfigAssert.FailsOnce(Builder + $"[builder.targets.gcp]\ncredentials = \"{key}\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: builder.targets.gcp.credentials: \"{key}\" has no client_email (non-empty strings)", error);
    }

    [Fact]
    public void Parse_ReportsAnUnreadableAwsCredentialsFile_AtStartUp()
    {
        var error = ConfigAssert.FailsOnce(Builder + "[builder.targets.aws]\ncredentials = \"/nonexistent/aws-credentials\"\n" + ConfigAssert.HubSection);

        Assert.StartsWith($"{F}:4: builder.targets.aws.credentials: cannot read the AWS credentials file \"/nonexistent/aws-credentials\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesSkipSslVerification_TogetherWithACaBundle()
    {
        using var dir = new TempDirectory();
        var bundle = dir.Write("ca.pem", "-----BEGIN CERTIFICATE-----\n");

        var error = ConfigAssert.FailsOnce(Builder + $"""
            [builder.targets.generic_s3.lab]
            region = "lab-1"
            endpoint = "https://s3.lab.example.com"
            bucket = "images"
            ca_bundle = "{bundle}"
            skip_ssl_verification = true
            """ + "\n" + ConfigAssert.HubSection);

        Assert.Contains("skip_ssl_verification: cannot be true together with ca_bundle", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportsAMistypedTargetKey_WithTheClosestName()
    {
        var error = ConfigAssert.FailsOnce(Builder + "[builder.targets.aws]\nbuckett = \"staging\"\n" + ConfigAssert.HubSection);

        Assert.Contains("builder.targets.aws.buckett", error, StringComparison.Ordinal);
        Assert.Contains("bucket", error.Split("buckett")[1], StringComparison.Ordinal);
    }
}

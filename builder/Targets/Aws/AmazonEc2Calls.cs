using Amazon.EC2;
using Amazon.EC2.Model;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary><see cref="IEc2Calls"/> through the AWS SDK's <see cref="AmazonEC2Client"/> (EC2 Query API).</summary>
internal sealed class AmazonEc2Calls(IAmazonEC2 ec2) : IEc2Calls
{
    /// <summary>Root device of registered AMIs (composer's): the imported snapshot backs it.</summary>
    internal const string RootDevice = "/dev/sda1";

    public async Task<string> ImportSnapshotAsync(string bucket, string key, string description, string clientToken, CancellationToken cancellationToken)
    {
        var response = await ec2.ImportSnapshotAsync(new ImportSnapshotRequest
        {
            ClientToken = clientToken,
            Description = description,
            DiskContainer = new SnapshotDiskContainer
            {
                Format = "RAW",
                UserBucket = new UserBucket { S3Bucket = bucket, S3Key = key },
            },
        }, cancellationToken).ConfigureAwait(false);
        return response.ImportTaskId ?? throw new InvalidOperationException("ImportSnapshot returned no import task id");
    }

    public async Task<SnapshotImportStatus> DescribeImportAsync(string importTaskId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeImportSnapshotTasksAsync(new DescribeImportSnapshotTasksRequest { ImportTaskIds = [importTaskId] }, cancellationToken).ConfigureAwait(false);
        var task = response.ImportSnapshotTasks?.FirstOrDefault(t => string.Equals(t.ImportTaskId, importTaskId, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"DescribeImportSnapshotTasks does not know import task {importTaskId}");
        var detail = task.SnapshotTaskDetail;
        var progress = int.TryParse(detail?.Progress, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 0;
        return new SnapshotImportStatus(detail?.Status ?? "unknown", progress, detail?.StatusMessage, detail?.SnapshotId);
    }

    public Task CancelImportAsync(string importTaskId, CancellationToken cancellationToken) =>
        ec2.CancelImportTaskAsync(new CancelImportTaskRequest { ImportTaskId = importTaskId, CancelReason = "canceled by KojiComposer" }, cancellationToken);

    public Task TagNameAsync(string resourceId, string name, CancellationToken cancellationToken) =>
        ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [resourceId], Tags = [new Tag("Name", name)] }, cancellationToken);

    public async Task<string> RegisterImageAsync(AmiRegistration registration, CancellationToken cancellationToken)
    {
        var request = new RegisterImageRequest
        {
            Name = registration.Name,
            Architecture = registration.Architecture,
            VirtualizationType = "hvm",
            RootDeviceName = RootDevice,
            EnaSupport = true,
            BlockDeviceMappings =
            [
                new BlockDeviceMapping
                {
                    DeviceName = RootDevice,
                    Ebs = new EbsBlockDevice { SnapshotId = registration.SnapshotId, DeleteOnTermination = true },
                },
            ],
        };
        if (registration.BootMode is { } bootMode)
        {
            request.BootMode = bootMode;
        }

        var response = await ec2.RegisterImageAsync(request, cancellationToken).ConfigureAwait(false);
        return response.ImageId ?? throw new InvalidOperationException("RegisterImage returned no image id");
    }

    public async Task<string?> FindImageAsync(string name, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            Owners = ["self"],
            Filters = [new Filter("name", [name])],
        }, cancellationToken).ConfigureAwait(false);
        return response.Images?.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal))?.ImageId;
    }

    public Task ShareSnapshotAsync(string snapshotId, string account, CancellationToken cancellationToken) =>
        ec2.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest
        {
            SnapshotId = snapshotId,
            Attribute = SnapshotAttributeName.CreateVolumePermission,
            OperationType = OperationType.Add,
            UserIds = [account],
        }, cancellationToken);

    public Task ShareImageAsync(string imageId, string account, CancellationToken cancellationToken) =>
        ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = imageId,
            LaunchPermission = new LaunchPermissionModifications { Add = [new LaunchPermission { UserId = account }] },
        }, cancellationToken);

    public void Dispose() => ec2.Dispose();
}

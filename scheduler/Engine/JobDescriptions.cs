using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Engine;

/// <summary>
/// The names people see for jobs on the Hangfire dashboard, e.g. <c>build Fedora-Cloud-42-1 x86_64 qcow2 (task
/// 1234)</c>. They are the jobs' first argument, shown through <c>[JobDisplayName("{0}")]</c>.
/// </summary>
internal static class JobDescriptions
{
    public static string Init(Compose compose) => $"reserve {compose.Nvr}{Task(compose)}";

    public static string Image(Compose compose, ComposeImage image) =>
        $"build {compose.Nvr} {image.Arch} {image.ImageType}{Task(compose)}";

    public static string Finalize(Compose compose) => $"import {compose.Nvr}{Task(compose)}";

    private static string Task(Compose compose) =>
        compose.KojiTaskId is { } task ? $" (task {task})" : $" (compose {compose.ShortId})";
}

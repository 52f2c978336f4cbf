using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire.Dashboard.Pages;
using KojiComposer.Contracts.Secrets;
using KojiComposer.Contracts.Targets;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>
/// <c>/hangfire/composes/{id}</c>: the compose, its steps and images with state, progress, errors (code, reason,
/// details), attempts, worker, uploads, Koji links and times; Cancel and Retry failed for operators. While the
/// compose works, a small script polls the API every 2.5 s, moves the progress bars, and reloads the page when a
/// state changes. The reservation token is never shown.
/// </summary>
internal sealed class ComposeDetailPage(Guid composeId) : ComposePageBase
{
    public override void Execute()
    {
        var compose = Store.GetAsync(composeId, Http.RequestAborted).GetAwaiter().GetResult();
        Layout = new LayoutPage(compose is null ? "Compose not found" : $"Compose {compose.Nvr}");
        WriteLiteral(Styles);
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\">");
        if (compose is null)
        {
            WriteLiteral("<h1 class=\"page-header\">Compose not found</h1><div class=\"alert alert-warning\">No compose ");
            Text(composeId);
            WriteLiteral(".</div></div></div>");
            return;
        }

        WriteLiteral("<h1 class=\"page-header\"><span class=\"kc-nvr\">");
        Text(compose.Nvr);
        WriteLiteral("</span> ");
        StateLabel(compose.State.ToWire());
        WriteLiteral("</h1>");
        Notice(Query("done"));
        Actions(compose);
        Summary(compose);
        Images(compose);
        if (!compose.State.IsFinal())
        {
            Poller(compose);
        }

        WriteLiteral("</div></div>");
    }

    private void Notice(string? done)
    {
        var text = done switch
        {
            "cancel-requested" => "Cancel requested: waiting steps were canceled; running images stop within a lease renewal.",
            "already-final" => "The compose had already finished; nothing was canceled.",
            "retry-started" => "Retry started: the failed and canceled images will be built again with a new reservation.",
            "not-retryable" => "Nothing to retry: the compose is still running or succeeded.",
            "koji-task" => "Not retried: this compose serves a Koji task, which ended with it. Resubmit the task in Koji (koji osbuild-image, or Pungi) to build again.",
            "not-found" => "The compose no longer exists.",
            _ => null,
        };
        if (text is not null)
        {
            WriteLiteral("<div class=\"alert alert-info kc-notice\">");
            Text(text);
            WriteLiteral("</div>");
        }
    }

    private void Actions(Compose compose)
    {
        if (!IsOperator)
        {
            return;
        }

        var canCancel = !compose.State.IsFinal();
        var canRetry = compose.State is ComposeState.Failure or ComposeState.Canceled;
        if (!canCancel && !canRetry)
        {
            return;
        }

        WriteLiteral("<div class=\"kc-actions\" style=\"margin-bottom: 12px\">");
        if (canCancel)
        {
            ActionForm("cancel", "Cancel compose", "btn-danger", "Cancel this compose? Running images are stopped and the Koji build is refunded.");
        }

        if (canRetry)
        {
            ActionForm("retry-failed", "Retry failed images", "btn-warning", "Build the failed and canceled images again?");
        }

        WriteLiteral("</div>");
    }

    private void ActionForm(string action, string label, string style, string confirm)
    {
        var field = Http.RequestServices.GetService<IOptions<AntiforgeryOptions>>()?.Value.FormFieldName ?? "__RequestVerificationToken";
        WriteLiteral("<form method=\"post\" action=\"");
        Attr(Url.To($"{ComposeDashboard.DetailPath(composeId)}/{action}"));
        WriteLiteral("\" onsubmit=\"return confirm('");
        Attr(confirm);
        WriteLiteral("');\"><input type=\"hidden\" name=\"");
        Attr(field);
        WriteLiteral("\" value=\"");
        Attr(Context.AntiforgeryToken);
        WriteLiteral($"\"><button type=\"submit\" class=\"btn {style}\" id=\"kc-{action}\">");
        Text(label);
        WriteLiteral("</button></form>");
    }

    private void Summary(Compose compose)
    {
        WriteLiteral("<table class=\"table table-condensed kc-table\" id=\"kc-summary\" style=\"width: auto\"><tbody>");
        Row("Compose id", () => WriteLiteral("<code>" + compose.Id + "</code>"));
        Row("Koji task", () => KojiTaskLink(compose.KojiTaskId));
        Row("Koji build", () =>
        {
            if (compose.Reservation is { BuildId: not 0 } reservation)
            {
                KojiBuildLink(reservation.BuildId);
            }
            else
            {
                WriteLiteral("not reserved");
            }
        });
        Row("Koji hub", () => Text(compose.KojiServer ?? "–"));
        Row("Distribution", () => Text(compose.Distribution));
        Row("Submitted by", () => Text(compose.SubmittedBy ?? "–"));
        Row("Reservation (init)", () => Step(compose.InitState, compose.InitError));
        Row("Import (finalize)", () => Step(compose.FinalizeState, compose.FinalizeError));
        if (compose.CancelRequested)
        {
            Row("Cancel", () => WriteLiteral("<span class=\"label label-warning\">requested</span>"));
        }

        if (compose.Generation > 0)
        {
            Row("Retries", () => Text(compose.Generation.ToString(CultureInfo.InvariantCulture)));
        }

        Row("Created", () => Time(compose.CreatedAt));
        Row("Updated", () => Time(compose.UpdatedAt));
        Row("Finished", () => Time(compose.FinishedAt));
        WriteLiteral("</tbody></table>");
    }

    private void Step(StepState state, Contracts.Errors.JobError? error)
    {
        StateLabel(state.ToWire());
        if (error is not null)
        {
            ErrorBlock(error);
        }
    }

    private void Row(string label, Action value)
    {
        WriteLiteral("<tr><th>");
        Text(label);
        WriteLiteral("</th><td>");
        value();
        WriteLiteral("</td></tr>");
    }

    private void Images(Compose compose)
    {
        WriteLiteral("<h3>Images</h3><table class=\"table table-condensed kc-table\" id=\"kc-images\"><thead><tr><th>#</th><th>Arch</th><th>Image type</th><th>State</th><th>Progress</th><th>Attempts</th><th>Worker</th><th>Started</th><th>Finished</th></tr></thead><tbody>");
        foreach (var image in compose.Images)
        {
            var index = image.Index.ToString(CultureInfo.InvariantCulture);
            WriteLiteral($"<tr class=\"kc-image\" id=\"kc-image-{index}\"><td>{index}</td><td class=\"kc-arch\">");
            Text(image.Arch);
            WriteLiteral("</td><td class=\"kc-type\">");
            Text(image.ImageType);
            WriteLiteral("</td><td>");
            StateLabel(image.State.ToWire());
            WriteLiteral("</td><td>");
            Progress(image);
            WriteLiteral("</td><td>");
            Text(image.Attempts.ToString(CultureInfo.InvariantCulture));
            if (image.LostWorkers > 0)
            {
                WriteLiteral(" <span class=\"text-warning\">(");
                Text($"{image.LostWorkers} lost worker{(image.LostWorkers == 1 ? "" : "s")}");
                WriteLiteral(")</span>");
            }

            WriteLiteral("</td><td><code>");
            Text(image.Worker ?? "");
            WriteLiteral("</code></td><td>");
            Time(image.StartedAt);
            WriteLiteral("</td><td>");
            Time(image.FinishedAt);
            WriteLiteral("</td></tr>");
            var errorJson = ComposeStatusJson.ImageError(compose, image);
            var targets = ComposeStatusJson.UploadStatuses(image);
            if (errorJson is not null || image.Uploads.Count > 0 || targets.Count > 0)
            {
                WriteLiteral("<tr><td></td><td colspan=\"8\">");
                if (errorJson is not null)
                {
                    ErrorBlock(Contracts.Errors.JobError.FromJson(errorJson));
                }

                Uploads(image, targets);
                WriteLiteral("</td></tr>");
            }
        }

        WriteLiteral("</tbody></table>");
    }

    private void Progress(ComposeImage image)
    {
        var index = image.Index.ToString(CultureInfo.InvariantCulture);
        if (image.Progress is not { } progress || image.State.IsFinal())
        {
            WriteLiteral($"<span class=\"kc-progress-text\" id=\"kc-progress-text-{index}\">");
            Text(image.State == ImageState.Success ? "done" : "");
            WriteLiteral("</span>");
            return;
        }

        var percent = progress.Total > 0 ? Math.Clamp(100 * progress.Done / progress.Total, 0, 100) : 0;
        var pct = percent.ToString(CultureInfo.InvariantCulture);
        WriteLiteral($"<div class=\"progress kc-progress\"><div class=\"progress-bar progress-bar-striped active\" id=\"kc-progress-bar-{index}\" role=\"progressbar\" style=\"width: {pct}%\">{pct}%</div></div>");
        WriteLiteral($"<small class=\"kc-progress-text\" id=\"kc-progress-text-{index}\">");
        Text(ProgressText(progress));
        WriteLiteral("</small>");
    }

    internal static string ProgressText(Contracts.Images.ImageProgress progress)
    {
        var text = $"{progress.Done}/{progress.Total}";
        if (progress.Stage is { Length: > 0 } stage)
        {
            text += " " + stage;
        }

        if (progress.SubDone is { } subDone && progress.SubTotal is { } subTotal)
        {
            text += $" ({subDone}/{subTotal})";
        }

        return text;
    }

    // Results as people read them: '&' and quotes as themselves (the page's own escaping makes them safe HTML).
    private static readonly System.Text.Json.JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Koji upload, then each cloud target as compose-status.json shows it (pending, running,
    /// success, failure, with its result). Signed URLs (an aws.s3 result) are shown without their signature: the
    /// page is for people watching, and read-only users may not download.</summary>
    private void Uploads(ComposeImage image, JsonArray targets)
    {
        foreach (var upload in image.Uploads.Where(u => string.Equals(u.Type, UploadTargetTypes.Koji, StringComparison.Ordinal)))
        {
            WriteLiteral("<div class=\"kc-upload\">");
            WriteLiteral(upload.Success ? "<span class=\"label label-success\">uploaded</span> " : "<span class=\"label label-danger\">upload failed</span> ");
            Text(upload.Type);
            WriteLiteral(" <code>");
            Text(PresignedUrls.Redact(upload.Options.ToJsonString(ReadableJson)));
            WriteLiteral("</code></div>");
        }

        foreach (var target in targets.OfType<JsonObject>())
        {
            var status = target["status"]?.GetValue<string>() ?? "";
            var label = status switch
            {
                "success" => "label-success",
                "failure" => "label-danger",
                "running" => "label-info",
                _ => "label-default",
            };
            WriteLiteral($"<div class=\"kc-upload kc-target\" data-target=\"");
            Text(target["type"]?.GetValue<string>() ?? "");
            WriteLiteral($"\"><span class=\"label {label}\">");
            Text(status == "success" ? "uploaded" : status == "failure" ? "upload failed" : status);
            WriteLiteral("</span> ");
            Text(target["type"]?.GetValue<string>() ?? "");
            if (target["options"] is JsonObject { Count: > 0 } options)
            {
                WriteLiteral(" <code>");
                Text(PresignedUrls.Redact(options.ToJsonString(ReadableJson)));
                WriteLiteral("</code>");
            }

            WriteLiteral("</div>");
        }
    }

    private void Poller(Compose compose)
    {
        // The dashboard runs in a branch mapped at /hangfire: its PathBase ends with that, the API sits beside it.
        var pathBase = Http.Request.PathBase.Value ?? "";
        if (pathBase.EndsWith(WebHosting.DashboardPath, StringComparison.Ordinal))
        {
            pathBase = pathBase[..^WebHosting.DashboardPath.Length];
        }

        // A JSON string literal: System.Text.Json escapes quotes and <, >, &, so it cannot end the script.
        var api = System.Text.Json.JsonSerializer.Serialize($"{pathBase}{ComposerErrors.BasePath}/composes/{compose.Id}");
        var states = string.Join(",", compose.Images.Select(i => "\"" + i.State.ToWire() + "\""));
        // Besides the API path, only state names (fixed words) go into the script.
        WriteLiteral($$"""
            <script>
            (function () {
              var api = {{api}}, composeState = "{{compose.State.ToWire()}}", imageStates = [{{states}}];
              function tick() {
                fetch(api, { credentials: "same-origin", headers: { "Accept": "application/json" } })
                  .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
                  .then(function (status) {
                    var kc = status.kojicomposer, reload = kc.state !== composeState;
                    kc.images.forEach(function (image, i) {
                      if (image.state !== imageStates[i]) reload = true;
                      var p = image.progress, bar = document.getElementById("kc-progress-bar-" + i), text = document.getElementById("kc-progress-text-" + i);
                      if (!p || !bar) return;
                      var pct = p.total > 0 ? Math.min(100, Math.floor(100 * p.done / p.total)) : 0;
                      bar.style.width = pct + "%"; bar.textContent = pct + "%";
                      if (text) text.textContent = p.done + "/" + p.total + (p.stage ? " " + p.stage : "") + (p.sub_total != null ? " (" + p.sub_done + "/" + p.sub_total + ")" : "");
                    });
                    if (reload) location.reload(); else setTimeout(tick, 2500);
                  })
                  .catch(function () { setTimeout(tick, 5000); });
              }
              setTimeout(tick, 2500);
            })();
            </script>
            """);
    }
}

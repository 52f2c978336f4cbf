using System.Globalization;
using Hangfire.Dashboard;
using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>
/// What both compose pages share: services of the request, HTML helpers that encode every value
/// (<see cref="Text"/>), state colours and times. Pages are written in C# on Hangfire's <see cref="RazorPage"/>:
/// markup through <c>WriteLiteral</c>, data only through <c>Write</c>, which HTML-encodes.
/// </summary>
internal abstract class ComposePageBase : RazorPage
{
    protected HttpContext Http => Context.GetHttpContext();

    protected IComposeStore Store => Http.RequestServices.GetRequiredService<IComposeStore>();

    protected WebSettings Settings => Http.RequestServices.GetRequiredService<WebSettings>();

    protected DateTimeOffset Now => Http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    protected bool IsOperator => WebIdentity.Of(Http) is { IsOperator: true };

    /// <summary>Writes <paramref name="value"/> HTML-encoded.</summary>
    protected void Text(object? value) => Write(value?.ToString() ?? "");

    /// <summary>Writes an encoded attribute value (inside double quotes).</summary>
    protected void Attr(object? value) => Write(value?.ToString() ?? "");

    /// <summary>Bootstrap 3 label class (Hangfire's CSS) for a compose or image state: green success, red failure,
    /// orange canceled, blue while working, grey while waiting.</summary>
    protected static string StateClass(string state) => state switch
    {
        "success" => "label-success",
        "failure" => "label-danger",
        "canceled" => "label-warning",
        "running" or "building" or "finalizing" => "label-primary",
        "uploading" => "label-info",
        _ => "label-default",
    };

    protected void StateLabel(string state)
    {
        WriteLiteral($"<span class=\"label {StateClass(state)} kc-state\" data-state=\"");
        Attr(state);
        WriteLiteral("\">");
        Text(state);
        WriteLiteral("</span>");
    }

    protected void ErrorBlock(JobError error)
    {
        WriteLiteral("<div class=\"kc-error alert alert-danger\"><strong class=\"kc-error-code\">error ");
        Text(error.Id.ToString(CultureInfo.InvariantCulture));
        WriteLiteral("</strong>: <span class=\"kc-error-reason\">");
        Text(error.Reason);
        WriteLiteral("</span>");
        if (error.Details is { } details)
        {
            WriteLiteral("<pre class=\"kc-error-details\">");
            Text(details.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            WriteLiteral("</pre>");
        }

        WriteLiteral("</div>");
    }

    protected void KojiTaskLink(long? taskId)
    {
        if (taskId is not { } id)
        {
            WriteLiteral("&ndash;");
            return;
        }

        var text = id.ToString(CultureInfo.InvariantCulture);
        if (Settings.KojiWebUrl is { } web)
        {
            WriteLiteral("<a class=\"kc-task-link\" href=\"");
            Attr($"{web.AbsoluteUri.TrimEnd('/')}/taskinfo?taskID={text}");
            WriteLiteral("\">");
            Text(text);
            WriteLiteral("</a>");
        }
        else
        {
            Text(text);
        }
    }

    protected void KojiBuildLink(long buildId)
    {
        var text = buildId.ToString(CultureInfo.InvariantCulture);
        if (Settings.KojiWebUrl is { } web)
        {
            WriteLiteral("<a class=\"kc-build-link\" href=\"");
            Attr($"{web.AbsoluteUri.TrimEnd('/')}/buildinfo?buildID={text}");
            WriteLiteral("\">");
            Text(text);
            WriteLiteral("</a>");
        }
        else
        {
            Text(text);
        }
    }

    /// <summary>A time as UTC text with its age, e.g. <c>2026-12-01 23:40:02Z (5m ago)</c>.</summary>
    protected void Time(DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            WriteLiteral("&ndash;");
            return;
        }

        WriteLiteral("<span title=\"");
        Attr(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        WriteLiteral("\">");
        Text(t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " (" + Age(t) + " ago)");
        WriteLiteral("</span>");
    }

    protected string Age(DateTimeOffset time)
    {
        var age = Now - time;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalMinutes < 1 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours}h{age.Minutes:00}m"
            : $"{(int)age.TotalDays}d{age.Hours:00}h";
    }

    protected const string Styles = """
        <style>
        .kc-table td, .kc-table th { vertical-align: middle !important; }
        .kc-state { font-size: 90%; }
        .kc-error { margin: 4px 0; padding: 6px 10px; }
        .kc-error pre { margin: 4px 0 0; max-height: 16em; overflow: auto; white-space: pre-wrap; }
        .kc-progress { min-width: 160px; margin-bottom: 0; }
        .kc-filters .form-control { margin-right: 6px; }
        .kc-row-failure { background: #fdf0f0; }
        .kc-actions form { display: inline-block; margin-right: 8px; }
        </style>
        """;
}

using System.Globalization;
using Hangfire.Dashboard.Pages;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Web.Api;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>
/// <c>/hangfire/composes</c>: composes newest first with filters (state, NVR, Koji task, age), state colours,
/// images done/total and the first error of each failed compose, so a failure is visible without a click.
/// Refreshes itself every 10 s while any listed compose is still working.
/// </summary>
internal sealed class ComposesPage : ComposePageBase
{
    private const int PageSize = 50;
    private static readonly (string Value, string Text)[] Ages = [("", "any age"), ("1h", "last hour"), ("6h", "last 6 h"), ("24h", "last 24 h"), ("7d", "last 7 days"), ("30d", "last 30 days")];

    public override void Execute()
    {
        Layout = new LayoutPage("Composes");
        WriteLiteral(Styles);
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Composes</h1>");

        var ok = ComposeListQuery.TryParse(key => Query(key), Now, out var query, out var problem);
        query = query with { Limit = PageSize };
        Filters();
        if (!ok)
        {
            WriteLiteral("<div class=\"alert alert-warning\">");
            Text(problem);
            WriteLiteral("</div></div></div>");
            return;
        }

        // RazorPage.Execute is synchronous (Hangfire renders its own pages from synchronous storage calls too).
        var page = Store.ListAsync(query, Http.RequestAborted).GetAwaiter().GetResult();
        if (page.Items.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-info\">No composes match.</div></div></div>");
            return;
        }

        WriteLiteral("<table class=\"table table-condensed kc-table\" id=\"kc-composes\"><thead><tr><th>Compose</th><th>NVR</th><th>Koji task</th><th>State</th><th>Images done/total</th><th>Age</th><th>Submitted by</th></tr></thead><tbody>");
        foreach (var compose in page.Items)
        {
            Row(compose);
        }

        WriteLiteral("</tbody></table>");
        Pager(query.Offset, page.Total);
        if (page.Items.Any(c => !c.State.IsFinal()))
        {
            WriteLiteral("<script>setTimeout(function () { location.reload(); }, 10000);</script>");
        }

        WriteLiteral("</div></div>");
    }

    private void Row(Compose compose)
    {
        var state = compose.State.ToWire();
        var done = compose.Images.Count(i => i.State.IsFinal());
        var failed = compose.Images.Count(i => i.State == ImageState.Failure);
        WriteLiteral(compose.State == ComposeState.Failure ? "<tr class=\"kc-compose kc-row-failure\">" : "<tr class=\"kc-compose\">");
        WriteLiteral("<td><a class=\"kc-compose-link\" href=\"");
        Attr(Url.To(ComposeDashboard.DetailPath(compose.Id)));
        WriteLiteral("\"><code>");
        Text(compose.ShortId);
        WriteLiteral("</code></a></td><td class=\"kc-nvr\">");
        Text(compose.Nvr);
        WriteLiteral("</td><td>");
        KojiTaskLink(compose.KojiTaskId);
        WriteLiteral("</td><td>");
        StateLabel(state);
        WriteLiteral("</td><td class=\"kc-images\">");
        Text($"{done}/{compose.Images.Count}");
        if (failed > 0)
        {
            WriteLiteral(" <span class=\"text-danger\">(");
            Text(failed.ToString(CultureInfo.InvariantCulture));
            WriteLiteral(" failed)</span>");
        }

        WriteLiteral("</td><td>");
        Text(Age(compose.CreatedAt));
        WriteLiteral("</td><td>");
        Text(compose.SubmittedBy ?? "");
        WriteLiteral("</td></tr>");
        if (FirstError(compose) is { } error)
        {
            WriteLiteral("<tr class=\"kc-row-failure\"><td></td><td colspan=\"6\">");
            ErrorBlock(error);
            WriteLiteral("</td></tr>");
        }
    }

    private static Contracts.Errors.JobError? FirstError(Compose compose) =>
        compose.InitError ?? compose.Images.Select(i => i.Error).FirstOrDefault(e => e is not null && e.Id != Contracts.Errors.JobErrorCodes.Canceled) ?? compose.FinalizeError;

    private void Filters()
    {
        WriteLiteral("<form class=\"form-inline kc-filters\" method=\"get\" action=\"");
        Attr(Url.To(ComposeDashboard.ListPath));
        WriteLiteral("\" style=\"margin-bottom: 12px\"><select class=\"form-control\" name=\"state\"><option value=\"\">any state</option>");
        foreach (var state in Enum.GetValues<ComposeState>().Select(s => s.ToWire()))
        {
            Option(state, state, Query("state"));
        }

        WriteLiteral("</select><input class=\"form-control\" name=\"nvr\" placeholder=\"NVR contains\" value=\"");
        Attr(Query("nvr"));
        WriteLiteral("\"><input class=\"form-control\" name=\"task_id\" placeholder=\"Koji task id\" value=\"");
        Attr(Query("task_id"));
        WriteLiteral("\"><select class=\"form-control\" name=\"age\">");
        foreach (var (value, text) in Ages)
        {
            Option(value, text, Query("age"));
        }

        WriteLiteral("</select><button class=\"btn btn-default\" type=\"submit\">Filter</button></form>");
    }

    private void Option(string value, string text, string? selected)
    {
        WriteLiteral("<option value=\"");
        Attr(value);
        WriteLiteral(string.Equals(value, selected ?? "", StringComparison.Ordinal) ? "\" selected>" : "\">");
        Text(text);
        WriteLiteral("</option>");
    }

    private void Pager(int offset, int total)
    {
        WriteLiteral("<p class=\"text-muted\">");
        Text($"{offset + 1}-{Math.Min(offset + PageSize, total)} of {total}");
        WriteLiteral("</p>");
        if (offset > 0)
        {
            PageLink(Math.Max(0, offset - PageSize), "&larr; newer");
        }

        if (offset + PageSize < total)
        {
            PageLink(offset + PageSize, "older &rarr;");
        }
    }

    private void PageLink(int offset, string label)
    {
        var parameters = new[] { "state", "nvr", "task_id", "age" }
            .Where(k => !string.IsNullOrEmpty(Query(k)))
            .Select(k => $"{k}={Uri.EscapeDataString(Query(k))}")
            .Append($"offset={offset.ToString(CultureInfo.InvariantCulture)}");
        WriteLiteral("<a class=\"btn btn-default btn-sm\" href=\"");
        Attr(Url.To(ComposeDashboard.ListPath) + "?" + string.Join('&', parameters));
        WriteLiteral("\">" + label + "</a> ");
    }
}

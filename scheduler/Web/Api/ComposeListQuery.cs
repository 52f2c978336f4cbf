using System.Globalization;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>
/// The filters of <c>GET /composes/</c> and the Composes page: <c>state</c>, <c>nvr</c> (substring),
/// <c>task_id</c>, <c>age</c> (<c>90s</c>, <c>30m</c>, <c>6h</c>, <c>7d</c>) or <c>created_after</c> (ISO 8601),
/// <c>limit</c> (1-1000, default 50) and <c>offset</c>.
/// </summary>
internal static class ComposeListQuery
{
    public static bool TryParse(Func<string, string?> get, DateTimeOffset now, out ComposeQuery query, out string? problem)
    {
        query = new ComposeQuery();
        problem = null;
        if (Value(get, "state") is { } state)
        {
            if (!Enum.TryParse<ComposeState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                problem = $"state must be one of {string.Join(", ", Enum.GetValues<ComposeState>().Select(s => s.ToWire()))}";
                return false;
            }

            query = query with { State = parsed };
        }

        if (Value(get, "nvr") is { } nvr)
        {
            query = query with { Nvr = nvr };
        }

        if (Value(get, "task_id") is { } task)
        {
            if (!long.TryParse(task, NumberStyles.None, CultureInfo.InvariantCulture, out var taskId))
            {
                problem = "task_id must be a non-negative integer";
                return false;
            }

            query = query with { KojiTaskId = taskId };
        }

        if (Value(get, "age") is { } age)
        {
            if (!TryParseAge(age, out var span))
            {
                problem = "age must be a number with a unit s, m, h or d, e.g. 6h";
                return false;
            }

            query = query with { CreatedAfter = now - span };
        }

        if (Value(get, "created_after") is { } after)
        {
            if (!DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                problem = "created_after must be an ISO 8601 time";
                return false;
            }

            query = query with { CreatedAfter = query.CreatedAfter is { } fromAge && fromAge > time ? fromAge : time };
        }

        if (Value(get, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > 1000)
            {
                problem = "limit must be an integer from 1 to 1000";
                return false;
            }

            query = query with { Limit = limit };
        }

        if (Value(get, "offset") is { } offsetText)
        {
            if (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                problem = "offset must be a non-negative integer";
                return false;
            }

            query = query with { Offset = offset };
        }

        return true;
    }

    public static bool TryParse(IQueryCollection query, DateTimeOffset now, out ComposeQuery result, out string? problem) =>
        TryParse(k => query[k].FirstOrDefault(), now, out result, out problem);

    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        age = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.Zero,
        };
        return age > TimeSpan.Zero;
    }

    private static string? Value(Func<string, string?> get, string key) => get(key) is { Length: > 0 } value ? value.Trim() : null;
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>Small HTTP helpers for the API tests.</summary>
internal static class ApiResponses
{
    public const string Base = "api/image-builder-composer/v2/";

    public static async Task<(HttpStatusCode Status, JsonObject Body)> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public static async Task<(HttpStatusCode Status, JsonObject Body)> PostJsonAsync(this HttpClient client, string path, string? json, string contentType = "application/json")
    {
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, contentType);
        using var response = await client.PostAsync(path, content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>Checks composer's Error shape and returns the body.</summary>
    public static JsonObject AssertError(this (HttpStatusCode Status, JsonObject Body) response, HttpStatusCode status, int id, string reason)
    {
        Assert.Equal(status, response.Status);
        var body = response.Body;
        Assert.Equal("Error", body["kind"]!.GetValue<string>());
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), body["id"]!.GetValue<string>());
        Assert.Equal($"IMAGE-BUILDER-COMPOSER-{id}", body["code"]!.GetValue<string>());
        Assert.Equal($"/api/image-builder-composer/v2/errors/{id}", body["href"]!.GetValue<string>());
        Assert.Equal(reason, body["reason"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["operation_id"]!.GetValue<string>()));
        return body;
    }
}

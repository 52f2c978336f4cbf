using System.Net;
using System.Text;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Web.Access;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>Who gets in: the decision on one request, with the peer address a test chooses.</summary>
public sealed class AccessPolicyTests
{
    // Few iterations: the format and the check are what is tested, not the cost.
    private static readonly string OperatorHash = WebPasswordHash.Create("op-password", 1000);

    private static AccessDecision Decide(WebSettings settings, string? remote, string? authorization = null)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return new AccessPolicy(settings).Decide(http);
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void LoopbackRequest_IsLetInAsLocalOperator_ByDefault(string remote)
    {
        var decision = Decide(new WebSettings(), remote);

        Assert.Equal(AccessVerdict.Granted, decision.Verdict);
        Assert.Equal(new WebIdentity("local", WebRole.Operator, "local"), decision.Identity);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.7")]
    [InlineData("2001:db8::5")]
    [InlineData(null)]
    public void RemoteRequest_IsRefused_ByDefault_EvenWithCredentials(string? remote)
    {
        var settings = new WebSettings { Users = [new WebUser("op", OperatorHash, WebRole.Operator)] };

        var decision = Decide(settings, remote, Basic("op", "op-password"));

        Assert.Equal(AccessVerdict.Refused, decision.Verdict);
        Assert.Contains("remote access is disabled", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoteRequest_IsChallenged_WhenRemoteAccessIsOn_AndNoCredentialsCame()
    {
        var settings = new WebSettings { AllowRemote = true, Users = [new WebUser("op", OperatorHash, WebRole.Operator)] };

        Assert.Equal(AccessVerdict.Challenge, Decide(settings, "10.1.2.3").Verdict);
    }

    [Fact]
    public void RemoteRequest_WithTheRightPassword_GetsTheUsersRole()
    {
        var settings = new WebSettings { AllowRemote = true, Users = [new WebUser("viewer", WebPasswordHash.Create("look", 1000), WebRole.ReadOnly)] };

        var decision = Decide(settings, "10.1.2.3", Basic("viewer", "look"));

        Assert.Equal(new WebIdentity("viewer", WebRole.ReadOnly, "basic"), decision.Identity);
    }

    [Theory]
    [InlineData("op", "wrong")]
    [InlineData("nobody", "op-password")]
    public void RemoteRequest_WithAWrongUserOrPassword_IsChallenged(string user, string password)
    {
        var settings = new WebSettings { AllowRemote = true, Users = [new WebUser("op", OperatorHash, WebRole.Operator)] };

        Assert.Equal(AccessVerdict.Challenge, Decide(settings, "10.1.2.3", Basic(user, password)).Verdict);
    }

    [Fact]
    public void LoopbackRequest_MustAuthenticate_WhenLocalRoleIsOff()
    {
        var settings = new WebSettings { LocalRole = null, Users = [new WebUser("op", OperatorHash, WebRole.Operator)] };

        Assert.Equal(AccessVerdict.Challenge, Decide(settings, "127.0.0.1").Verdict);
        Assert.Equal(AccessVerdict.Granted, Decide(settings, "127.0.0.1", Basic("op", "op-password")).Verdict);
    }

    [Fact]
    public void PasswordHash_VerifiesItsPassword_AndNothingElse()
    {
        var hash = WebPasswordHash.Create("correct horse", 1000);

        Assert.Matches(@"^pbkdf2-sha256\$1000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$", hash);
        Assert.True(WebPasswordHash.Verify("correct horse", hash));
        Assert.False(WebPasswordHash.Verify("correct horse ", hash));
        Assert.False(WebPasswordHash.Verify("correct horse", "plain-text-password"));
        Assert.NotEqual(hash, WebPasswordHash.Create("correct horse", 1000));
    }

    [Fact]
    public void WebUser_ToString_DoesNotShowTheHash()
    {
        var user = new WebUser("op", OperatorHash, WebRole.Operator);

        Assert.DoesNotContain(OperatorHash, user.ToString(), StringComparison.Ordinal);
    }
}

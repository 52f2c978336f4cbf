using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KojiComposer.Cli.Tests.Service;

/// <summary>
/// An HTTP/1.1 server on loopback port 0 for what the real service never does: drop the connection after reading a
/// request, or speak TLS with a certificate of a private CA. <see cref="Answer"/> gets each request's first line
/// and returns the whole response, or null to close the connection without answering.
/// </summary>
internal sealed class FakeService : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Task _loop;
    private int _requests;

    public FakeService(Func<string, string?> answer, X509Certificate2? certificate = null)
    {
        Answer = answer;
        _certificate = certificate;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public Func<string, string?> Answer { get; }

    /// <summary>Requests read so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A 200 with a JSON body.</summary>
    public static string Json(string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    stream = tls;
                }

                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                if (Answer(head.Split("\r\n")[0]) is { } response)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // A client that gave up on our certificate, or the test ending.
            }
        }
    }

    private async Task<string?> ReadHeadAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1];
        while (!EndsWithBlankLine(bytes))
        {
            if (await stream.ReadAsync(buffer, _stop.Token) == 0)
            {
                return null;
            }

            bytes.Add(buffer[0]);
        }

        var head = Encoding.ASCII.GetString([.. bytes]);
        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
            ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return head;
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>A private CA and a <c>localhost</c> server certificate it signed, made for the tests of one class.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=KojiComposer test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var signed = request.Create(Ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(key);
        // SslStream on Linux wants a key it can export: go through PKCS#12.
        Server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate with its key.</summary>
    public X509Certificate2 Server { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
    }
}

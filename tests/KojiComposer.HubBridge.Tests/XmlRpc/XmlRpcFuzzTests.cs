using System.Buffers;
using System.Text;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>
/// A deterministic mutation fuzzer over the golden documents: whatever the bytes, the decoder may only succeed or
/// throw <see cref="XmlRpcFormatException"/> / <see cref="KojiFaultException"/> — no other exception, no stack
/// overflow, no hang — and whatever it accepts must re-encode and decode again to the same document.
/// </summary>
public sealed class XmlRpcFuzzTests
{
    private const int DefaultSeed = 20_261_126;
    private const int DefaultMutations = 20_000;

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "<value>", "</value>", "<struct>", "</struct>", "<member>", "</member>", "<name>", "</name>", "<array>",
            "<data>", "</data>", "</array>", "<int>", "</int>", "<i4>", "<i8>", "</i8>", "<nil/>", "<ex:nil/>",
            "<string>", "</string>", "<boolean>", "<double>", "<base64>", "<dateTime.iso8601>", "<params>", "<param>",
            "</param>", "<fault>", "<methodResponse>", "</methodResponse>", "<methodCall>", "<methodName>",
            "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&amp;", "&lt;", "&#x0;", "&#x1F680;", "&#1114112;", "&#65;", "&lol;",
            "&", "<![CDATA[", "]]>", "<!--", "-->", "<?pi ?>", "<?xml version='1.0'?>", "\r\n", "\r", "é", "日本",
            "99999999999999999999", "2147483648", "-", "inf", "nan", "1e308", "=", "'", "\"", " x='1'", "/>", "<", ">",
            "</", "<value><struct><member><name>a</name><value><array><data>", "</data></array></value></member></struct></value>",
        }.Select(Encoding.UTF8.GetBytes),
        [0xC3], [0xFF], [0x00], [0xEF, 0xBB, 0xBF], [0xF0, 0x9F], [0xED, 0xA0, 0x80],
    ];

    [Fact]
    public void Decode_OnlyThrowsCodecExceptions_WhenGoldenDocumentsAreMutated()
    {
        // XMLRPC_FUZZ_MUTATIONS / XMLRPC_FUZZ_SEED allow longer local runs; CI uses the fixed defaults.
        int mutations = int.TryParse(Environment.GetEnvironmentVariable("XMLRPC_FUZZ_MUTATIONS"), out int m) ? m : DefaultMutations;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("XMLRPC_FUZZ_SEED"), out int s) ? s : DefaultSeed;
        var corpus = Corpus();
        var random = new Random(seed);
        var failures = new List<string>();
        int accepted = 0;
        int refused = 0;
        int faults = 0;

        for (int i = 0; i < mutations; i++)
        {
            var (original, isRequest) = corpus[random.Next(corpus.Count)];
            byte[] mutated = Mutate(original, random);
            try
            {
                byte[] reencoded = isRequest ? ReencodeCall(mutated) : ReencodeResponse(mutated);
                accepted++;

                // What was accepted must survive another round unchanged (raw CRs are the one lossy case, exactly as
                // with Python: the writer keeps them raw and XML turns them into LF).
                if (Array.IndexOf(reencoded, (byte)'\r') < 0)
                {
                    byte[] again = isRequest ? ReencodeCall(reencoded) : ReencodeResponse(reencoded);
                    if (!again.AsSpan().SequenceEqual(reencoded))
                    {
                        failures.Add($"mutation {i}: re-encoding is not stable for {Show(mutated)}");
                    }
                }
            }
            catch (XmlRpcFormatException)
            {
                refused++;
            }
            catch (KojiFaultException)
            {
                faults++;
            }
            catch (Exception e)
            {
                failures.Add($"mutation {i}: {e.GetType().Name}: {e.Message} for {Show(mutated)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));

        // The mutations must exercise all outcomes, or the fuzzer is not testing much.
        Assert.True(accepted > mutations / 40, $"only {accepted} mutated documents were accepted");
        Assert.True(refused > mutations / 4, $"only {refused} mutated documents were refused");
        Assert.True(faults > mutations / 2000, $"only {faults} mutated documents decoded to faults");
    }

    [Fact]
    public void Decode_RefusesEveryPrefix_WhenGoldenDocumentsAreTruncated()
    {
        foreach (var body in GoldenTranscripts.All.Where(b => !b.IsTrimmed))
        {
            byte[] bytes = body.Bytes;

            // Everything shorter than the closing root tag is incomplete; the last newline is optional.
            int complete = bytes.AsSpan().LastIndexOf("</method"u8);
            for (int length = 0; length < complete; length++)
            {
                var prefix = bytes.AsSpan(0, length).ToArray();
                var error = Assert.Throws<XmlRpcFormatException>(() =>
                {
                    if (body.IsRequest)
                    {
                        XmlRpcReader.ReadMethodCall(prefix);
                    }
                    else
                    {
                        XmlRpcReader.ReadResponse(prefix);
                    }
                });
                Assert.Contains(" is not valid: ", error.Message, StringComparison.Ordinal);
            }
        }
    }

    private static List<(byte[] Document, bool IsRequest)> Corpus()
    {
        var corpus = GoldenTranscripts.All.Select(b => (b.Bytes, b.IsRequest)).ToList();
        var rich = new XmlRpcStruct
        {
            ["int"] = 1,
            ["i8"] = 1L << 40,
            ["neg"] = -2147483648,
            ["bool"] = true,
            ["text"] = "a & b < c > d é 🚀",
            ["double"] = 1795655803.490997,
            ["tiny"] = 1e-7,
            ["when"] = new DateTime(2026, 11, 26, 1, 12, 55),
            ["bytes"] = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray(),
            ["nil"] = null,
            ["list"] = new object?[] { 1, "two", null, new object?[] { 3.5, false }, new XmlRpcStruct() },
            ["nested"] = new XmlRpcStruct { ["deeper"] = new XmlRpcStruct { ["deepest"] = new object?[] { null } } },
        };
        corpus.Add((Encoding.UTF8.GetBytes(XmlRpcWriter.MethodResponseDocument(rich)), false));
        corpus.Add((Encoding.UTF8.GetBytes(XmlRpcWriter.FaultDocument(1014, "server is offline")), false));
        corpus.Add((XmlRpcWriter.MethodCallBytes("getTaskInfo", [1, rich, KojiKeywordArguments.Of(("request", true))]), true));
        corpus.Add(("<methodCall><methodName>sslLogin</methodName></methodCall>"u8.ToArray(), true));
        return corpus;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        int operations = 1 + random.Next(4);
        for (int op = 0; op < operations; op++)
        {
            int at = random.Next(data.Count + 1);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] = (byte)random.Next(256);
                    break;
                case 1 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 3:
                case 4:
                    data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 5 when at < data.Count:
                    int length = Math.Min(1 + random.Next(64), data.Count - at);
                    data.InsertRange(at, data.GetRange(at, length));
                    break;
                case 6 when at < data.Count:
                    data.RemoveRange(at, Math.Min(1 + random.Next(16), data.Count - at));
                    break;
            }
        }

        return [.. data];
    }

    private static byte[] ReencodeCall(byte[] document)
    {
        var call = XmlRpcReader.ReadMethodCall(document);
        var output = new ArrayBufferWriter<byte>();
        XmlRpcWriter.WriteMethodCall(output, call.MethodName, call.Params);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] ReencodeResponse(byte[] document)
    {
        object? value = XmlRpcReader.ReadMethodResponse(document);
        var output = new ArrayBufferWriter<byte>();
        XmlRpcWriter.WriteMethodResponse(output, value);
        return output.WrittenSpan.ToArray();
    }

    private static string Show(byte[] document) =>
        Convert.ToBase64String(document.Length > 2000 ? document[..2000] : document);
}

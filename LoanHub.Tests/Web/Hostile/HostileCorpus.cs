using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Tests.Web.Features.Outcomes;

namespace LoanHub.Tests.Web.Hostile;

/// <summary>One request a hostile or broken client sends; every one of them must be refused.</summary>
internal sealed record HostileRequest(string Api, string What, HttpMethod Method, string Path, string? ApiKey, byte[]? Body, bool Chunked = false)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (ApiKey is not null) message.Headers.TryAddWithoutValidation("X-Api-Key", ApiKey);
        if (Body is not null)
        {
            message.Content = Chunked ? new ChunkedContent(Body) : new ByteArrayContent(Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }
        return message;
    }

    public override string ToString() => $"{Api} {What}";

    /// <summary>A body sent without a length, as a streaming client would: only the server's read limit stops it.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>
/// Malformed and hostile requests for intake, postbacks and the leads pull, and malformed configuration files,
/// drawn from a seed: the same seed gives the same corpus. Each item breaks at least one rule for certain
/// (a value out of range, a wrong type, broken JSON, a bad key …), so every answer must be a refusal.
/// </summary>
internal sealed class HostileCorpus(int seed)
{
    public const string MadeUpKey = "made-up-key-";

    private readonly Random random = new(seed);
    private int person;

    // Fragments attackers try: in a field with a strict format they must be refused, in free text stored as text.
    public static readonly string[] Fragments =
    [
        "' OR '1'='1", "'; DROP TABLE Applications;--", "1; DELETE FROM Sources", "\" OR 1=1 --", "admin'--", "1 UNION SELECT ApiKeyHash FROM Lenders",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x/a}",
        "../../etc/passwd", "%00", "%27%20OR%201%3D1", "\\u0000", "$where: 1", "<!--", "]]>", "🙂", "Ｓｅｌｅｃｔ", "null", "undefined", "NaN",
    ];

    private static readonly string[] Controls = ["\u0000", "\u0007", "\b", "\u001b", "\u007f", "\u0085", "\u009b", "\u202e", "\u2066", "\ud800", "\udc00", "\uffff"];

    private static readonly string[] NotNumbers = ["NaN", "Infinity", "-Infinity", "abc", "", " ", "1e", "0x10", "1,000", "١٢٣", "++1", "--1", "1e400", "12 000"];

    private static readonly string[] HugeNumbers =
    [
        "1e30", "-1e30", "79228162514264337593543950335", "-79228162514264337593543950335", "1e400", "-1e400",
        "79228162514264337593543950336", "9999999999999999999999999999999999", "100000000.01",
        "0.001", "1.0000000000000000000000000001", "2147483648", "-2147483649", "9223372036854775808",
    ];

    public IEnumerable<HostileRequest> Requests(int count, string routedApplicationId)
    {
        for (var i = 0; i < count; i++)
        {
            var draw = random.Next(100);
            yield return draw < 60 ? Intake() : draw < 85 ? Postback(routedApplicationId) : Leads();
        }
    }

    /// <summary>Configuration files that must not import: <paramref name="example"/> with one thing broken.</summary>
    public IEnumerable<(string What, string Json)> ConfigurationFiles(int count, string example)
    {
        for (var i = 0; i < count; i++) yield return ConfigurationFile(example);
    }

    private HostileRequest Intake()
    {
        var body = IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(780_000 + Interlocked.Increment(ref person) % 9_999));
        string[] textFields = ["externalRef", "fullName", "city", "deviceId"];
        string[] formatFields = ["nationalId", "phone", "provinceCode", "ipAddress", "employment", "purpose"];
        string[] moneyFields = ["monthlyIncome", "existingMonthlyDebt", "requestedAmount"];
        string[] countFields = ["termMonths", "bureauScore"];
        var key = IntakeClient.AdsKey;
        string what;
        switch (random.Next(16))
        {
            case 0: return Broken("intake", "/api/v1/applications", key, body);
            case 1:
                what = Pick(moneyFields.Concat(countFields).ToArray());
                body[what] = Pick(NotNumbers);
                break;
            case 2:
                what = Pick(moneyFields.Concat(countFields).ToArray());
                return Raw("intake", $"huge {what}", "/api/v1/applications", key, Replace(body, what, Pick(HugeNumbers)));
            case 3:
                what = Pick(moneyFields);
                body[what] = what == "requestedAmount" ? Pick([-1m, 0.001m, 499.99m, 5_000_000.01m, 7.9e27m]) : Pick([-0.01m, -1m, 1.005m, 10_000_000.01m, 7.9e27m]);
                break;
            case 4:
                what = Pick(countFields);
                body[what] = what == "termMonths" ? Pick([0, -1, 121, int.MaxValue, int.MinValue]) : Pick([0, 299, 901, -300, int.MaxValue]);
                break;
            case 5:
                what = Pick(textFields.Append("consent.text").ToArray());
                Set(body, what, new string(Pick(['x', '王', 'é']), what == "consent.text" ? 4_001 + random.Next(4_000) : 129 + random.Next(2_000)));
                break;
            case 6:
                what = Pick(textFields.Append("consent.text").ToArray());
                Set(body, what, Insert(Get(body, what), Pick(Controls)));
                break;
            case 7:
                what = Pick(formatFields);
                body[what] = Pick(Fragments);
                break;
            case 8:
                what = "nationalId";
                body[what] = BadNationalId();
                break;
            case 9:
                what = Pick(["externalRef", "fullName", "deviceId", "monthlyIncome", "requestedAmount", "termMonths", "consent", .. formatFields]);
                body.Remove(what); // every one of these is required
                break;
            case 10:
                what = Pick(["consent.creditCheck", "consent.shareWithLenders"]);
                Set(body, what, Pick<JsonNode?>([false, null, "true", 1]));
                break;
            case 11:
                what = Pick(textFields.Concat(formatFields).Append("consent").ToArray());
                body[what] = Pick<JsonNode?>([12345, true, new JsonArray("a"), new JsonObject { ["$ne"] = 1 }, 1.5]);
                break;
            case 12:
                what = Pick(textFields.Concat(formatFields).ToArray());
                return Raw("intake", $"deep {what}", "/api/v1/applications", key, Replace(body, what, Deep(65 + random.Next(5_000))));
            case 13: return Huge("intake", "/api/v1/applications", key, body, 64 * 1024);
            case 14:
                return Raw("intake", "bad key", "/api/v1/applications", Pick<string?>([null, "", MadeUpKey + random.Next(), RoutedLeads.L1Key, IntakeClient.AdsKey[..^1]]), Json(body));
            default:
                what = "ipAddress";
                body[what] = Pick(["256.1.1.1", "1.2.3", "::ffff:1.2.3.4.5", "localhost", "1.2.3.4/24", "0x7f.1", "01.2.3.4.5", "::g", "1.2.3.4\u0000"]);
                break;
        }
        return Raw("intake", what, "/api/v1/applications", key, Json(body));
    }

    private HostileRequest Postback(string applicationId)
    {
        var body = new JsonObject
        {
            ["eventId"] = $"EV-{random.Next():x}",
            ["applicationId"] = applicationId,
            ["outcome"] = "Funded",
            ["fundedAmount"] = 10_000m,
            ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture),
        };
        var key = RoutedLeads.L1Key;
        string what;
        switch (random.Next(12))
        {
            case 0: return Broken("postback", "/api/v1/postbacks", key, body);
            case 1:
                what = "fundedAmount";
                return Raw("postback", $"huge {what}", "/api/v1/postbacks", key, Replace(body, what, Pick(HugeNumbers)));
            case 2:
                what = "fundedAmount";
                body[what] = Pick<JsonNode?>([-1m, 0m, 0.001m, 100_000_000.01m, 7.9e27m, "NaN", "Infinity", "abc", null]);
                break;
            case 3:
                what = "eventId";
                body[what] = Pick<JsonNode?>([null, "", " ", new string('e', 65 + random.Next(1_000)), Insert("EV-1", Pick(Controls)), 42, new JsonArray()]);
                break;
            case 4:
                what = "outcome";
                body[what] = Pick<JsonNode?>([.. Fragments.Where(f => f is not ("null" or "NaN")), "approved", "0", "3", "Fund", null, 1]);
                break;
            case 5:
                what = "applicationId";
                body[what] = Pick<JsonNode?>([null, "", "not-a-guid", Guid.Empty.ToString(), "' OR 1=1 --", 123, applicationId + "0"]);
                break;
            case 6:
                what = "occurredAt";
                body[what] = Pick<JsonNode?>([null, "yesterday", "0001-01-01T00:00:00+14:00", "1999-12-31T23:59:59Z", "9999-12-31T23:59:59Z",
                    DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture), "2026-02-30T00:00:00Z", 1700000000, "0001-01-01T00:00:00Z"]);
                break;
            case 7:
                what = "outcome Approved with fundedAmount";
                body["outcome"] = "Approved";
                break;
            case 8:
                what = Pick(["eventId", "outcome", "applicationId", "occurredAt", "fundedAmount"]);
                return Raw("postback", $"deep {what}", "/api/v1/postbacks", key, Replace(body, what, Deep(65 + random.Next(5_000))));
            case 9: return Huge("postback", "/api/v1/postbacks", key, body, 8 * 1024);
            case 10:
                return Raw("postback", "bad key", "/api/v1/postbacks", Pick<string?>([null, "", MadeUpKey + random.Next(), IntakeClient.AdsKey]), Json(body));
            default:
                what = "wrong id for this lender";
                key = RoutedLeads.L2Key;
                break;
        }
        return Raw("postback", what, "/api/v1/postbacks", key, Json(body));
    }

    private HostileRequest Leads()
    {
        string[] badAfter = ["-1", "abc", "1e99", "99999999999999999999999", "1.5", " 1", "0x10", "%00", "%27%20OR%201%3D1", "%3Cscript%3E", "1;DROP%20TABLE%20Allocations"];
        string[] badLimit = ["0", "501", "-5", "x", "99999999999", "1e3", "%E2%80%AE5", "100%00"];
        switch (random.Next(5))
        {
            case 0: return new("leads", "after", HttpMethod.Get, $"/api/v1/leads?after={Pick(badAfter)}", RoutedLeads.L1Key, null);
            case 1: return new("leads", "limit", HttpMethod.Get, $"/api/v1/leads?limit={Pick(badLimit)}", RoutedLeads.L1Key, null);
            case 2: return new("leads", "bad key", HttpMethod.Get, "/api/v1/leads", Pick<string?>([null, "", MadeUpKey + random.Next(), IntakeClient.AppKey, "' OR '1'='1"]), null);
            case 3: return new("leads", "body on a read", HttpMethod.Get, "/api/v1/leads", RoutedLeads.L1Key, new byte[2_048 + random.Next(100_000)]);
            default: return new("leads", "after and limit", HttpMethod.Get, $"/api/v1/leads?after={Pick(badAfter)}&limit={Pick(badLimit)}", RoutedLeads.L1Key, null);
        }
    }

    private (string What, string Json) ConfigurationFile(string example)
    {
        var document = JsonNode.Parse(example)!.AsObject();
        var product = document["lenders"]![0]!["products"]![0]!.AsObject();
        var lender = document["lenders"]![1]!.AsObject();
        var source = document["sources"]![0]!.AsObject();
        string[] productMoney = ["minAmount", "maxAmount", "minMonthlyIncome", "monthlyBudget"];
        string[] productCounts = ["dailyCap", "weight", "priority", "minTermMonths", "maxTermMonths", "minAge", "maxAge", "minScore"];
        string what;
        switch (random.Next(13))
        {
            case 0:
                var text = Json(document);
                return ("broken JSON", text[..random.Next(1, text.Length - 1)] + Pick(["", "\"", "{", ",", "]", "\u0000"]));
            case 1:
                what = Pick(productMoney.Concat(productCounts).ToArray());
                product[what] = Pick(NotNumbers.Where(n => n.Length > 0 && !n.Any(char.IsWhiteSpace)).ToArray());
                break;
            case 2:
                what = Pick(productMoney);
                return ($"huge {what}", Replace(Json(document), $"\"{what}\":{(product[what] is { } value ? Json(value) : "null")}", $"\"{what}\":{Pick(HugeNumbers)}"));
            case 3:
                what = Pick(productMoney.Append("dailyCap").ToArray());
                product[what] = what == "dailyCap" ? Pick([-1, 1_000_001, int.MaxValue]) : Pick([-1m, -0.01m, 0.001m, 100_000_000.01m, 7.9e27m]);
                break;
            case 4:
                what = Pick(["weight", "priority", "minTermMonths", "maxTermMonths", "minAge", "maxAge", "minScore"]);
                product[what] = Pick([-1, 10_001, int.MaxValue, int.MinValue]);
                break;
            case 5:
                what = Pick(["code", "name"]);
                var target = Pick([product, lender, source]);
                target[what] = what == "code" ? new string('C', 33 + random.Next(500)) : new string('名', 101 + random.Next(5_000));
                break;
            case 6:
                what = Pick(["code", "name"]);
                var owner = Pick([product, lender, source]);
                owner[what] = Insert((string)owner[what]!, Pick(Controls));
                break;
            case 7:
                what = "code";
                Pick([product, lender, source])[what] = Pick(Fragments.Where(f => f is not ("null" or "NaN" or "undefined")).ToArray());
                break;
            case 8:
                what = Pick(["type", "maxTier", "commission.model", "employment", "routing.strategy"]);
                switch (what)
                {
                    case "commission.model": product["commission"]!["model"] = Pick<JsonNode>([99, -1, "Free"]); break;
                    case "employment": product["employment"] = new JsonArray(Pick<JsonNode>([99, "Astronaut", -1])); break;
                    case "routing.strategy": document["routing"]!["strategy"] = Pick<JsonNode>([99, "Random"]); break;
                    default: product[what] = Pick<JsonNode>([99, -1, "Z"]); break;
                }
                break;
            case 9:
                what = Pick(["null product", "null lender", "null source", "null commission", "null name", "null code", "null province"]);
                switch (what)
                {
                    case "null product": document["lenders"]![0]!["products"]!.AsArray().Add(null); break;
                    case "null lender": document["lenders"]!.AsArray().Add(null); break;
                    case "null source": document["sources"]!.AsArray().Add(null); break;
                    case "null commission": product["commission"] = null; break;
                    case "null name": Pick([product, lender, source])["name"] = null; break;
                    case "null code": Pick([product, lender, source])["code"] = null; break;
                    default: product["provinces"] = new JsonArray("31", null); break;
                }
                break;
            case 10:
                what = Pick(["sources", "lenders", "products", "provinces", "commission", "name"]);
                var wrong = Pick<JsonNode>(["31", 7, true, new JsonObject { ["x"] = 1 }]);
                switch (what)
                {
                    case "products": lender["products"] = wrong; break;
                    case "provinces": product["provinces"] = wrong; break;
                    case "commission": product["commission"] = Pick<JsonNode>(["CPL", 30, new JsonArray()]); break;
                    case "name": product["name"] = Pick<JsonNode>([5, new JsonArray(), false]); break;
                    default: document[what] = wrong; break;
                }
                break;
            case 11:
                what = "deep nesting";
                return (what, Replace(Json(document), "\"routing\":{\"strategy\":\"Weighted\"}", $"\"routing\":{{\"strategy\":{Deep(65 + random.Next(5_000))}}}"));
            default:
                what = Pick(["apiKey", "secret", "postUrl"]);
                if (what == "apiKey") source[what] = Pick(["key with spaces in it 123", "ключ-источника-0001-abcdef", new string('k', 257), "example\u0000source-ADS-0f3a9c2e"]);
                else lender["delivery"] = what == "secret"
                    ? new JsonObject { ["postUrl"] = "https://l2.example/post", ["secret"] = Pick(["short", new string('s', 300), "s e c r e t s e c r e t s e c r e t s e c r e t", "秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密秘密"]) }
                    : new JsonObject { ["postUrl"] = Pick(["javascript:alert(1)", "file:///etc/passwd", "http://169.254.169.254/latest", "https://x/" + new string('a', 2_100), "https://l2.example/\u0000"]), ["secret"] = new string('s', 40) };
                break;
        }
        return (what, Json(document));
    }

    private HostileRequest Broken(string api, string path, string key, JsonObject body)
    {
        var text = Json(body);
        var bytes = random.Next(8) switch
        {
            0 => Encoding.UTF8.GetBytes(text[..random.Next(1, text.Length - 1)]),
            // Right after the opening brace, where any of these breaks the document (inside a string it might not).
            1 => Encoding.UTF8.GetBytes(text.Insert(1, Pick(["{", "}", "]", ",,", ":", "\"", "\\", "'", "NaN", "\u0000"]))),
            2 => [.. Encoding.UTF8.GetBytes(text[..20]), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(text[20..])],
            3 => Encoding.UTF8.GetBytes(Pick(["", " ", "null", "[]", "\"text\"", "123", "true", "{", "[{}]", "<xml/>", "a=1&b=2"])),
            4 => RandomBytes(1 + random.Next(2_000)),
            5 => Encoding.UTF8.GetBytes(text.Replace("\"", "'", StringComparison.Ordinal)),
            6 => Encoding.UTF8.GetBytes(Deep(65 + random.Next(10_000))),
            _ => Encoding.UTF8.GetBytes(text + Pick(["}", "x", ",{}", "{\"a\":1}"])),
        };
        return new(api, "broken JSON", HttpMethod.Post, path, key, bytes);
    }

    private HostileRequest Huge(string api, string path, string key, JsonObject body, int limit)
    {
        body["padding"] = new string('p', limit + random.Next(1, 200_000));
        return new(api, "huge body", HttpMethod.Post, path, key, Encoding.UTF8.GetBytes(Json(body)), Chunked: random.Next(2) == 0);
    }

    private static HostileRequest Raw(string api, string what, string path, string? key, string json) =>
        new(api, what, HttpMethod.Post, path, key, Encoding.UTF8.GetBytes(json));

    /// <summary>The body with one top-level field's JSON value replaced by raw text (numbers no JsonNode can hold).</summary>
    private static string Replace(JsonObject body, string field, string rawValue)
    {
        body[field] = "__RAW__";
        return Json(body).Replace("\"__RAW__\"", rawValue, StringComparison.Ordinal);
    }

    private static string Replace(string json, string from, string to) =>
        json.Contains(from, StringComparison.Ordinal) ? json.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"{from} is not in the document");

    private string Deep(int depth) => random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private string BadNationalId()
    {
        var good = IntakeClient.NationalId(789_000 + random.Next(999));
        return random.Next(6) switch
        {
            0 => good[..17] + "10X98765432".First(c => c != good[17] && random.Next(3) == 0 || c == (good[17] == '0' ? '1' : '0')),
            1 => good[..6] + "19991332" + good[14..],
            2 => "99" + good[2..],
            3 => good[..17],
            4 => good + "0",
            _ => good[..10] + "A" + good[11..],
        };
    }

    private static JsonNode? Get(JsonObject body, string path) =>
        path.Split('.') is [var outer, var inner] ? body[outer]![inner] : body[path];

    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        if (path.Split('.') is [var outer, var inner]) body[outer]![inner] = value;
        else body[path] = value;
    }

    // The control character goes on the wire as a JSON escape: a lone surrogate could not be written otherwise.
    private string Insert(JsonNode? node, string control)
    {
        var text = node?.GetValue<string>() ?? "x";
        return text.Insert(random.Next(text.Length + 1), $"{ControlMarker}{(int)control[0]:x4}");
    }

    private const string ControlMarker = "@@control@@";

    private static string Json(JsonNode node) =>
        Regex.Replace(node.ToJsonString(), $"{ControlMarker}([0-9a-f]{{4}})", m => $"\\u{m.Groups[1].Value}");

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (bytes[0] == (byte)'{') bytes[0] = (byte)'<'; // an object that happens to parse would not be broken for certain
        return bytes;
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}

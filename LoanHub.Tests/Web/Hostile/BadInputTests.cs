using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LoanHub.Tests.Web.Hostile;

/// <summary>
/// Must hold: a barrage of malformed and hostile requests, drawn from a seed, against the real application on Kestrel —
/// sent one by one and 32 at a time, with valid traffic beside it — is refused every time with a problem details 4xx,
/// never a 5xx, stores nothing, and does not disturb the valid traffic.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20_260_310;
    private const int Requests = 10_000;
    private const int Sequential = 3_000;
    private const int ValidApplicants = 160;

    private readonly HostileHost host = Started();

    private static HostileHost Started()
    {
        var host = new HostileHost();
        // The barrage comes from one address with made-up keys among it; ApiRateLimitTests show the limits at work.
        host.Settings[ApiRateLimits.PartnerPermitsSetting] = "1000000";
        host.Settings[ApiRateLimits.AddressPermitsSetting] = "1000000";
        return host;
    }

    [Fact]
    public async Task Every_malformed_or_hostile_request_is_refused_with_problem_details_and_valid_traffic_beside_it_succeeds()
    {
        using var client = host.NewClient();
        var person = 770_000;
        var routed = await new RoutedLeads(client, () => Interlocked.Increment(ref person)).CpsAsync();
        var before = await host.CountAsync();
        var corpus = new HostileCorpus(Seed).Requests(Requests, routed).ToList();
        var wrong = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();

        foreach (var request in corpus.Take(Sequential)) await SendAsync(client, request, wrong);
        var valid = ValidTrafficAsync(client);
        await Parallel.ForEachAsync(corpus.Skip(Sequential), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (request, _) => await SendAsync(client, request, wrong));
        var created = await valid;
        output.WriteLine($"{corpus.Count} hostile requests ({string.Join(", ", corpus.GroupBy(r => r.Api).Select(g => $"{g.Count()} {g.Key}"))}) and {ValidApplicants} valid ones in {watch.Elapsed.TotalSeconds:N1} s");

        Assert.True(wrong.IsEmpty, $"{wrong.Count} answers were not a refusal with problem details, for example:\n{string.Join("\n", wrong.Take(15))}");
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Created, ValidApplicants), created);
        Assert.Equal(before with { Applications = before.Applications + ValidApplicants }, await host.CountAsync());
    }

    [Fact]
    public async Task Every_malformed_configuration_file_is_refused_with_a_message_and_changes_nothing()
    {
        var admin = TestUsers.Principal(LoanHubHost.AdminEmail, Roles.Admin);
        var example = await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile);
        var before = await host.CountAsync();
        var accepted = new List<string>();

        foreach (var (what, json) in new HostileCorpus(Seed).ConfigurationFiles(1_000, example))
        {
            await using var scope = host.Services.CreateAsyncScope();
            var catalog = scope.ServiceProvider.GetRequiredService<LenderCatalogService>();
            var check = await catalog.PreviewImportAsync(admin, new MemoryStream(Encoding.UTF8.GetBytes(json)));
            if (check.Error is null) accepted.Add($"{what}: previewed as {check.Preview?.Summary}");
            if (TryParse(json) is { } document && await catalog.ImportAsync(admin, document, "hostile input") is { Succeeded: true } imported)
                accepted.Add($"{what}: imported ({imported.Message})");
        }

        Assert.True(accepted.Count == 0, string.Join("\n", accepted.Take(15)));
        Assert.Equal(before, await host.CountAsync());
    }

    private static ConfigurationDocument? TryParse(string json)
    {
        try
        {
            return ConfigurationDocument.Parse(json);
        }
        catch (ConfigurationException)
        {
            return null;
        }
    }

    private static async Task SendAsync(HttpClient client, HostileRequest request, ConcurrentQueue<string> wrong, bool again = false)
    {
        try
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or >= 500 || type != "application/problem+json")
                wrong.Enqueue($"{request}: {status} {type} {Shorten(await response.Content.ReadAsStringAsync())}");
        }
        catch (HttpRequestException) when (request.What == "huge body" && !again)
        {
            // The server answers an oversized body with 413 before the client has sent it all and closes the connection
            // once its drain gives up; a client still sending then sees no answer. Sent once more, it must be refused.
            await SendAsync(client, request, wrong, again: true);
        }
        catch (HttpRequestException e)
        {
            wrong.Enqueue($"{request}: no answer ({e.Message})");
        }
    }

    // Applicants whose free text carries markup and injection attempts: accepted as text, stored and decided as usual.
    private static async Task<HttpStatusCode[]> ValidTrafficAsync(HttpClient client)
    {
        var answers = new HttpStatusCode[ValidApplicants];
        await Parallel.ForEachAsync(Enumerable.Range(0, ValidApplicants), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var body = IntakeClient.ValidBody(externalRef: $"HOSTILE-{i}-{HostileCorpus.Fragments[i % 7]}", nationalId: IntakeClient.NationalId(771_000 + i));
            body["city"] = HostileCorpus.Fragments[(i + 6) % HostileCorpus.Fragments.Length][..Math.Min(50, HostileCorpus.Fragments[(i + 6) % HostileCorpus.Fragments.Length].Length)];
            using var response = await IntakeClient.PostAsync(client, body);
            answers[i] = response.StatusCode;
        });
        return answers;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose() => host.Dispose();
}

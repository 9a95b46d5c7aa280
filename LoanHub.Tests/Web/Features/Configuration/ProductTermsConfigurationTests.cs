using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Configuration;

/// <summary>Products' loan purposes and APR range in the configuration file: applied, exported, re-imported unchanged, validated.</summary>
public sealed class ProductTermsConfigurationTests : IDisposable
{
    private readonly LoanHubHost host = new();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Purposes_and_apr_of_the_seed_file_are_stored_exported_and_re_imported_without_change()
    {
        await using (var db = host.CreateDbContext())
        {
            var products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Code);
            Assert.Equal("8–24 %", products["L1-CASH"].Apr?.ToString());
            Assert.Empty(products["L1-CASH"].Criteria.Purposes);
            Assert.Equal([LoanPurpose.Consumption, LoanPurpose.Education, LoanPurpose.Renovation, LoanPurpose.CarPurchase], products["L1-INST"].Criteria.Purposes);
            Assert.Null(products["L2-MICRO"].Apr);
        }

        var exported = await host.Services.GetRequiredService<ConfigurationExporter>().ExportAsync();
        var json = JsonSerializer.Serialize(exported, ConfigurationDocument.JsonOptions);
        Assert.Contains("\"apr\": {", json, StringComparison.Ordinal);
        var inst = exported.Lenders.SelectMany(l => l.Products!).Single(p => p.Code == "L1-INST");
        Assert.Equal(new AprDocument(0.06m, 0.18m), inst.Apr);

        var summary = await host.Services.GetRequiredService<ConfigurationImporter>().ApplyAsync(ConfigurationDocument.Parse(json), "test");
        Assert.False(summary.ChangedAnything, summary.ToString());
    }

    [Theory]
    [InlineData("\"apr\": { \"min\": 0.08, \"max\": 0.24 }", "\"apr\": { \"min\": 0.08, \"max\": 0.40 }", "(L1-CASH): apr: The highest APR may be at most 0.36")]
    [InlineData("\"apr\": { \"min\": 0.08, \"max\": 0.24 }", "\"apr\": { \"min\": 0, \"max\": 0.24 }", "(L1-CASH): apr: The lowest APR must be above 0.")]
    [InlineData("\"purposes\": []", "\"purposes\": [\"Yacht\"]", "The configuration file is not valid JSON")]
    public void A_file_with_an_apr_out_of_bounds_or_an_unknown_purpose_is_refused(string field, string replacement, string problem)
    {
        var json = File.ReadAllText(LoanHubHost.ExampleSeedFile).Replace(field, replacement, StringComparison.Ordinal);

        var refused = Assert.Throws<ConfigurationException>(() => ConfigurationDocument.Parse(json));
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }
}

using LoanHub.Web.Features.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Intake;

/// <summary>Changes to the checked-in example catalog (seed/loanhub.example.json), applied as an operator's import would.</summary>
internal static class ExampleCatalog
{
    /// <summary>Gives every product the same daily cap and no monthly budget; the host's engine reloads its catalog.</summary>
    public static async Task CapAllProductsAsync(LoanHubHost host, int dailyCap)
    {
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        var capped = document with
        {
            Lenders = [.. document.Lenders.Select(l => l with { Products = [.. l.Products!.Select(p => p with { DailyCap = dailyCap, MonthlyBudget = null })] })],
        };
        await host.Services.GetRequiredService<ConfigurationImporter>().ApplyAsync(capped, "test");
    }
}

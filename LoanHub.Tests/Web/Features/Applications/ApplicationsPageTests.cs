using Bunit;
using LoanHub.Core.Identity;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>The applications list over the real service and store.</summary>
public class ApplicationsPageTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly LoanHubHost host;

    public ApplicationsPageTests(LoanHubHost host)
    {
        this.host = host;
        Services.AddSingleton(host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>());
        SignInAs(LoanHubHost.AdminEmail, Roles.Admin);
    }

    [Fact]
    public async Task An_invalid_search_shows_its_message_and_keeps_the_results_of_the_last_valid_one()
    {
        var nationalId = NationalId(310_001);
        (await PostAsync(host.CreateClient(), ValidBody(nationalId: nationalId))).EnsureSuccessStatusCode();
        RenderPopoverProvider();
        var page = Render<ApplicationsPage>();

        page.Find("#search-id-or-phone").Input(nationalId);
        page.WaitForAssertion(() => Assert.Contains(ResidentId.Mask(nationalId), Assert.Single(Rows(page)).TextContent), Wait);
        page.Find("#search-id-or-phone").Input("11010119900307");

        page.WaitForAssertion(() => Assert.Contains("Enter a full 18-character national ID or an 11-digit mobile number.", page.Markup), Wait);
        // Give a reload every chance to run: a valid search afterwards must be the only thing that changes the table.
        page.WaitForAssertion(() => Assert.Contains("1-1 of 1", page.Markup), Wait);
        Assert.Contains(ResidentId.Mask(nationalId), Assert.Single(Rows(page)).TextContent);
        Assert.DoesNotContain("No applications match", page.Markup);

        page.Find("#search-id-or-phone").Input(NationalId(310_002));
        page.WaitForAssertion(() =>
        {
            Assert.Contains("No applications match these filters.", page.Markup);
            Assert.DoesNotContain("Enter a full 18-character", page.Markup);
        }, Wait);
    }

    [Fact]
    public async Task Dates_the_wrong_way_round_show_a_message_and_keep_the_results_of_the_last_valid_period()
    {
        var nationalId = NationalId(310_011);
        (await PostAsync(host.CreateClient(), ValidBody(nationalId: nationalId))).EnsureSuccessStatusCode();
        RenderPopoverProvider();
        var page = Render<ApplicationsPage>();
        var pickers = page.FindComponents<MudBlazor.MudDatePicker>();
        var today = DateTime.UtcNow.AddHours(8).Date;
        page.Find("#search-id-or-phone").Input(nationalId);
        page.WaitForAssertion(() => Assert.Single(Rows(page)), Wait);

        await pickers[1].InvokeAsync(() => pickers[1].Instance.DateChanged.InvokeAsync(today));
        page.WaitForAssertion(() => Assert.Single(Rows(page)), Wait);
        await pickers[0].InvokeAsync(() => pickers[0].Instance.DateChanged.InvokeAsync(today.AddDays(1)));

        page.WaitForAssertion(() => Assert.Contains("Must not be after the end date", page.Markup), Wait);
        Assert.Contains(ResidentId.Mask(nationalId), Assert.Single(Rows(page)).TextContent);
        Assert.DoesNotContain("No applications match", page.Markup);

        await pickers[0].InvokeAsync(() => pickers[0].Instance.DateChanged.InvokeAsync(today.AddDays(-1)));
        page.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("Must not be after the end date", page.Markup);
            Assert.Contains(ResidentId.Mask(nationalId), Assert.Single(Rows(page)).TextContent);
        }, Wait);
    }

    [Fact]
    public async Task The_filters_are_read_from_the_address_and_a_change_is_written_back_to_it_as_a_new_entry()
    {
        var nationalId = NationalId(310_021);
        var body = ValidBody(nationalId: nationalId);
        body["requestedAmount"] = 300_000; // more than any product lends: unmatched
        (await PostAsync(host.CreateClient(), body, AppKey)).EnsureSuccessStatusCode();
        (await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(310_022)), AppKey)).EnsureSuccessStatusCode();
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("applications?status=Unmatched&source=APP&tier=Z&from=not-a-day");
        RenderPopoverProvider();

        var page = Render<ApplicationsPage>();

        page.WaitForAssertion(() => Assert.Contains(ResidentId.Mask(nationalId), Assert.Single(Rows(page)).TextContent), Wait);
        Assert.Equal("APP", page.FindComponents<MudBlazor.MudSelect<LoanHub.Core.Domain.SourceId?>>()[0].Find("input").GetAttribute("value"));
        Assert.Contains("applications/export.csv?status=Unmatched&source=APP", page.Find("[data-testid=export-csv]").GetAttribute("href"));
        page.WaitForAssertion(() => Assert.Contains("No eligible product · 1", page.Find("[data-testid=cause-NoEligibleProduct]").TextContent), Wait);

        var status = page.FindComponents<MudBlazor.MudSelect<LoanHub.Core.Domain.ApplicationStatus?>>()[0];
        await status.InvokeAsync(() => status.Instance.ValueChanged.InvokeAsync(LoanHub.Core.Domain.ApplicationStatus.Routed));

        var history = Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>().History;
        Assert.Equal("http://localhost/applications?status=Routed&source=APP", history.First().Uri);
        Assert.False(history.First().Options.ReplaceHistoryEntry);
        page.WaitForAssertion(() => Assert.DoesNotContain(ResidentId.Mask(nationalId), page.Markup), Wait);
        Assert.Single(Rows(page));
    }

    private static IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<ApplicationsPage> page) =>
        [.. page.FindAll("tbody tr.mud-table-row")];
}

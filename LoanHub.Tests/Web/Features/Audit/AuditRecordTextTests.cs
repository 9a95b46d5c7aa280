using LoanHub.Web.Features.Audit;

namespace LoanHub.Tests.Web.Features.Audit;

public class AuditRecordTextTests
{
    private const string Id = "01a20aa7-80a1-7392-9d78-6f8af91a3a50";

    [Theory]
    [InlineData("LenderProduct", "XYF-TRAVEL", "Product XYF-TRAVEL", "lenders")]
    [InlineData("Lender", "XYF", "Lender XYF", "lenders")]
    [InlineData("TrafficSource", "ADS", "Source ADS", "sources")]
    [InlineData("User", "ops@loanhub.local", "User ops@loanhub.local", null)]
    [InlineData("RoutingPolicy", "3", "Routing policy version 3", "routing")]
    [InlineData("RiskPolicyVersion", "2", "Risk policy version 2", "risk")]
    [InlineData("LoanApplication", Id, "Application " + Id, "applications/" + Id)]
    [InlineData("ReviewCase", Id, "Review case " + Id, "review/" + Id)]
    [InlineData("BlocklistEntry", Id, "Blocklist entry " + Id, "admin/blocklist")]
    [InlineData("LoanApplication", "received before 2025-11-24", "Application received before 2025-11-24", null)]
    [InlineData("PartnerContract", "X1", "Partner contract X1", null)]
    public void Records_are_named_as_the_console_names_them_and_link_to_their_page_when_they_have_one(string type, string id, string shown, string? href)
    {
        var record = AuditRecordText.Describe(type, id);

        Assert.Equal(shown, record.ToString());
        Assert.Equal(href, record.Href);
    }

    [Fact]
    public void A_record_known_by_a_reference_is_named_by_it_and_keeps_its_link()
    {
        var record = AuditRecordText.Describe("ReviewCase", Id, "ADS-20261202-0042");

        Assert.Equal(("Review case ADS-20261202-0042", "review/" + Id), (record.ToString(), record.Href));
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

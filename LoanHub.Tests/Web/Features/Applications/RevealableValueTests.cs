using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Security;

namespace LoanHub.Tests.Web.Features.Applications;

public class RevealableValueTests : ComponentTestContext
{
    private readonly List<PersonalField> asked = [];

    private IRenderedComponent<RevealableValue> RenderId() => Render<RevealableValue>(p => p
        .Add(v => v.Label, "national ID")
        .Add(v => v.Masked, "110101********4514")
        .Add(v => v.Field, PersonalField.NationalId)
        .Add(v => v.OnReveal, field =>
        {
            asked.Add(field);
            return Task.FromResult("110101199003074514");
        }));

    [Fact]
    public void Compliance_reviewer_reveals_the_full_value_and_can_hide_it_again()
    {
        SignInAs("compliance@test.local", Roles.ComplianceReviewer);
        var view = RenderId();
        Assert.Contains("110101********4514", view.Markup);

        view.Find("button[aria-label='Reveal national ID']").Click();

        view.WaitForAssertion(() => Assert.Contains("110101199003074514", view.Markup));
        Assert.Equal([PersonalField.NationalId], asked);
        view.Find("button[aria-label='Hide national ID']").Click();
        Assert.Contains("110101********4514", view.Markup);
        Assert.DoesNotContain("110101199003074514", view.Markup);
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.OperationsManager)]
    public void Roles_without_the_right_see_only_the_masked_value(string role)
    {
        SignInAs("someone@test.local", role);
        var view = RenderId();

        Assert.Contains("110101********4514", view.Markup);
        Assert.Empty(view.FindAll("button"));
        Assert.Empty(asked);
    }

    [Fact]
    public void Refusal_from_the_server_keeps_the_value_masked()
    {
        SignInAs("admin@test.local", Roles.Admin);
        var view = Render<RevealableValue>(p => p
            .Add(v => v.Label, "phone")
            .Add(v => v.Masked, "138****8000")
            .Add(v => v.Field, PersonalField.Phone)
            .Add(v => v.OnReveal, _ => Task.FromException<string>(new UnauthorizedAccessException())));

        view.Find("button[aria-label='Reveal phone']").Click();

        view.WaitForAssertion(() => Assert.NotNull(view.Find("button[aria-label='Reveal phone']")));
        Assert.Contains("138****8000", view.Markup);
    }
}

using LoanHub.Tests.Web.Features.Dashboard;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>A person is sent to lenders once at a time: a second application while the first is still being delivered is a duplicate.</summary>
public sealed class DuplicateWhileDeliveringTests
{
    [Fact]
    public async Task A_second_application_of_a_person_whose_first_is_still_being_delivered_is_a_duplicate()
    {
        using var host = new LoanHubHost();
        host.Settings["LoanHub:Delivery:DeadlineMs"] = "10000";
        await using var lenders = await PushLenders.AddAsync(host, null, new PushLender("PD", "44", TimeoutMs: 5000));
        var answering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lenders["PD"].OnPost = _ =>
        {
            answering.TrySetResult();
            return StubReply.Delay(TimeSpan.FromMilliseconds(800), StubReply.Accept());
        };
        var client = host.CreateClient();

        var first = PostAsync(client, PushLenders.Applicant(920_001, "44"));
        await answering.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the lender has the first; it has not answered yet
        var again = await ReadAsync(await PostAsync(client, PushLenders.Applicant(920_001, "44")));

        Assert.Equal("Duplicate", (string?)again["status"]);
        Assert.Equal("Routed", (string?)(await ReadAsync(await first))["status"]);
        Assert.Single(lenders["PD"].Received, r => r.Path == lenders["PD"].PostUrl.AbsolutePath);
        // Once the first has ended, the person is a duplicate because routed, as before.
        Assert.Equal("Duplicate", (string?)(await ReadAsync(await PostAsync(client, PushLenders.Applicant(920_001, "44"))))["status"]);
    }

    [Fact]
    public async Task A_person_whose_delivery_ended_unmatched_may_apply_again()
    {
        using var host = new LoanHubHost();
        await using var lenders = await PushLenders.AddAsync(host, null, new PushLender("PE", "44"));
        lenders["PE"].OnPost = _ => StubReply.Refuse("not today");
        var client = host.CreateClient();

        Assert.Equal("Unmatched", (string?)(await ReadAsync(await PostAsync(client, PushLenders.Applicant(920_101, "44"))))["status"]);
        lenders["PE"].OnPost = _ => StubReply.Accept();

        Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, PushLenders.Applicant(920_101, "44"))))["status"]);
    }
}

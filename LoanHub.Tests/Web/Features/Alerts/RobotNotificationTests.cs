using LoanHub.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Alerts;

/// <summary>Alerts reach WeCom and DingTalk group robots over real HTTP (a stub stands in for the robot's server).</summary>
public class RobotNotificationTests
{
    [Fact]
    public async Task A_raised_alert_goes_to_its_rules_wecom_robot_as_a_text_message_in_chinese_once()
    {
        await using var robot = await new RobotStub().StartAsync();
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        await SaveRobotAsync(book, AlertKind.LenderAutoPaused, AlertChannel.WeCom, robot.WebhookUrl);
        await AlertBookTests.ChangeLenderAsync(host, "L2", l => l.PauseAutomatically("Endpoint failing."));

        await book.NotifyAsync(await book.CheckAsync());
        await book.NotifyAsync(await book.CheckAsync());

        var message = Assert.Single(robot.Received);
        Assert.Equal("text", message.Body?["msgtype"]?.GetValue<string>());
        Assert.StartsWith("【LoanHub】", message.Text, StringComparison.Ordinal);
        Assert.Contains("L2", message.Text, StringComparison.Ordinal);
        Assert.Contains("自动暂停", message.Text, StringComparison.Ordinal);
        Assert.Contains("access_token=stub-token", message.PathAndQuery, StringComparison.Ordinal);
        var alert = Assert.Single(await AlertBookTests.OpenAsync(host));
        Assert.NotNull(alert.NotifiedAt);
        Assert.Null(alert.NotifyError);
    }

    [Fact]
    public async Task A_dingtalk_robot_with_a_signing_secret_gets_a_valid_timestamp_and_signature()
    {
        const string secret = "SECa1b2c3d4e5f6+/=secret";
        await using var robot = await new RobotStub(secret).StartAsync();
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        await SaveRobotAsync(book, AlertKind.LenderAutoPaused, AlertChannel.DingTalk, robot.WebhookUrl, secret);
        await AlertBookTests.ChangeLenderAsync(host, "L1", l => l.PauseAutomatically("Endpoint failing."));

        await book.NotifyAsync(await book.CheckAsync());

        var message = Assert.Single(robot.Received);
        Assert.True(message.SignatureValid, message.PathAndQuery);
        Assert.Contains("access_token=stub-token&timestamp=", message.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_robot_that_refuses_is_recorded_on_the_alert_and_the_alert_stands()
    {
        await using var robot = await new RobotStub().StartAsync();
        robot.Reply = (200, """{"errcode":93000,"errmsg":"invalid webhook url"}""");
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        await SaveRobotAsync(book, AlertKind.LenderAutoPaused, AlertChannel.WeCom, robot.WebhookUrl);
        await AlertBookTests.ChangeLenderAsync(host, "L2", l => l.PauseAutomatically("Endpoint failing."));

        await book.NotifyAsync(await book.CheckAsync());

        var alert = Assert.Single(await AlertBookTests.OpenAsync(host));
        Assert.Equal("The robot refused the message: 93000 invalid webhook url", alert.NotifyError);
    }

    [Fact]
    public async Task Send_test_uses_the_address_typed_and_reports_a_robot_that_cannot_be_reached()
    {
        await using var robot = await new RobotStub().StartAsync();
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();

        var sent = await book.SendTestAsync(TestUsers.Admin, AlertKind.ReviewSla, AlertChannel.WeCom, robot.WebhookUrl, null);
        Assert.True(sent.Ok, sent.Error);
        Assert.Contains("测试", Assert.Single(robot.Received).Text, StringComparison.Ordinal);

        var unreachable = await book.SendTestAsync(TestUsers.Admin, AlertKind.ReviewSla, AlertChannel.WeCom, "http://127.0.0.1:9/robot/send?key=x", null);
        Assert.False(unreachable.Ok);
        Assert.StartsWith("The robot could not be reached", unreachable.Error, StringComparison.Ordinal);
        var refused = await book.SendTestAsync(TestUsers.Admin, AlertKind.ReviewSla, AlertChannel.WeCom, "https://example.com/hook", null);
        Assert.False(refused.Ok);
        Assert.Single(robot.Received);
    }

    [Fact]
    public async Task Rule_changes_are_checked_audited_without_the_address_and_never_show_it_again()
    {
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        var rule = (await book.RulesAsync(TestUsers.Admin)).Single(r => r.Kind == AlertKind.BudgetNearlySpent);
        Assert.Equal((true, 90m, 0), (rule.IsEnabled, rule.Threshold, rule.Version));

        Assert.Equal("The threshold must be between {0} and {1}.", (await book.SaveRuleAsync(TestUsers.Admin, Change(rule, threshold: 101m))).Error);
        Assert.Equal("Enter the robot's webhook address.", (await book.SaveRuleAsync(TestUsers.Admin, Change(rule, AlertChannel.WeCom))).Error);
        Assert.Equal("A {0} webhook address is on {1}.",
            (await book.SaveRuleAsync(TestUsers.Admin, Change(rule, AlertChannel.WeCom, "https://evil.example/cgi-bin/webhook/send?key=k"))).Error);
        Assert.Equal("The webhook address {0}.",
            (await book.SaveRuleAsync(TestUsers.Admin, Change(rule, AlertChannel.DingTalk, "http://oapi.dingtalk.com/robot/send?access_token=t"))).Error);
        const string url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-group-key";
        Assert.True((await book.SaveRuleAsync(TestUsers.Admin, Change(rule, AlertChannel.WeCom, url, threshold: 80m))).Succeeded);
        Assert.Equal("Someone changed this rule since you loaded it. The rules are refreshed; try again.",
            (await book.SaveRuleAsync(TestUsers.Admin, Change(rule, threshold: 70m))).Error);

        var saved = (await book.RulesAsync(TestUsers.Admin)).Single(r => r.Kind == AlertKind.BudgetNearlySpent);
        Assert.Equal((80m, AlertChannel.WeCom, "qyapi.weixin.qq.com", 1), (saved.Threshold, saved.Channel, saved.WebhookHost, saved.Version));
        Assert.True((await book.SaveRuleAsync(TestUsers.Admin, Change(saved, AlertChannel.WeCom, threshold: 85m))).Succeeded); // the address is kept
        await using var db = host.CreateDbContext();
        var stored = await db.AlertRules.SingleAsync(r => r.Kind == AlertKind.BudgetNearlySpent);
        Assert.DoesNotContain("secret-group-key", stored.WebhookCipher, StringComparison.Ordinal);
        Assert.Equal(2, stored.Version);
        var audits = await db.Audit.Where(a => a.Action == AlertBook.RuleChangedAction).ToListAsync();
        Assert.Equal(2, audits.Count);
        Assert.All(audits, a => Assert.DoesNotContain("secret-group-key", a.Before + a.After, StringComparison.Ordinal));
        Assert.Contains("qyapi.weixin.qq.com", audits[0].After, StringComparison.Ordinal);
    }

    private static AlertRuleChange Change(AlertRuleSetting rule, AlertChannel channel = AlertChannel.None, string? url = null, decimal? threshold = null) =>
        new(rule.Kind, rule.Version, rule.IsEnabled, threshold ?? rule.Threshold, channel, url);

    private static async Task SaveRobotAsync(AlertBook book, AlertKind kind, AlertChannel channel, string url, string? secret = null)
    {
        var rule = (await book.RulesAsync(TestUsers.Admin)).Single(r => r.Kind == kind);
        var saved = await book.SaveRuleAsync(TestUsers.Admin, new AlertRuleChange(kind, rule.Version, true, rule.Threshold, channel, url, secret));
        Assert.True(saved.Succeeded, saved.Error);
    }
}

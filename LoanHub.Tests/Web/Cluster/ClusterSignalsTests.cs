using System.Globalization;
using LoanHub.Web.Features.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Cluster;

public class ClusterSignalsTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    /// <summary>
    /// A console tab in Chinese hears a signal raised by someone reading English (another user acknowledging an alert,
    /// the alert check, the listener's thread) and must re-render in Chinese: the page it updates would otherwise switch
    /// language halfway, as the alerts page did.
    /// </summary>
    [Fact]
    public async Task A_subscriber_hears_every_signal_in_the_culture_it_subscribed_in_whoever_raises_it()
    {
        var signals = host.Services.GetRequiredService<ClusterSignals>();
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription;
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            subscription = signals.Subscribe(signal =>
            {
                if (signal == ClusterSignal.Alerts) heard.TrySetResult(CultureInfo.CurrentUICulture.Name);
            });
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }

        using (subscription)
        {
            await Task.Run(async () =>
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
                await signals.PublishAsync(ClusterSignal.Alerts);
            });
            Assert.Equal("zh-CN", await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }
}

namespace LoanHub.Tests.Web.Features.Demo;

internal static class DemoHosts
{
    /// <summary>A host that fills its empty store with ten days of demo history (120 applicants a day) and no live traffic.</summary>
    public static LoanHubHost TenDaysOfHistory()
    {
        var host = new LoanHubHost();
        host.UseDemoHistory(days: 10, applicantsPerDay: 120);
        host.Settings["LoanHub:Demo:LiveTraffic"] = "false";
        return host;
    }

    /// <summary>Before the host starts: fill its empty store with the demo's catalog and <paramref name="days"/> of history instead of the example seed file.</summary>
    public static void UseDemoHistory(this LoanHubHost host, int days, int applicantsPerDay)
    {
        host.Settings["LoanHub:Seed:File"] = "";
        host.Settings["LoanHub:Seed:Demo"] = "true";
        host.Settings["LoanHub:Seed:DemoDays"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings["LoanHub:Seed:DemoApplicantsPerDay"] = applicantsPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

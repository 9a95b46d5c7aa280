namespace LoanHub.Tests.Web.Features.Demo;

internal static class DemoHosts
{
    /// <summary>A host that fills its empty store with ten days of demo history (120 applicants a day) and no live traffic.</summary>
    public static LoanHubHost TenDaysOfHistory()
    {
        var host = new LoanHubHost();
        host.Settings["LoanHub:Seed:File"] = "";
        host.Settings["LoanHub:Seed:Demo"] = "true";
        host.Settings["LoanHub:Seed:DemoDays"] = "10";
        host.Settings["LoanHub:Seed:DemoApplicantsPerDay"] = "120";
        host.Settings["LoanHub:Demo:LiveTraffic"] = "false";
        return host;
    }
}

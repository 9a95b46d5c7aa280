using LoanHub.Web;
using LoanHub.Web.Components;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Account;
using LoanHub.Web.Features.Alerts;
using LoanHub.Web.Features.Backup;
using LoanHub.Web.Features.Demo;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Features.Retention;
using LoanHub.Web.Security;

if (args is [BackupCommand.Name, .. var backupArgs])
{
    Environment.ExitCode = await BackupCommand.RunAsync(backupArgs);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddLoanHubData();
builder.AddLoanHubEngine();
builder.AddLoanHubLearning();
builder.AddLoanHubRetention();
builder.AddLoanHubAlerts();
builder.AddLoanHubDemo();
builder.Services.AddLoanHubSecurity();
builder.Services.AddLoanHubConsole();

var app = builder.Build();

await app.InitializeStoreAsync();

app.UseLoanHubPipeline();
app.UseLoanHubSignIn();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapAccountEndpoints();
app.MapLoanHubApi();
app.MapLoanHubConsole();
app.MapLoanHubDemo();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;

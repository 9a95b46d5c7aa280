using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LoanHub.Web.Features.Account;

/// <summary>Records every request a signed-in user was refused (a page or endpoint outside their role), then refuses it as usual.</summary>
internal sealed class AuditedAuthorizationResultHandler(AccountAudit audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
            await audit.AccessDeniedAsync(context.User, context.Request.Path);
        await standard.HandleAsync(next, context, policy, authorizeResult);
    }
}

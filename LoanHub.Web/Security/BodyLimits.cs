using Microsoft.AspNetCore.Http.Features;

namespace LoanHub.Web.Security;

/// <summary>
/// The largest body a partner API endpoint reads: a declared length above it is refused before anything is read,
/// and a body that grows past it while being read (chunked) is cut off by the server; either way a 413 problem.
/// </summary>
public static class BodyLimits
{
    public static TBuilder LimitBody<TBuilder>(this TBuilder builder, int maxBytes, string what) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Request.ContentLength > maxBytes) return TooLarge(maxBytes, what);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
            try
            {
                return await next(context);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(maxBytes, what);
            }
        });

    private static IResult TooLarge(int maxBytes, string what) => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large", detail: maxBytes >= 1024 ? $"{what} may be at most {maxBytes / 1024} KiB." : $"{what} may be at most {maxBytes} bytes.");
}

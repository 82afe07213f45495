using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// In Development ASP.NET Core's developer exception page catches exceptions before <see cref="ProblemExceptionHandler"/>
/// sees them (it still answers with a problem, with details); this records them on the span there too.
/// </summary>
internal sealed class DeveloperExceptionSpanFilter : IDeveloperPageExceptionFilter
{
    public Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        if (errorContext.Exception is not BadHttpRequestException && Activity.Current is { } activity)
        {
            activity.AddException(errorContext.Exception);
            activity.SetStatus(ActivityStatusCode.Error);
        }
        return next(errorContext);
    }
}

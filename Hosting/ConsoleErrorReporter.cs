namespace Aspire.Hosting;

/// <summary>
/// Model and environment problems end the AppHost with their message alone (no stack trace) and exit code 1, so
/// `dotnet run --project AppHost` says what is wrong and how to fix it.
/// </summary>
internal static class ConsoleErrorReporter
{
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is DistributedApplicationException ex)
            {
                Report(ex);
                Environment.Exit(1);
            }
        };
    }

    public static void Report(DistributedApplicationException ex)
    {
        var message = ex.InnerException is DistributedApplicationException inner ? inner.Message : ex.Message;
        Console.Error.WriteLine($"error: {message}");
        Environment.ExitCode = 1;
    }
}

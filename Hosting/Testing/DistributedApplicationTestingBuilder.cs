using System.Reflection;

namespace Aspire.Hosting.Testing;

/// <summary>
/// Runs an AppHost project's model in a test (Aspire.Hosting.Testing's API): random free ports, an isolated data
/// directory and secrets file, environment Development, no console echo and no dashboard unless asked for.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default) where TEntryPoint : class =>
        CreateAsync<TEntryPoint>([], cancellationToken);

    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args, CancellationToken cancellationToken = default) where TEntryPoint : class =>
        CreateAsync<TEntryPoint>(args, configureOptions: null, cancellationToken);

    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args, Action<DistributedApplicationOptions>? configureOptions,
        CancellationToken cancellationToken = default) where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(args);
        var assembly = typeof(IProjectMetadata).IsAssignableFrom(typeof(TEntryPoint))
            ? Assembly.Load(new AssemblyName(Path.GetFileNameWithoutExtension(((IProjectMetadata)Activator.CreateInstance<TEntryPoint>()).TargetPath)))
            : typeof(TEntryPoint).Assembly;
        var entryPoint = assembly.EntryPoint
            ?? throw new InvalidOperationException($"Assembly '{assembly.GetName().Name}' has no entry point; pass an AppHost project.");

        var session = new TestingSession(assembly, args, configureOptions);
        session.Run(entryPoint);
        return await session.WaitForBuilderAsync(cancellationToken);
    }

    /// <summary>One run of an AppHost's Main, driven step by step from the test.</summary>
    private sealed class TestingSession(Assembly assembly, string[] args, Action<DistributedApplicationOptions>? configureOptions)
    {
        private readonly TaskCompletionSource<DistributedApplicationBuilder> _building = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _proceed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<DistributedApplication> _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _temporaryDirectory;

        public void Run(MethodInfo entryPoint)
        {
            var thread = new Thread(() =>
            {
                DistributedApplicationTestingHooks.Current = new DistributedApplicationTestingHooks
                {
                    ConfigureOptions = ConfigureOptions,
                    OnBuilding = builder =>
                    {
                        _building.TrySetResult(builder);
                        _proceed.Task.GetAwaiter().GetResult();
                    },
                    OnBuilt = app =>
                    {
                        if (_temporaryDirectory is { } directory)
                        {
                            app.AddDisposeCallback(() => DeleteDirectory(directory));
                        }

                        _built.TrySetResult(app);
                        throw new TestingAbortException();
                    },
                };

                try
                {
                    entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
                    Fail(new InvalidOperationException($"The entry point of '{assembly.GetName().Name}' returned without building a DistributedApplication."));
                }
                catch (TargetInvocationException ex) when (ex.InnerException is TestingAbortException)
                {
                    // Main ended where the testing builder took over.
                }
                catch (TargetInvocationException ex)
                {
                    Fail(ex.InnerException ?? ex);
                }
            })
            {
                IsBackground = true,
                Name = $"{assembly.GetName().Name} entry point",
            };
            thread.Start();
        }

        public async Task<IDistributedApplicationTestingBuilder> WaitForBuilderAsync(CancellationToken cancellationToken)
        {
            var builder = await _building.Task.WaitAsync(cancellationToken);
            return new TestingBuilder(builder, BuildAsync, Abandon);
        }

        public async Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken)
        {
            _proceed.TrySetResult();
            return await _built.Task.WaitAsync(cancellationToken);
        }

        public void Abandon()
        {
            _proceed.TrySetException(new OperationCanceledException("The testing builder was disposed before BuildAsync."));
            if (!_built.Task.IsCompleted && _temporaryDirectory is { } directory)
            {
                DeleteDirectory(directory);
            }
        }

        private void ConfigureOptions(DistributedApplicationOptions options)
        {
            var defaults = new List<string>
            {
                "--Hosting:RandomizePorts=true",
                "--Hosting:ConsoleOutput=false",
                "--Hosting:ShutdownTimeout=00:00:15",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Aspire.Hosting=Warning",
            };
            if (!args.Any(a => a.Contains("Hosting:DataDirectory", StringComparison.OrdinalIgnoreCase)))
            {
                _temporaryDirectory = CreateTemporaryDirectory();
                defaults.Add($"--Hosting:DataDirectory={_temporaryDirectory}");
                defaults.Add($"--Hosting:SecretsFile={Path.Combine(_temporaryDirectory, "secrets.json")}");
            }

            options.Args = [.. defaults, .. args];
            options.Assembly = assembly;
            options.EnvironmentName ??= "Development";
            options.DisableDashboard = !args.Any(a => a.Contains("DisableDashboard=false", StringComparison.OrdinalIgnoreCase));
            configureOptions?.Invoke(options);
        }

        private void Fail(Exception exception)
        {
            if (!_building.TrySetException(exception))
            {
                _built.TrySetException(exception);
            }
        }

        // Readable by other accounts: servers that run unprivileged (PostgreSQL) keep their data inside.
        private static string CreateTemporaryDirectory()
        {
            var path = Path.Combine(Path.GetTempPath(), $"aspire-test-{Guid.NewGuid():N}");
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            return path;
        }

        private static void DeleteDirectory(string directory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left in the temp directory; not worth failing a test for.
            }
        }
    }
}

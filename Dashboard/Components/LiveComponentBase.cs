using Aspire.Dashboard.Otlp.Storage;
using Microsoft.AspNetCore.Components;

namespace Aspire.Dashboard.Components;

// Pages that follow live data: they watch stores and re-render at most a few times a second,
// however fast telemetry arrives.
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(300);
    private readonly List<ChangeNotifier> _watched = [];
    private int _refreshPending;
    private bool _disposed;

    [Inject]
    protected TimeProvider TimeProvider { get; set; } = default!;

    protected bool IsPaused { get; set; }

    protected void Watch(ChangeNotifier notifier)
    {
        notifier.Changed += OnChanged;
        _watched.Add(notifier);
    }

    // Recompute what the page shows from the stores.
    protected abstract void Refresh();

    protected override void OnParametersSet() => Refresh();

    private void OnChanged()
    {
        if (IsPaused || _disposed || Interlocked.Exchange(ref _refreshPending, 1) == 1)
        {
            return;
        }

        _ = RefreshSoonAsync();
    }

    private async Task RefreshSoonAsync()
    {
        await Task.Delay(Throttle, TimeProvider);
        Interlocked.Exchange(ref _refreshPending, 0);
        if (_disposed)
        {
            return;
        }

        await InvokeAsync(() =>
        {
            Refresh();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        _disposed = true;
        foreach (var notifier in _watched)
        {
            notifier.Changed -= OnChanged;
        }
    }
}

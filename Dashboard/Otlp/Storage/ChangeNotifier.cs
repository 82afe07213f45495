namespace Aspire.Dashboard.Otlp.Storage;

// Tells subscribers (pages, watchers) that a store changed. Called once per ingested batch, never
// per item, so a flood costs one notification per request; pages throttle what they render.
public abstract class ChangeNotifier
{
    private long _version;

    public event Action? Changed;

    public long Version => Interlocked.Read(ref _version);

    protected void NotifyChanged()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
    }
}

using System.Buffers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Collects rendered UTF-8 lines and writes them to stdout from one background thread in batches: a line written to an
/// idle writer wakes it, which then gathers for <see cref="FlushInterval"/> and writes everything at once, so a busy
/// service pays neither a thread wake-up nor a write call per line. Lines keep their order; when stdout cannot keep
/// up, loggers wait (as the framework's console logger does by default) rather than grow memory without bound;
/// everything buffered is written on dispose.
/// </summary>
internal sealed class StdoutWriter : IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);
    private const int FlushThreshold = 64 * 1024;
    private const int MaxBufferedBytes = 1024 * 1024;

    // A plain monitor: the writer and waiting loggers need Monitor.Wait/PulseAll on it.
    private readonly object _lock = new();
    private readonly Stream _output;
    private readonly Thread _thread;
    private ArrayBufferWriter<byte> _pending = new(FlushThreshold);
    private ArrayBufferWriter<byte> _spare = new(FlushThreshold);
    private bool _writerIdle;
    private int _waitingLoggers;
    private bool _stopping;

    public StdoutWriter()
        : this(Console.OpenStandardOutput())
    {
    }

    internal StdoutWriter(Stream output)
    {
        _output = output;
        _thread = new Thread(Run) { IsBackground = true, Name = "ServiceDefaults stdout" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="utf8"/> (whole lines, UTF-8) for writing.</summary>
    public void Append(ReadOnlySpan<byte> utf8)
    {
        lock (_lock)
        {
            while (_pending.WrittenCount > MaxBufferedBytes && !_stopping)
            {
                _waitingLoggers++;
                Monitor.Wait(_lock);
                _waitingLoggers--;
            }
            _pending.Write(utf8);
            if (_writerIdle || _pending.WrittenCount >= FlushThreshold)
            {
                _writerIdle = false;
                Monitor.PulseAll(_lock);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            bool stopping;
            lock (_lock)
            {
                while (_pending.WrittenCount == 0 && !_stopping)
                {
                    _writerIdle = true;
                    Monitor.Wait(_lock);
                }
                if (_pending.WrittenCount < FlushThreshold && !_stopping)
                {
                    Monitor.Wait(_lock, FlushInterval);
                }
                _writerIdle = false;
                (batch, _pending, _spare) = (_pending, _spare, _pending);
                stopping = _stopping && _pending.WrittenCount == 0;
                if (_waitingLoggers > 0)
                {
                    Monitor.PulseAll(_lock);
                }
            }
            Write(batch.WrittenSpan);
            batch.ResetWrittenCount();
            if (stopping)
            {
                return;
            }
        }
    }

    private void Write(ReadOnlySpan<byte> batch)
    {
        try
        {
            _output.Write(batch);
            _output.Flush();
        }
        catch (IOException)
        {
            // stdout closed (the reader went away): logging must never take the service down.
        }
    }
}

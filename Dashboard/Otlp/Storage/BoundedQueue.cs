namespace Aspire.Dashboard.Otlp.Storage;

// A ring buffer that drops its oldest item when full. It grows on demand, so a small series does
// not reserve the whole capacity up front. Not thread-safe: the stores lock around it.
public sealed class BoundedQueue<T>(int capacity)
{
    private T[] _items = [];
    private int _head;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    public int Count { get; private set; }

    // Returns the evicted item, if any.
    public bool Enqueue(T item, out T? evicted)
    {
        if (Count < Capacity)
        {
            if (Count == _items.Length)
            {
                Grow();
            }

            _items[(_head + Count) % _items.Length] = item;
            Count++;
            evicted = default;
            return false;
        }

        evicted = _items[_head];
        _items[_head] = item;
        _head = (_head + 1) % _items.Length;
        return true;
    }

    public bool TryDequeue(out T? item)
    {
        if (Count == 0)
        {
            item = default;
            return false;
        }

        item = _items[_head];
        _items[_head] = default!;
        _head = (_head + 1) % _items.Length;
        Count--;
        return true;
    }

    public T[] ToArray()
    {
        var result = new T[Count];
        for (var i = 0; i < Count; i++)
        {
            result[i] = _items[(_head + i) % _items.Length];
        }

        return result;
    }

    public void Clear()
    {
        _items = [];
        _head = 0;
        Count = 0;
    }

    private void Grow()
    {
        var size = (int)Math.Min(Capacity, Math.Max(16L, _items.Length * 2L));
        var grown = new T[size];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _items[(_head + i) % _items.Length];
        }

        _items = grown;
        _head = 0;
    }
}

using Aspire.Dashboard.Otlp.Storage;

namespace Dashboard.Tests.Storage;

public class BoundedQueueTests
{
    [Fact]
    public void Keeps_the_newest_items_and_reports_what_it_evicted()
    {
        var queue = new BoundedQueue<int>(3);

        for (var i = 1; i <= 3; i++)
        {
            Assert.False(queue.Enqueue(i, out _));
        }

        Assert.True(queue.Enqueue(4, out var evicted));
        Assert.Equal(1, evicted);
        Assert.True(queue.Enqueue(5, out evicted));
        Assert.Equal(2, evicted);
        Assert.Equal([3, 4, 5], queue.ToArray());
    }

    [Fact]
    public void Grows_past_its_initial_size_up_to_capacity()
    {
        var queue = new BoundedQueue<int>(100);

        for (var i = 0; i < 250; i++)
        {
            queue.Enqueue(i, out _);
        }

        Assert.Equal(100, queue.Count);
        Assert.Equal(Enumerable.Range(150, 100), queue.ToArray());
        Assert.True(queue.TryDequeue(out var oldest));
        Assert.Equal(150, oldest);
    }

    [Fact]
    public void Rejects_a_capacity_that_is_not_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedQueue<int>(0));
}

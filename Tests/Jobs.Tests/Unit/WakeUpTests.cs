using Jobs.Signals;

namespace Jobs.Tests.Unit;

public sealed class WakeUpTests
{
    [Theory]
    [InlineData("default", null)]
    [InlineData("emails_2", 0)]
    [InlineData("default", 2147483647)]
    [InlineData("default", -17)]
    public void A_payload_reads_back_as_the_wake_up_it_was_made_from(string queue, int? commitLock)
    {
        var wake = new WakeUp(queue, commitLock);

        Assert.Equal(wake, WakeUp.FromPayload(wake.ToPayload()));
    }

    [Fact]
    public void A_plain_wake_up_is_the_queue_name_alone_as_before_the_handshake()
    {
        Assert.Equal("default", new WakeUp("default").ToPayload());
        Assert.Equal("default:42", new WakeUp("default", 42).ToPayload());
    }

    [Theory]
    [InlineData("default:")]
    [InlineData("default:x1")]
    [InlineData("default:99999999999")]
    public void A_malformed_key_leaves_a_plain_wake_up_for_the_queue(string payload)
    {
        Assert.Equal(new WakeUp("default"), WakeUp.FromPayload(payload));
    }
}

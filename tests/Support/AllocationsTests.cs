namespace StreamMatte.Tests.Support;

public class AllocationsTests
{
    private static byte[]? _kept;

    [Fact]
    public void An_allocation_made_in_every_round_is_counted()
    {
        Assert.True(Allocations.FewestBytes(() => _kept = new byte[1000]) >= 1000);
    }

    [Fact]
    public void An_allocation_made_once_is_not()
    {
        bool done = false;
        Assert.Equal(0, Allocations.FewestBytes(() =>
        {
            if (!done) _kept = new byte[1000];
            done = true;
        }));
    }
}

using StreamMatte.Imaging;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Imaging;

/// <summary>The per-size set-up store behind live mode's allocation-free size changes.</summary>
public class PerSizeTests
{
    private sealed class Tracked : IDisposable
    {
        public bool Disposed;
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void A_size_seen_before_gives_back_the_same_set_up()
    {
        var store = new PerSize<(int, int), Tracked>();
        var first = store.Add((512, 288), new Tracked());
        store.Add((384, 216), new Tracked());

        Assert.True(store.TryGet((512, 288), out var again));
        Assert.Same(first, again);
        Assert.False(store.TryGet((448, 252), out _));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void When_full_the_least_recently_used_size_gives_way_and_is_disposed()
    {
        var store = new PerSize<(int, int), Tracked>(capacity: 3);
        var a = store.Add((1, 1), new Tracked());
        var b = store.Add((2, 2), new Tracked());
        store.Add((3, 3), new Tracked());
        store.TryGet((1, 1), out _);          // a used again: b is now the least recently used

        store.Add((4, 4), new Tracked());

        Assert.True(b.Disposed);
        Assert.False(a.Disposed);
        Assert.False(store.TryGet((2, 2), out _));
        Assert.True(store.TryGet((1, 1), out _));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void Looking_up_a_kept_size_allocates_nothing()
    {
        var store = new PerSize<(int, int), Tracked>();
        for (int i = 1; i <= 6; i++) store.Add((i, i), new Tracked());
        store.TryGet((6, 6), out _);

        Assert.Equal(0, Allocations.FewestBytes(() =>
        {
            for (int i = 0; i < 100; i++) store.TryGet((i % 6 + 1, i % 6 + 1), out _);
        }));
    }

    [Fact]
    public void Clear_disposes_every_kept_set_up()
    {
        var store = new PerSize<(int, int), Tracked>();
        var kept = Enumerable.Range(1, 4).Select(i => store.Add((i, i), new Tracked())).ToList();
        store.Clear();
        Assert.All(kept, t => Assert.True(t.Disposed));
        Assert.Equal(0, store.Count);
    }
}

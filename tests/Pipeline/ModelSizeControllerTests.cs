using StreamMatte.Pipeline.Live;

namespace StreamMatte.Tests.Pipeline;

/// <summary>The live model-size controller, fed made-up inference times (no clock): what it picks and when it changes.</summary>
public class ModelSizeControllerTests
{
    // Budget: 2 frames at 30 fps = 66.7 ms. Settle 2 runs, window 8, early judgement after 3 runs at 1.25 × budget.
    private static ModelSizeController Controller(int retryAfter = 60) =>
        new(new AutoModelSize { Ladder = [512, 384, 256], RetryAfterRuns = retryAfter, MaxRetryAfterRuns = 4 * retryAfter }, frameRate: 30);

    /// <summary>Feeds <paramref name="runs"/> runs of the time <paramref name="msAt"/> gives for the current size; the sizes used, run by run.</summary>
    private static List<int> Feed(ModelSizeController c, int runs, Func<int, double> msAt)
    {
        var used = new List<int>();
        for (int i = 0; i < runs; i++)
        {
            used.Add(c.LongSide);
            c.Record(msAt(c.LongSide));
        }
        return used;
    }

    /// <summary>A network whose time grows with the pixels: <paramref name="msAt512"/> at 512, scaled by area below.</summary>
    private static Func<int, double> Area(double msAt512) => side => msAt512 * side * side / (512.0 * 512);

    [Fact]
    public void The_budget_is_the_frame_intervals_allowed_per_matte()
    {
        Assert.Equal(2000.0 / 30, Controller().BudgetMs, 6);
        Assert.Equal(1000.0 / 60 * 3, new ModelSizeController(new AutoModelSize { FramesPerMatte = 3 }, 60).BudgetMs, 6);
        Assert.Equal(2000.0 / 30, new ModelSizeController(new AutoModelSize(), 0).BudgetMs, 6);   // unknown rate: 30 fps
    }

    [Fact]
    public void It_starts_at_the_smallest_size_and_climbs_straight_to_the_largest_predicted_to_fit()
    {
        var c = Controller();
        Assert.True(c.WarmingUp);
        var used = Feed(c, 200, Area(40));   // 256: 10 ms, so 512 is predicted at 40 ms, within 0.8 × 66.7
        // 2 settling runs + 3 judged at 256, then 512 at once (not by way of 384), where it stays.
        Assert.Equal(Enumerable.Repeat(256, 5).Concat(Enumerable.Repeat(512, 195)), used);
        Assert.Equal(1, c.Changes);
        Assert.False(c.WarmingUp);
    }

    [Fact]
    public void Slow_first_runs_do_not_end_the_warm_up_it_climbs_once_the_runs_get_quick()
    {
        var c = Controller();
        int run = 0;
        // The first 8 runs of a process are slow (JIT, caches, the frame path starting): 100 ms even at 256.
        var used = Feed(c, 40, side => run++ < 8 ? 100 : Area(40)(side));
        Assert.Equal(512, c.LongSide);
        Assert.True(used.IndexOf(512) <= 12, $"512 first used at run {used.IndexOf(512)}");
    }

    [Fact]
    public void A_machine_too_slow_for_larger_sizes_keeps_the_size_it_started_at()
    {
        var c = Controller();
        var used = Feed(c, 40, Area(200));   // 256: 50 ms fits; 384 would take 112 ms
        Assert.All(used, s => Assert.Equal(256, s));
        Assert.Equal(0, c.Changes);
        Assert.False(c.WarmingUp);
    }

    [Fact]
    public void A_size_slightly_over_the_budget_is_left_only_on_a_full_window()
    {
        var c = Controller();
        // Seen from 256 (10 ms) 512 looks fine, but it takes 75 ms: over 66.7 but under the early limit of 83 ms.
        var used = Feed(c, 20, side => side == 512 ? 75 : Area(40)(side));
        Assert.Equal(10, used.Count(s => s == 512));   // 2 settling + 8 of a full window
        Assert.Equal(384, c.LongSide);                 // 384 is predicted at 42 ms
        Assert.False(c.WarmingUp);
    }

    [Fact]
    public void When_the_load_jumps_it_steps_down_straight_to_the_size_predicted_to_fit()
    {
        var c = Controller();
        Feed(c, 30, Area(40));
        Assert.Equal(512, c.LongSide);
        var used = Feed(c, 20, Area(130));   // 512: 130 ms; 384 would take 73 ms, 256 33 ms
        Assert.DoesNotContain(384, used);
        Assert.Equal(256, c.LongSide);
    }

    [Fact]
    public void When_load_rises_it_steps_down_and_when_it_falls_it_climbs_back_after_the_retry_wait()
    {
        var c = Controller(retryAfter: 20);
        var used = Feed(c, 30, Area(40));
        Assert.Equal(512, c.LongSide);
        used.AddRange(Feed(c, 30, Area(120)));        // the machine got busy: 512 takes 120 ms, 384 68 ms, 256 30 ms
        Assert.Equal(256, c.LongSide);
        used.AddRange(Feed(c, 100, Area(40)));        // quiet again: 256 takes 10 ms, 384 23 ms, 512 40 ms
        Assert.Equal(512, c.LongSide);
        // Each climb came only after the retry wait: 2 settling runs and 20 judged ones at the smaller size (at 256 the
        // busy runs went on a while, and the window's median had to come down before 384 was predicted to fit). 512's own
        // wait had doubled to 40 when the load made it go: 384's try holding does not shorten it.
        int first256 = used.FindIndex(5, s => s == 256), first384Again = used.FindIndex(first256, s => s == 384);
        Assert.True(first384Again - first256 >= 22, $"384 tried again after {first384Again - first256} runs at 256");
        int first512Again = used.FindIndex(first384Again, s => s == 512);
        Assert.Equal(2 + 40, first512Again - first384Again);
        Assert.Equal(20, c.RetryAfterRuns(512));   // and back to 20 once the try held
    }

    [Fact]
    public void It_does_not_step_up_when_the_larger_size_is_predicted_over_the_margin()
    {
        var c = Controller(retryAfter: 10);
        Feed(c, 30, Area(90));                         // 512: 90 ms (down), 384: 51 ms; 512 predicted 90 > 0.8 × 66.7
        Assert.Equal(384, c.LongSide);
        var used = Feed(c, 300, Area(90));
        Assert.All(used, s => Assert.Equal(384, s));
    }

    [Fact]
    public void A_size_found_slower_than_predicted_is_not_tried_again_while_the_smaller_one_runs_as_before()
    {
        var c = Controller(retryAfter: 10);
        // Seen from 384 (25 ms) the 512 looks fine (44 ms predicted), but it takes 100 ms.
        double At(int side) => side switch { 512 => 100, 384 => 25, _ => 5 };
        var used = Feed(c, 400, At);
        // Warm-up: 5 runs at 256 (5 ms: 512 predicted at 20 ms), 5 at 512 (clearly too slow), then 384 for good: its
        // first full window (25 ms) paired with 512's 100 ms says 512 takes 2.25 × what 384 predicts for it.
        Assert.Equal(Enumerable.Repeat(256, 5).Concat(Enumerable.Repeat(512, 5)).Concat(Enumerable.Repeat(384, 390)), used);
        Assert.Equal(100 / (25 * 512.0 * 512 / (384 * 384)), c.Correction(512), 6);
        Assert.Equal(2, c.Changes);
    }

    [Fact]
    public void A_size_on_the_edge_of_the_budget_is_left_once_not_every_retry_wait()
    {
        var c = Controller(retryAfter: 10);
        // 384 runs at 29 ms: 512 predicted at 52 ms, just within 0.8 × 66.7; it takes 70 ms, just over the budget (but
        // under the early limit): each visit lasts a full window. Before the controller learned from its changes it
        // went back to 512 after every wait.
        double At(int side) => side switch { 512 => 70, 384 => 29, _ => 10 };
        var used = Feed(c, 600, At);
        int visits = Enumerable.Range(1, used.Count - 1).Count(i => used[i] == 512 && used[i - 1] != 512);
        Assert.Equal(1, visits);
        Assert.Equal(384, c.LongSide);
    }

    [Fact]
    public void Once_the_smaller_size_is_quicker_by_what_was_learned_the_larger_is_tried_again()
    {
        var c = Controller(retryAfter: 10);
        bool quiet = false;
        // Busy: 384 takes 25 ms and 512 100 ms (2.25 × the area prediction). Quiet: 384 10 ms, 512 40 ms (still 2.25 ×).
        double At(int side) => side switch { 512 => quiet ? 40 : 100, 384 => quiet ? 10 : 25, _ => 5 };
        Feed(c, 60, At);
        Assert.Equal(384, c.LongSide);
        quiet = true;
        var used = Feed(c, 100, At);
        // 512 predicted from 384's 10 ms: 17.8 ms × 2.25 = 40 ms, within 0.8 × 66.7: tried as soon as 384's window shows
        // the quicker runs (the retry wait has long passed), and kept (40 ms fits).
        Assert.Equal(512, c.LongSide);
        int firstTry = used.IndexOf(512);
        Assert.InRange(firstTry, 0, 20);
        Assert.All(used.Skip(firstTry), s => Assert.Equal(512, s));
        Assert.Equal(40 / (10 * 512.0 * 512 / (384 * 384)), c.Correction(512), 6);   // learned again from the try that held
    }
}

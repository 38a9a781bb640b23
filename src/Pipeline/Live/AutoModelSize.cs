namespace StreamMatte.Pipeline.Live;

/// <summary>
/// How live mode picks the network's size (<c>--model-size auto</c>): a ladder of long sides, largest first, and how
/// fresh the matte must stay. The network may take at most <see cref="FramesPerMatte"/> source frame intervals per
/// run (at 30 fps and 2: 67 ms, a matte at least 15 times a second); the largest size whose runs fit is used.
/// Data only: the decisions are <see cref="ModelSizeController"/>'s.
/// </summary>
public sealed record AutoModelSize
{
    /// <summary>Long sides in pixels, largest first. Our student needs multiples of 32 itself and rounds to them.</summary>
    public IReadOnlyList<int> Ladder { get; init; } = [512, 448, 384, 320, 256, 192];

    /// <summary>The budget of one network run, in source frame intervals.</summary>
    public double FramesPerMatte { get; init; } = 2;

    /// <summary>Judged runs of the start-up, during which the size climbs straight to what the newest runs predict to fit (see <see cref="ModelSizeController.WarmingUp"/>).</summary>
    public int WarmUpRuns { get; init; } = 30;

    /// <summary>Runs right after a size change that are not judged (the first runs at a new size pay for caches and allocation).</summary>
    public int SettleRuns { get; init; } = 2;

    /// <summary>The recent runs judged together, by their median.</summary>
    public int Window { get; init; } = 8;

    /// <summary>Fewest runs to judge on: with that few, a size is left only when its median is over the budget by <see cref="EarlyOverrun"/>.</summary>
    public int FirstJudgement { get; init; } = 3;

    /// <summary>How far over the budget a size must be to be left before its window is full (warm-up: step down fast when clearly too slow).</summary>
    public double EarlyOverrun { get; init; } = 1.25;

    /// <summary>A larger size is tried only when it is predicted (time ∝ pixels) to take at most this share of the budget.</summary>
    public double StepUpMargin { get; init; } = 0.8;

    /// <summary>Runs at a size before the next larger one is tried (again); each size's own wait doubles each time that size is left for being too slow.</summary>
    public int RetryAfterRuns { get; init; } = 60;

    /// <summary>The longest wait between tries of a larger size, in runs.</summary>
    public int MaxRetryAfterRuns { get; init; } = 960;

    public override string ToString() =>
        $"auto: largest of [{string.Join(", ", Ladder)}] whose inference p50 fits {FramesPerMatte:0.##} frame intervals";
}

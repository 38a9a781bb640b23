namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Picks the network's size for live mode from measured inference times: fed each run's time (<see cref="Record"/>),
/// it keeps the largest size of the ladder whose median run fits the budget (<see cref="AutoModelSize.FramesPerMatte"/>
/// frame intervals). It starts at the smallest and climbs straight to the size predicted to fit (<see cref="WarmingUp"/>),
/// steps down as soon as a size is clearly too slow or its window's median is over the budget (load rose), straight to
/// the largest size predicted to fit, and steps up again one size at a time when the next larger size is predicted to fit
/// with a margin, after a wait of that size's own which doubles each time the size is left for being too slow (so a size
/// on the edge is not flipped every second). Each change also teaches it how far the area prediction is off for the larger of the two sizes
/// (<see cref="Correction"/>): the median just before the change is paired with the first full window after it, and
/// step-up predictions for that size are scaled by the ratio from then on. A size found slower than predicted is then
/// tried again only once the smaller size has got quicker by as much; without this a size on the edge (under a steady
/// load, its median just over the budget) was tried and left every few seconds, each change reallocating the network's
/// buffers. It knows no clock: every decision follows from the times it is given, so tests feed it made-up times.
/// Allocation-free after construction.
/// </summary>
public sealed class ModelSizeController
{
    private readonly AutoModelSize _settings;
    private readonly int[] _ladder;
    private readonly double[] _window, _sorted;
    private int _count, _next;      // samples in the window, ring position
    private int _rung;              // index into the ladder; 0 = the largest
    private int _settle;            // runs still ignored after a change
    private int _runsAtRung;        // judged runs since the last change
    private readonly int[] _retryAfter;   // per rung: runs to wait at the next smaller size before trying it
    private bool _trying;           // the current size was reached by stepping up and has not yet proven itself
    private int _warmUpRuns;        // judged runs so far in the warm-up
    private readonly double[] _correction;   // per rung: measured / area-predicted time, learned from changes
    private (int Rung, double Ms)? _before;  // the size left at the last change and its median then, until the new size's first full window

    public ModelSizeController(AutoModelSize settings, double frameRate)
    {
        if (settings.Ladder.Count == 0) throw new ArgumentException("the model-size ladder is empty", nameof(settings));
        if (settings.Window < 1 || settings.FirstJudgement < 1) throw new ArgumentException("the window and the first judgement need at least one run", nameof(settings));
        _settings = settings;
        _ladder = [.. settings.Ladder.Order().Reverse()];
        _window = new double[settings.Window];
        _correction = new double[_ladder.Length];
        Array.Fill(_correction, 1.0);
        _sorted = new double[settings.Window];
        BudgetMs = settings.FramesPerMatte * 1000.0 / (frameRate > 0 ? frameRate : 30);
        _settle = settings.SettleRuns;
        _retryAfter = new int[_ladder.Length];
        Array.Fill(_retryAfter, settings.RetryAfterRuns);
        _rung = _ladder.Length - 1;   // warm-up starts at the smallest size: the first matte comes soonest
    }

    /// <summary>
    /// Start-up (the first <see cref="AutoModelSize.WarmUpRuns"/> judged runs): from the smallest size, once a few runs
    /// are measured, straight to the largest size predicted to fit the budget, and again from there as the runs get
    /// quicker; it ends early at the first size clearly over the budget (stepped down from). Until the first matte
    /// every frame is dropped, so the warm-up begins where a run is quickest instead of where it is slowest.
    /// </summary>
    public bool WarmingUp { get; private set; } = true;

    /// <summary>The long sides it chooses from, largest first.</summary>
    public IReadOnlyList<int> Ladder => _ladder;

    /// <summary>The long side the next run should use.</summary>
    public int LongSide => _ladder[_rung];

    /// <summary>The most one run may take, in milliseconds.</summary>
    public double BudgetMs { get; }

    /// <summary>How often the size changed.</summary>
    public int Changes { get; private set; }

    /// <summary>The median of the current window (NaN before its first judged run): what the last decision was based on.</summary>
    public double MedianMs { get; private set; } = double.NaN;

    /// <summary>Runs to wait at the next smaller size before trying <paramref name="longSide"/> (doubles each time it is left for being too slow).</summary>
    public int RetryAfterRuns(int longSide) => _retryAfter[Array.IndexOf(_ladder, longSide)];

    /// <summary>Feeds the time of one run at <see cref="LongSide"/>; true when the size changed (the next run uses the new one).</summary>
    public bool Record(double milliseconds)
    {
        if (_settle > 0)
        {
            _settle--;
            return false;
        }
        _window[_next] = milliseconds;
        _next = (_next + 1) % _window.Length;
        if (_count < _window.Length) _count++;
        _runsAtRung++;
        if (_count < _settings.FirstJudgement) return false;
        MedianMs = Median();
        bool full = _count == _window.Length;
        if (full && _before is { } before) Learn(before.Rung, before.Ms);
        double limit = full ? BudgetMs : BudgetMs * _settings.EarlyOverrun;
        if (MedianMs > limit)
        {
            if (_rung < _ladder.Length - 1) WarmingUp = false;   // too slow at the smallest size: the warm-up goes on
            return StepDown();
        }
        if (WarmingUp)
        {
            if (++_warmUpRuns >= _settings.WarmUpRuns) WarmingUp = false;
            // From the newest runs (the first runs of a process are slow: JIT, caches), against the budget itself, not
            // the step-up margin: from a small size the prediction overestimates a larger one (a run's fixed costs do
            // not grow with the pixels), and a size found too slow is left on a full window.
            double recent = RecentMedian(_settings.FirstJudgement);
            if (recent > BudgetMs) return false;   // over, but not clearly: a full window decides
            int target = LargestPredictedToFit(recent, BudgetMs);
            return target < _rung && Change(target, recent);
        }
        if (!full) return false;
        if (_trying)
        {
            _trying = false;                        // the larger size held a whole window: tries of it may come soon again
            _retryAfter[_rung] = _settings.RetryAfterRuns;
        }
        if (_rung == 0 || _runsAtRung < _retryAfter[_rung - 1]) return false;
        double predicted = Predicted(MedianMs, _rung - 1) * _correction[_rung - 1];
        if (predicted > BudgetMs * _settings.StepUpMargin) return false;
        _trying = true;
        return Change(_rung - 1, MedianMs);
    }

    private bool StepDown()
    {
        // This size could not be kept (a failed try, or load that came later): wait longer before trying it again. The
        // wait is this size's own: a smaller size's try that holds does not shorten it.
        _retryAfter[_rung] = Math.Min(_settings.MaxRetryAfterRuns, _retryAfter[_rung] * 2);
        _trying = false;
        if (_rung == _ladder.Length - 1)
        {
            Restart();   // already the smallest: nothing left to give, judge afresh
            return false;
        }
        // Straight to the largest smaller size predicted to fit: when the load jumps, the current size may be several
        // rungs too slow, and stepping one rung at a time would leave the matte stale for seconds.
        // The prediction starts from the newest runs: the window may still hold runs from before the load changed.
        double recent = RecentMedian(_settings.FirstJudgement);
        int rung = _rung + 1;
        while (rung < _ladder.Length - 1 && Predicted(recent, rung) > BudgetMs) rung++;
        return Change(rung, recent);
    }

    /// <summary>
    /// How much slower (above 1) or quicker than the area prediction the size <paramref name="longSide"/> ran, as last
    /// learned from a change to or from it; 1 until then. Step-up predictions for it are multiplied by this.
    /// </summary>
    public double Correction(int longSide) => _correction[Array.IndexOf(_ladder, longSide)];

    /// <summary>
    /// The first full window after a change: pairs its median with the one of the size left (<paramref name="ms"/> at
    /// <paramref name="other"/>, measured moments apart, so under nearly the same load) and learns, for the larger of the
    /// two, its time against the time the smaller one predicts for it. Leaving a size can only make it look slower
    /// (the larger of the old and new ratio: under a load that comes and goes, the smaller size's window may be measured
    /// in a burst); reaching it by a try that held measures it afresh.
    /// </summary>
    private void Learn(int other, double ms)
    {
        _before = null;
        if (other == _rung || ms <= 0 || MedianMs <= 0) return;
        bool left = other < _rung;   // the larger size is the one left
        var (larger, largerMs, smaller, smallerMs) = left ? (other, ms, _rung, MedianMs) : (_rung, MedianMs, other, ms);
        double predicted = smallerMs * _ladder[larger] * _ladder[larger] / ((double)_ladder[smaller] * _ladder[smaller]);
        // Bounded: one odd window (a burst of load around the change) should not shut a size out for good, nor open it wide.
        double ratio = Math.Clamp(largerMs / predicted, 0.5, 4);
        _correction[larger] = left ? Math.Max(_correction[larger], ratio) : ratio;
    }

    /// <summary>The time a run at <paramref name="rung"/> is expected to take, given <paramref name="ms"/> at the current size (time ∝ pixels).</summary>
    private double Predicted(double ms, int rung) => ms * _ladder[rung] * _ladder[rung] / ((double)_ladder[_rung] * _ladder[_rung]);

    /// <summary>The largest size predicted, from <paramref name="current"/> ms at this size, to take at most <paramref name="limit"/> ms; or this one.</summary>
    private int LargestPredictedToFit(double current, double limit)
    {
        for (int rung = 0; rung < _rung; rung++)
            if (Predicted(current, rung) <= limit) return rung;
        return _rung;
    }

    /// <summary>The median of the newest <paramref name="runs"/> runs of the window (all of them if it holds fewer).</summary>
    private double RecentMedian(int runs)
    {
        int n = Math.Min(runs, _count);
        for (int i = 0; i < n; i++) _sorted[i] = _window[(_next - 1 - i + _window.Length) % _window.Length];
        Array.Sort(_sorted, 0, n);
        return n % 2 == 1 ? _sorted[n / 2] : (_sorted[n / 2 - 1] + _sorted[n / 2]) / 2;
    }

    /// <param name="ms">The median at the size being left, what the change was decided on.</param>
    private bool Change(int rung, double ms)
    {
        _before = (_rung, ms);
        _rung = rung;
        Changes++;
        Restart();
        _settle = _settings.SettleRuns;
        return true;
    }

    private void Restart()
    {
        _count = 0;
        _next = 0;
        _runsAtRung = 0;
    }

    private double Median()
    {
        Array.Copy(_window, _sorted, _count);
        Array.Sort(_sorted, 0, _count);
        return _count % 2 == 1 ? _sorted[_count / 2] : (_sorted[_count / 2 - 1] + _sorted[_count / 2]) / 2;
    }
}

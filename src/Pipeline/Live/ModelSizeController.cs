namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Picks the network's size for live mode from measured inference times: fed each run's time (<see cref="Record"/>),
/// it keeps the largest size of the ladder whose median run fits the budget (<see cref="AutoModelSize.FramesPerMatte"/>
/// frame intervals). It starts at the largest, steps down as soon as a size is clearly too slow (warm-up) or its
/// window's median is over the budget (load rose), and steps up again when the next larger size is predicted to fit
/// with a margin, after a wait that doubles each time such a try fails (so a size on the edge is not flipped every
/// second). It knows no clock: every decision follows from the times it is given, so tests feed it made-up times.
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
    private int _retryAfter;        // runs to wait before trying a larger size
    private bool _trying;           // the current size was reached by stepping up and has not yet proven itself

    public ModelSizeController(AutoModelSize settings, double frameRate)
    {
        if (settings.Ladder.Count == 0) throw new ArgumentException("the model-size ladder is empty", nameof(settings));
        if (settings.Window < 1 || settings.FirstJudgement < 1) throw new ArgumentException("the window and the first judgement need at least one run", nameof(settings));
        _settings = settings;
        _ladder = [.. settings.Ladder.Order().Reverse()];
        _window = new double[settings.Window];
        _sorted = new double[settings.Window];
        BudgetMs = settings.FramesPerMatte * 1000.0 / (frameRate > 0 ? frameRate : 30);
        _settle = settings.SettleRuns;
        _retryAfter = settings.RetryAfterRuns;
    }

    /// <summary>The long side the next run should use.</summary>
    public int LongSide => _ladder[_rung];

    /// <summary>The most one run may take, in milliseconds.</summary>
    public double BudgetMs { get; }

    /// <summary>How often the size changed.</summary>
    public int Changes { get; private set; }

    /// <summary>The median of the current window (NaN before its first judged run): what the last decision was based on.</summary>
    public double MedianMs { get; private set; } = double.NaN;

    /// <summary>Runs to wait before the next try of a larger size (grows while tries fail).</summary>
    public int RetryAfterRuns => _retryAfter;

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
        double limit = full ? BudgetMs : BudgetMs * _settings.EarlyOverrun;
        if (MedianMs > limit) return StepDown();
        if (!full) return false;
        if (_trying)
        {
            _trying = false;                        // the larger size held a whole window: tries may come soon again
            _retryAfter = _settings.RetryAfterRuns;
        }
        if (_rung == 0 || _runsAtRung < _retryAfter) return false;
        double larger = _ladder[_rung - 1], current = _ladder[_rung];
        double predicted = MedianMs * (larger * larger) / (current * current);
        if (predicted > BudgetMs * _settings.StepUpMargin) return false;
        _trying = true;
        return Change(_rung - 1);
    }

    private bool StepDown()
    {
        if (_trying)   // the try of a larger size failed: wait longer before the next one
            _retryAfter = Math.Min(_settings.MaxRetryAfterRuns, _retryAfter * 2);
        _trying = false;
        if (_rung == _ladder.Length - 1)
        {
            Restart();   // already the smallest: nothing left to give, judge afresh
            return false;
        }
        return Change(_rung + 1);
    }

    private bool Change(int rung)
    {
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

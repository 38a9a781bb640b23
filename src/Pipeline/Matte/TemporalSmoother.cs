using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Matte;

/// <summary>
/// How much to steady the matte. <see cref="Strength"/> 0 turns smoothing off; at 0.8 a still pixel keeps
/// 80 % of its previous α each frame. Motion (luma change, after a 3×3 mean) below <see cref="NoiseLevel"/>
/// counts as still; at <see cref="FullResponseMotion"/> and above the new α is taken as is. Where the picture
/// is still, α changes smaller than <see cref="StillDeadband"/> are ignored (a soft threshold): a network's
/// slow drift and jitter on a still edge are flicker too, and an average alone cannot remove drift.
/// </summary>
public sealed record SmoothingSettings(float Strength = 0.8f, float NoiseLevel = 3f / 255, float FullResponseMotion = 12f / 255, float StillDeadband = 0.04f);

/// <summary>
/// Motion-adaptive temporal smoothing of the matte: per pixel, α_t = α_{t−1} + k·(α_raw − α_{t−1}) with k
/// small where the picture is still (network flicker is damped) and 1 where it moves (edges follow the person
/// without lag). Works at the matte's resolution with the guide's luma; starts over on a scene cut or a
/// change of size. None of the papers gives such a filter; its effect is measured (see <see cref="FlickerMeter"/>).
/// Its buffers are made per size and kept (live mode's network size comes and goes; a size seen before allocates nothing).
/// </summary>
public sealed class TemporalSmoother(SmoothingSettings settings)
{
    private readonly BoxFilter _box = new();
    private readonly PerSize<(int, int), History> _histories = new();
    private History? _history;   // the current size's; null until the first frame

    /// <summary>The smoothed α so far, the previous frame's luma, and the motion between the two, at one size.</summary>
    private sealed class History(int width, int height)
    {
        public FloatPlane State { get; } = new(width, height);
        public FloatImage PreviousLuma { get; } = new(width, height, 1);
        public FloatImage Motion { get; } = new(width, height, 1);
    }

    public SmoothingSettings Settings => settings;

    /// <summary>The next matte starts the smoothing afresh, whatever its size (a set-up run was smoothed before it). The buffers stay.</summary>
    public void Forget() => _history = null;

    /// <summary>Smooths <paramref name="alpha"/> in place, given the luma of the same frame at the same size.</summary>
    public void Apply(FloatPlane alpha, FloatImage luma, bool sceneCut)
    {
        if (settings.Strength <= 0) return;
        int w = alpha.Width, h = alpha.Height, n = w * h;
        if (sceneCut || _history is null || _history.State.Width != w || _history.State.Height != h)
        {
            Restart(alpha, luma);
            return;
        }
        var motion = _history.Motion.Data;
        var previous = _history.PreviousLuma.Data;
        var current = luma.Data;
        for (int i = 0; i < n; i++) motion[i] = Math.Abs(current[i] - previous[i]);
        _box.Apply(_history.Motion, 1);

        float still = 1 - Math.Clamp(settings.Strength, 0f, 0.99f);
        float noise = settings.NoiseLevel, span = Math.Max(1e-6f, settings.FullResponseMotion - noise);
        float deadband = settings.StillDeadband;
        var state = _history.State.Data;
        var a = alpha.Data;
        for (int i = 0; i < n; i++)
        {
            float response = Math.Clamp((motion[i] - noise) / span, 0f, 1f);
            float k = still + (1 - still) * response;
            float change = a[i] - state[i];
            float band = deadband * (1 - response);
            change = change > band ? change - band : change < -band ? change + band : 0;
            float smoothed = state[i] + k * change;
            state[i] = smoothed;
            a[i] = smoothed;
        }
        Array.Copy(current, previous, n);
    }

    private void Restart(FloatPlane alpha, FloatImage luma)
    {
        int w = alpha.Width, h = alpha.Height;
        if (!_histories.TryGet((w, h), out var history)) history = _histories.Add((w, h), new History(w, h));
        _history = history;
        Array.Copy(alpha.Data, history.State.Data, w * h);
        Array.Copy(luma.Data, history.PreviousLuma.Data, w * h);
    }
}

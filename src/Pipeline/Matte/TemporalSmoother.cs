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
/// </summary>
public sealed class TemporalSmoother(SmoothingSettings settings)
{
    private readonly BoxFilter _box = new();
    private FloatPlane? _state;
    private FloatImage? _previousLuma, _motion;

    public SmoothingSettings Settings => settings;

    /// <summary>Smooths <paramref name="alpha"/> in place, given the luma of the same frame at the same size.</summary>
    public void Apply(FloatPlane alpha, FloatImage luma, bool sceneCut)
    {
        if (settings.Strength <= 0) return;
        int w = alpha.Width, h = alpha.Height, n = w * h;
        if (sceneCut || _state is null || _state.Width != w || _state.Height != h)
        {
            Restart(alpha, luma);
            return;
        }
        var motion = _motion!.Data;
        var previous = _previousLuma!.Data;
        var current = luma.Data;
        for (int i = 0; i < n; i++) motion[i] = Math.Abs(current[i] - previous[i]);
        _box.Apply(_motion, 1);

        float still = 1 - Math.Clamp(settings.Strength, 0f, 0.99f);
        float noise = settings.NoiseLevel, span = Math.Max(1e-6f, settings.FullResponseMotion - noise);
        float deadband = settings.StillDeadband;
        var state = _state.Data;
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
        if (_state is null || _state.Width != w || _state.Height != h)
        {
            _state = new FloatPlane(w, h);
            _previousLuma = new FloatImage(w, h, 1);
            _motion = new FloatImage(w, h, 1);
        }
        Array.Copy(alpha.Data, _state.Data, w * h);
        Array.Copy(luma.Data, _previousLuma!.Data, w * h);
    }
}

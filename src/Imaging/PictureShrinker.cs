namespace StreamMatte.Imaging;

/// <summary>
/// Area-shrinks pictures to sizes that change now and then (live mode's network sizes), into a picture of its own per
/// size: each size's output and scaler tables are made on its first use and kept (<see cref="PerSize{TKey,T}"/>), so
/// a size seen before allocates nothing. The returned picture is this shrinker's, valid until its next call at that size.
/// </summary>
public sealed class PictureShrinker
{
    private sealed record Target(AreaScaler Scaler, RgbImage Picture);
    private readonly PerSize<(int, int), Target> _targets = new();

    /// <summary><paramref name="picture"/> itself when it already has that size, else its shrunk copy.</summary>
    public RgbImage Shrink(RgbImage picture, int width, int height)
    {
        if ((picture.Width, picture.Height) == (width, height)) return picture;
        if (!_targets.TryGet((width, height), out var target))
            target = _targets.Add((width, height), new Target(new AreaScaler(), new RgbImage(width, height)));
        target.Scaler.Scale(picture, target.Picture);
        return target.Picture;
    }
}

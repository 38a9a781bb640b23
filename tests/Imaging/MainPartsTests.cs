using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

public class MainPartsTests
{
    private const int W = 40, H = 30;

    private static float[] Mask(params (int X0, int Y0, int X1, int Y1, float Value)[] boxes)
    {
        var mask = new float[W * H];
        foreach (var (x0, y0, x1, y1, v) in boxes)
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) mask[y * W + x] = v;
        return mask;
    }

    private static float Sum(float[] mask, int x0, int y0, int x1, int y1)
    {
        float s = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) s += mask[y * W + x];
        return s;
    }

    [Fact]
    public void A_small_piece_apart_from_the_body_is_cleared_and_the_body_is_untouched()
    {
        var mask = Mask((2, 2, 14, 28, 0.9f), (30, 20, 34, 26, 0.8f));   // 12x26 body, 4x6 far piece (7.7 % of its mass)
        var body = mask.ToArray();
        new MainParts(W, H).Apply(mask);
        Assert.Equal(0f, Sum(mask, 30, 20, 34, 26));
        Assert.Equal(Sum(body, 2, 2, 14, 28), Sum(mask, 2, 2, 14, 28));
    }

    [Fact]
    public void A_person_cut_in_two_by_someone_in_front_keeps_both_halves()
    {
        var mask = Mask((2, 2, 14, 28, 0.9f), (20, 2, 28, 28, 0.9f));   // the second half has 2/3 of the first's mass
        var before = mask.ToArray();
        new MainParts(W, H).Apply(mask);
        Assert.Equal(before, mask);
    }

    [Fact]
    public void Parts_touching_at_a_corner_are_one_and_a_faint_bridge_is_not_a_link()
    {
        // A diagonal touch joins (8-connected); a bridge at the floor (0.1) does not, and is itself cleared.
        var mask = Mask((2, 2, 14, 28, 0.9f), (14, 28, 16, 30, 0.9f), (14, 10, 30, 11, MainParts.Floor), (30, 8, 33, 12, 0.9f));
        new MainParts(W, H).Apply(mask);
        Assert.Equal(4 * 0.9f, Sum(mask, 14, 28, 16, 30), 3);   // the corner piece stays with the body
        Assert.Equal(0f, Sum(mask, 14, 10, 30, 11));             // the bridge is gone
        Assert.Equal(0f, Sum(mask, 30, 8, 33, 12));              // and so is the small piece it led to
    }

    [Fact]
    public void An_empty_mask_stays_empty()
    {
        var mask = new float[W * H];
        new MainParts(W, H).Apply(mask);
        Assert.All(mask, v => Assert.Equal(0f, v));
    }
}

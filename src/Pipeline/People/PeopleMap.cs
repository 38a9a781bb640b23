using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.People;

/// <summary>
/// The people of one frame at the small "people resolution": each tracked person's number and share of the
/// matte (w, summing to at most 1 per pixel), and the selection (the share of the matte that stays). Part of a
/// pooled <see cref="Frames.Frame"/>: allocated once, rewritten per frame.
/// </summary>
public sealed class PeopleMap
{
    public PeopleMap(int width, int height, int capacity)
    {
        Width = width;
        Height = height;
        Ids = new int[capacity];
        Areas = new float[capacity];
        Shares = new FloatPlane[capacity];
        for (int i = 0; i < capacity; i++) Shares[i] = new FloatPlane(width, height);
        Selection = new FloatPlane(width, height);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>People in this frame.</summary>
    public int Count { get; internal set; }

    /// <summary>Each person's number (0: seen too briefly to have one yet).</summary>
    public int[] Ids { get; }

    /// <summary>Each person's area in people-resolution pixels (Σ of their mask).</summary>
    public float[] Areas { get; }

    /// <summary>Each person's share w of the matte: α_person = α · w.</summary>
    public FloatPlane[] Shares { get; }

    /// <summary>Σ of the kept people's shares: the matte is multiplied by it when people are removed.</summary>
    public FloatPlane Selection { get; }

    public void CopyTo(PeopleMap other)
    {
        other.Count = Count;
        Array.Copy(Ids, other.Ids, Count);
        Array.Copy(Areas, other.Areas, Count);
        for (int i = 0; i < Count; i++) Array.Copy(Shares[i].Data, other.Shares[i].Data, Shares[i].Data.Length);
        Array.Copy(Selection.Data, other.Selection.Data, Selection.Data.Length);
    }
}

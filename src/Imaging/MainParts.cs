namespace StreamMatte.Imaging;

/// <summary>
/// Keeps the main connected parts of one person's mask and clears the rest. A person is one body: a small piece of a
/// mask lying apart from its main part is someone else the network merged in (a far, smaller person taken for the
/// near one's query), and would claim that person's pixels when the matte is split among people.
/// Parts are 8-connected regions over <see cref="Floor"/>; a part is kept when its mass (Σ mask) is at least
/// <see cref="KeepRatio"/> of the largest part's, so a person cut in two by someone in front keeps both halves.
/// Everything at or under the floor is cleared too. Buffers are sized once; nothing is allocated per call.
/// </summary>
public sealed class MainParts(int width, int height)
{
    public const float Floor = 0.1f;
    public const float KeepRatio = 0.2f;

    private readonly int[] _label = new int[width * height];
    private readonly int[] _stack = new int[width * height];
    private readonly float[] _mass = new float[width * height / 2 + 2];   // 8-connected parts can't outnumber half the pixels (+1: labels from 1)

    /// <summary>Clears the minor parts of <paramref name="mask"/> (width × height, row-major) in place.</summary>
    public void Apply(Span<float> mask)
    {
        int n = width * height;
        if (mask.Length < n) throw new ArgumentException($"the mask has {mask.Length} values, {n} expected", nameof(mask));
        Array.Clear(_label);
        int parts = 0;
        float largest = 0;
        for (int start = 0; start < n; start++)
        {
            if (_label[start] != 0 || mask[start] <= Floor) continue;
            parts++;
            float mass = Fill(mask, start, parts);
            _mass[parts] = mass;
            largest = MathF.Max(largest, mass);
        }
        float keep = KeepRatio * largest;
        for (int i = 0; i < n; i++)
        {
            int part = _label[i];
            if (part == 0 || _mass[part] < keep) mask[i] = 0;
        }
    }

    /// <summary>Labels the part containing <paramref name="start"/> (depth-first, an explicit stack) and returns its mass.</summary>
    private float Fill(Span<float> mask, int start, int part)
    {
        int top = 0;
        float mass = 0;
        _stack[top++] = start;
        _label[start] = part;
        while (top > 0)
        {
            int i = _stack[--top];
            mass += mask[i];
            int x = i % width, y = i / width;
            for (int dy = -1; dy <= 1; dy++)
            {
                int ny = y + dy;
                if ((uint)ny >= (uint)height) continue;
                for (int dx = -1; dx <= 1; dx++)
                {
                    int nx = x + dx;
                    if ((uint)nx >= (uint)width) continue;
                    int j = ny * width + nx;
                    if (_label[j] != 0 || mask[j] <= Floor) continue;
                    _label[j] = part;
                    _stack[top++] = j;
                }
            }
        }
        return mass;
    }
}

using StreamMatte.Imaging;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>
/// Per-person mattes for post-production (<c>--instance-output DIR</c>): for every frame and every numbered person,
/// DIR/person_ID/FRAME.png (8-bit greyscale, full resolution) holding α_person = α · w_person, the full matte's share
/// of that person. Their sum over people is the full matte wherever a person is near. A person appears in the
/// frames where they were seen.
/// </summary>
public sealed class PeopleMatteSink : IFrameSink
{
    private readonly string _directory;
    private readonly GrayPngWriter _png = new();
    private readonly BilinearRowSampler _sampler = new();
    private readonly HashSet<int> _folders = [];   // people whose folder exists
    private FloatImage _share = new(1, 1, 1);
    private float[] _shareRow = [];
    private byte[] _pixels = [];

    public PeopleMatteSink(string directory)
    {
        _directory = directory;
        OutputFolder.Ensure(directory, "per-person output folder");
    }

    public string Description => $"{_directory}/person_ID/FRAME.png (each person's α)";

    public void Write(Frame frame)
    {
        if (frame.People is not { } people) throw new InvalidOperationException("per-person output needs a run that separates people (an instance model)");
        int w = frame.Alpha.Width, h = frame.Alpha.Height;
        if (_pixels.Length != w * h) (_pixels, _shareRow) = (new byte[w * h], new float[w]);
        for (int p = 0; p < people.Count; p++)
        {
            int id = people.Ids[p];
            if (id == 0) continue;   // not numbered yet
            var share = people.Shares[p];
            if (_share.Width != share.Width || _share.Height != share.Height) _share = new FloatImage(share.Width, share.Height, 1);
            Array.Copy(share.Data, _share.Data, share.Width * share.Height);
            _sampler.Configure(share.Width, share.Height, 1, w, h);
            for (int y = 0; y < h; y++)
            {
                _sampler.SampleRow(_share, y, _shareRow);
                var alpha = frame.Alpha.Row(y);
                var row = _pixels.AsSpan(y * w, w);
                for (int x = 0; x < w; x++) row[x] = PixelKernels.ToByte(alpha[x] * _shareRow[x] * 255);
            }
            string folder = Path.Combine(_directory, $"person_{id:D2}");
            if (_folders.Add(id)) Directory.CreateDirectory(folder);
            _png.Write(Path.Combine(folder, $"{frame.Index:D6}.png"), _pixels, w, h);
        }
    }

    public void Complete() { }

    public void Dispose() { }
}

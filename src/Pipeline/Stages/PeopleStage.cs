using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.People;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// People: runs the instance network on the small picture (every n-th frame), gives the people stable numbers
/// (<see cref="IdentityTracker"/>) and splits the matte among them (<see cref="PeopleSplitter"/>), writing the frame's
/// <see cref="Frame.People"/>. On frames where the network does not run, the last people carry over.
/// The instance network runs here, in one slot, one frame at a time: its cost is one pass whatever the number of people.
/// </summary>
internal sealed class PeopleStage : FrameStage
{
    private readonly IMattingModel _model;
    private readonly PeopleSettings _settings;
    private readonly IdentityTracker _tracker;
    private readonly PeopleSplitter _splitter;
    private readonly PeopleMap _last;
    private long _framesSinceRun = long.MaxValue;

    public PeopleStage(PipelineContext context, IMattingModel model, PeopleShape shape) : base("people", context)
    {
        _model = model;
        _settings = context.Settings.People ?? new PeopleSettings();
        _tracker = new IdentityTracker(shape.Width, shape.Height, shape.Capacity, _settings);
        _splitter = new PeopleSplitter(_settings);
        _last = new PeopleMap(shape.Width, shape.Height, shape.Capacity);
    }

    public IdentityTracker Tracker => _tracker;

    protected override ValueTask ProcessAsync(Frame frame)
    {
        var people = frame.People ?? throw new InvalidOperationException("frames of a run that separates people carry a people map");
        if (frame.SceneCut) _tracker.Reset();
        if (frame.SceneCut || _framesSinceRun >= _settings.Every - 1)
        {
            var output = _model.Process(frame.Small);
            _tracker.Update(output.Instances);
            _tracker.Publish(people);
            _splitter.Split(people);
            people.CopyTo(_last);
            _framesSinceRun = 0;
        }
        else
        {
            _last.CopyTo(people);
            _framesSinceRun++;
        }
        return default;
    }
}

// Several people as a library user sees them: a file in, our student for the matte, our instance network to tell
// people apart, and a sink that reads each frame's people (their number and their share of the matte).
//   dotnet run -c Release --project samples/PerPerson -- ../shared/data/videos/street_crowd_720p.avi
using StreamMatte.Models;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.People;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: PerPerson VIDEO");
    return 2;
}

using var source = new FileSource(args[0], maxFrames: 90);
using var matting = ModelCatalog.Open("stream_matte_student_r18x05");       // the matte (hair detail)
using var people = ModelCatalog.Open("stream_matte_instances_r18x05");      // who is who, in one pass
using var sink = new PeopleReport();
var settings = new PipelineSettings
{
    Composite = new CompositeSettings(new Background.Color(0, 177, 64)),
    People = new PeopleSettings { Keep = KeepPeople.Largest },              // everyone but the biggest person goes green
};
var pipeline = new MattingPipeline(source, matting, sink, settings, people);
var summary = pipeline.Run();
Console.WriteLine($"{summary.FramesOut} frames; {pipeline.PeopleTracker!.Identities} people numbered");
return 0;

/// <summary>Each frame's people: number, and how much of the picture their share of the matte covers.</summary>
sealed class PeopleReport : IFrameSink
{
    public string Description => "people report";

    public void Write(Frame frame)
    {
        if (frame.Index % 15 != 0 || frame.People is not { } map) return;
        var people = Enumerable.Range(0, map.Count).Where(p => map.Ids[p] > 0)
            .Select(p => $"#{map.Ids[p]} {map.Shares[p].Data.Average():P1}");
        Console.WriteLine($"frame {frame.Index}: {string.Join(", ", people)}");
    }

    public void Complete() { }
    public void Dispose() { }
}

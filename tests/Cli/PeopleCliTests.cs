using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Cli;

/// <summary>The per-person options of the command line, run as users run them.</summary>
public class PeopleCliTests
{
    [Fact]
    public void Instances_on_a_clip_name_the_people_model_write_per_person_mattes_and_report_identities()
    {
        string dir = Tool.TempDir();
        string people = Path.Combine(dir, "people");
        var (code, _, err) = Tool.Run("-i", SharedAssets.RequireData("videos/pedestrians_576p.avi"), "--frames", "12", "-o", Path.Combine(dir, "out.mp4"),
            "--instance-output", people);
        Assert.True(code == 0, err);
        Assert.Contains("people     stream_matte_instances_r18x05.onnx", err);
        Assert.Matches(@"people: \d+ numbered over 12 frames", err);
        Assert.True(File.Exists(Path.Combine(dir, "out.mp4")));
        foreach (var person in Directory.GetDirectories(people))
            Assert.All(Directory.GetFiles(person), f => Assert.Matches(@"[0-9]{6}\.png$", f));
    }

    [Theory]
    [InlineData("--keep", "biggest", "--keep takes person numbers")]
    [InlineData("--remove", "0", "--remove takes person numbers")]
    [InlineData("--instance-every", "0", "--instance-every must be between 1 and 30")]
    public void Bad_people_options_are_clear_errors(string option, string value, string message)
    {
        var (code, _, err) = Tool.Run("-i", "testsrc", "--frames", "2", "-o", "null", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void A_per_person_folder_that_cannot_be_made_is_a_clear_error()
    {
        var (code, _, err) = Tool.Run("-i", "testsrc", "--frames", "2", "-o", "null", "--instance-output", "/proc/stream-matte-people");
        Assert.Equal(1, code);
        Assert.Contains("cannot create the per-person output folder '/proc/stream-matte-people'", err);
    }

    [Fact]
    public void A_people_model_that_cannot_separate_people_is_refused()
    {
        var (code, _, err) = Tool.Run("-i", "testsrc", "--frames", "2", "-o", "null", "--instances", "--people-model", "stream_matte_student_r18x05");
        Assert.NotEqual(0, code);
        Assert.Contains("does not separate people", err);
    }
}

namespace StreamMatte.Tests.Training;

/// <summary>The training code's own unit tests (training/tests: the ImageNet conversion, the x0.5 encoder's
/// derivation, the MLB label, sampling and composites, export shapes), run through this suite so that the README's
/// one test command covers them.</summary>
public class TrainingCodeTests
{
    [Fact]
    public void Python_unit_tests_of_the_training_code_pass()
    {
        Python.RequireTorch();
        var (code, output) = Python.Run(TimeSpan.FromMinutes(10), "-m", "unittest", "discover", "-s", "training/tests", "-t", "training/tests", "-v");
        Assert.True(code == 0, "training/tests failed:\n" + output);
        Assert.Contains("OK", output);
        Assert.DoesNotContain("Ran 0 tests", output);
    }
}

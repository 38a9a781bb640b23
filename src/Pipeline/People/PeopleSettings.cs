namespace StreamMatte.Pipeline.People;

/// <summary>Which people stay in the picture.</summary>
public enum KeepPeople { All, Largest, Chosen }

/// <summary>
/// Per-person handling, as data (<c>--instances</c>, <c>--keep</c>, <c>--remove</c>, <c>--instance-output</c>).
/// People are numbered by the identity tracker from 1 in order of appearance; the run's log and summary list them.
/// </summary>
public sealed record PeopleSettings
{
    public KeepPeople Keep { get; init; } = KeepPeople.All;

    /// <summary>The people kept when <see cref="Keep"/> is <see cref="KeepPeople.Chosen"/>.</summary>
    public IReadOnlySet<int> KeepIds { get; init; } = new HashSet<int>();

    /// <summary>People replaced by the background (whatever <see cref="Keep"/> says).</summary>
    public IReadOnlySet<int> RemoveIds { get; init; } = new HashSet<int>();

    /// <summary>Folder for one α PNG per person per frame (person_ID/FRAME.png), for post-production; null = none.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Run the instance network on every n-th frame; between runs the people's last maps carry over.</summary>
    public int Every { get; init; } = 1;

    /// <summary>Frames a person must be seen in a row before getting a number (a flicker of a detection gets none).</summary>
    public int ConfirmFrames { get; init; } = 2;

    /// <summary>Frames a person may go unseen before their number is retired (occlusion, a missed detection).</summary>
    public int MemoryFrames { get; init; } = 15;

    /// <summary>Whether the selection changes the matte (otherwise the people are only tracked and written out).</summary>
    public bool ChangesMatte => Keep != KeepPeople.All || RemoveIds.Count > 0;

    public override string ToString() =>
        $"keep {(Keep == KeepPeople.Chosen ? string.Join(",", KeepIds.Order()) : Keep.ToString().ToLowerInvariant())}" +
        (RemoveIds.Count > 0 ? $", remove {string.Join(",", RemoveIds.Order())}" : "") +
        $", instance network every {Every} frame{(Every == 1 ? "" : "s")}" +
        (OutputDirectory != null ? $", per-person α to {OutputDirectory}" : "");
}

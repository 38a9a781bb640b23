using StreamMatte.Models;

namespace StreamMatte.Bench;

/// <summary>What the measuring tools of bench/ (live-quality, warp-quality) share: their options and the model they measure.</summary>
internal static class ToolArguments
{
    /// <summary>The value after <paramref name="name"/> (e.g. "--frames 240"), or null.</summary>
    public static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>--size WxH, or null (the clip's own size).</summary>
    public static (int Width, int Height)? Size(string[] args) =>
        Value(args, "--size") is { } s ? (int.Parse(s.Split('x')[0]), int.Parse(s.Split('x')[1])) : null;

    /// <summary>The model live mode runs with no model options: the default student, in its faster form where that keeps quality.</summary>
    public static string LiveDefaultModelPath()
    {
        var entries = ModelCatalog.Discover(null);
        var full = ModelCatalog.DefaultAmong(entries) ?? throw new FileNotFoundException("no model in models/");
        return FasterForms.ForLive(full, entries)?.Form.Path ?? full.Path;
    }
}

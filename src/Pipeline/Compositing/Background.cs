using System.Globalization;

namespace StreamMatte.Pipeline.Compositing;

/// <summary>What replaces the background: a blur of the frame itself, a colour, a picture, a looping video, or nothing (transparent).</summary>
public abstract record Background
{
    public const int DefaultBlurRadius = 21;

    /// <summary>The frame's own background, blurred with a radius in full-resolution pixels.</summary>
    public sealed record Blur(int Radius) : Background
    {
        public override string ToString() => $"blur (radius {Radius} px)";
    }

    public sealed record Color(byte R, byte G, byte B) : Background
    {
        public override string ToString() => $"colour #{R:x2}{G:x2}{B:x2}";
    }

    /// <summary>A still picture, scaled to cover the frame (aspect kept, overflow cropped).</summary>
    public sealed record Image(string Path) : Background
    {
        public override string ToString() => $"image {Path} (scaled to cover)";
    }

    /// <summary>A video, scaled to cover the frame, looping.</summary>
    public sealed record Video(string Path) : Background
    {
        public override string ToString() => $"video {Path} (scaled to cover, looping)";
    }

    /// <summary>No background: the output keeps the matte as alpha (needs an output format with alpha).</summary>
    public sealed record Transparent : Background
    {
        public override string ToString() => "transparent (alpha kept)";
    }

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"];

    /// <summary>"blur", "blur:25", "green", "#00ff00", "color:#112233", "transparent", or a picture or video file.</summary>
    public static Background Parse(string text, int blurRadius = DefaultBlurRadius)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "blur") return new Blur(blurRadius);
        if (t.StartsWith("blur:") && int.TryParse(t[5..], out int r) && r > 0) return new Blur(r);
        if (t is "transparent" or "none" or "alpha") return new Transparent();
        if (File.Exists(text))
            return ImageExtensions.Contains(System.IO.Path.GetExtension(text).ToLowerInvariant()) ? new Image(text) : new Video(text);
        if (t.StartsWith("color:")) t = t[6..];
        return t switch
        {
            "green" => new Color(0, 177, 64),
            "black" => new Color(0, 0, 0),
            "white" => new Color(255, 255, 255),
            "blue" => new Color(0, 71, 187),
            _ when t.StartsWith('#') && t.Length == 7 && int.TryParse(t[1..], NumberStyles.HexNumber, null, out int rgb) =>
                new Color((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb),
            _ when t.Contains('/') || t.Contains('.') => throw new FileNotFoundException($"background file '{text}' does not exist"),
            _ => throw new ArgumentException($"unknown background '{text}': use blur, blur:RADIUS, green, black, white, blue, #RRGGBB, transparent, or a picture or video file"),
        };
    }
}

using System.Globalization;

namespace StreamMatte.Pipeline.Compositing;

/// <summary>What replaces the background: a blur of the frame itself, or a flat colour.</summary>
public abstract record Background
{
    public sealed record Blur(int Radius) : Background
    {
        public override string ToString() => $"blur (radius {Radius} px)";
    }

    public sealed record Color(byte R, byte G, byte B) : Background
    {
        public override string ToString() => $"colour #{R:x2}{G:x2}{B:x2}";
    }

    /// <summary>"blur", "blur:25", "green", "#00ff00", "color:#112233".</summary>
    public static Background Parse(string text, int defaultBlurRadius = 21)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "blur") return new Blur(defaultBlurRadius);
        if (t.StartsWith("blur:") && int.TryParse(t[5..], out int r) && r > 0) return new Blur(r);
        if (t.StartsWith("color:")) t = t[6..];
        return t switch
        {
            "green" => new Color(0, 177, 64),
            "black" => new Color(0, 0, 0),
            "white" => new Color(255, 255, 255),
            "blue" => new Color(0, 71, 187),
            _ when t.StartsWith('#') && t.Length == 7 && int.TryParse(t[1..], NumberStyles.HexNumber, null, out int rgb) =>
                new Color((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb),
            _ => throw new ArgumentException($"unknown background '{text}': use blur, blur:RADIUS, green, black, white, blue or #RRGGBB"),
        };
    }
}

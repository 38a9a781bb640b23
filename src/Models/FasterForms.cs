using System.Globalization;
using System.Text.Json;

namespace StreamMatte.Models;

/// <summary>
/// Whether live mode may use a faster form of the default model (our student's int8 file beside its fp32 one) when the
/// user names no model. Decided on the <c>stream-matte eval</c> figures committed beside the model — the file
/// <c>stream-matte eval -m NAME -m FORM … --json models/NAME.eval.json</c> writes — never assumed: a form is used when
/// it is faster there and keeps quality, person IoU at most <see cref="MaxIouLoss"/> lower on both photo sets and
/// flicker at most <see cref="MaxFlickerRise"/> higher. Offline keeps the full model: there speed does not change
/// what comes out, only how long it takes.
/// </summary>
public static class FasterForms
{
    public const double MaxIouLoss = 0.005, MaxFlickerRise = 0.05;

    /// <summary>One model's row of an eval run.</summary>
    public sealed record Figures(string Model, double IouPersonMasks, double IouCocoPerson, double Flicker, double InferP50Ms);

    /// <summary>The form live mode uses, and why (for the start-up log).</summary>
    public sealed record Choice(ModelEntry Form, string Reason);

    /// <summary>models/NAME.eval.json beside models/NAME.onnx.</summary>
    public static string FiguresPath(string modelPath) => Path.ChangeExtension(modelPath, ".eval.json");

    /// <summary>The rows of a file <c>stream-matte eval --json</c> wrote.</summary>
    public static IReadOnlyList<Figures> ReadFigures(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{path} is not the output of `stream-matte eval --json` (no scores array)");
        return [.. scores.EnumerateArray().Select(s => new Figures(
            s.GetProperty("Model").GetString() ?? "", Number(s, "IouPersonMasks"), Number(s, "IouCocoPerson"), Number(s, "Flicker"), Number(s, "InferP50Ms")))];
    }

    private static double Number(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : double.TryParse(v.GetString(), CultureInfo.InvariantCulture, out double d) ? d : double.NaN
        : double.NaN;

    /// <summary>Null when <paramref name="form"/> is faster than <paramref name="full"/> and keeps its quality; else why not.</summary>
    public static string? Refusal(Figures full, Figures form)
    {
        if (!(form.InferP50Ms < full.InferP50Ms)) return $"not faster ({form.InferP50Ms:0.0} vs {full.InferP50Ms:0.0} ms)";
        if (!(full.IouPersonMasks - form.IouPersonMasks <= MaxIouLoss)) return $"person_masks IoU {form.IouPersonMasks:0.0000} vs {full.IouPersonMasks:0.0000}";
        if (!(full.IouCocoPerson - form.IouCocoPerson <= MaxIouLoss)) return $"coco_person IoU {form.IouCocoPerson:0.0000} vs {full.IouCocoPerson:0.0000}";
        if (!(form.Flicker <= full.Flicker * (1 + MaxFlickerRise))) return $"flicker {form.Flicker:0.000000} vs {full.Flicker:0.000000}";
        return null;
    }

    /// <summary>The fastest form of <paramref name="model"/> among <paramref name="entries"/> that keeps quality on its eval figures, or null.</summary>
    public static Choice? ForLive(ModelEntry model, IReadOnlyList<ModelEntry> entries)
    {
        string file = FiguresPath(model.Path);
        if (!File.Exists(file)) return null;
        var figures = ReadFigures(file);
        var full = figures.FirstOrDefault(f => f.Model == model.Name);
        if (full is null) return null;
        var best = entries
            .Where(e => e.IsUsable && e.Family == model.Family && e.Name != model.Name)
            .Select(e => (Entry: e, Figures: figures.FirstOrDefault(f => f.Model == e.Name)))
            .Where(c => c.Figures != null && Refusal(full, c.Figures) is null)
            .OrderBy(c => c.Figures!.InferP50Ms)
            .FirstOrDefault();
        if (best.Entry is null) return null;
        var form = best.Figures!;
        return new Choice(best.Entry,
            $"live default: the fastest form that keeps quality on the `stream-matte eval` figures in {Path.GetFileName(file)} " +
            $"(person IoU {form.IouPersonMasks:0.0000} vs {full.IouPersonMasks:0.0000} for {full.Model}, coco {form.IouCocoPerson:0.0000} vs {full.IouCocoPerson:0.0000}, " +
            $"flicker {form.Flicker:0.000000} vs {full.Flicker:0.000000}, inference p50 {form.InferP50Ms:0.0} vs {full.InferP50Ms:0.0} ms)");
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace StreamMatte.Cli;

/// <summary>
/// --config FILE: a JSON object whose keys are option names without dashes. Its values become command-line
/// arguments placed before the user's own, for the options the user did not give, so the same parser
/// checks them and the command line always wins.
/// </summary>
internal static class ConfigFile
{
    public static string[] Merge(RootCommand root, string[] args)
    {
        var first = root.Parse(args);
        // Subcommands that take the run's options (job plan) read --config themselves: its values belong after their name.
        if (first.CommandResult.Command != root) return args;
        if (first.GetValue(Options.Config) is not { } path) return args;
        if (!File.Exists(path)) throw new FileNotFoundException($"config file '{path}' does not exist");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new ArgumentException($"config file '{path}' is not valid JSON: {e.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ArgumentException($"config file '{path}' must hold a JSON object of option names and values");
            var extra = new List<string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var option = Options.Main.FirstOrDefault(o => o.Name == "--" + property.Name);
                if (option is null || option == Options.Config)
                    throw new ArgumentException($"config file '{path}': unknown option '{property.Name}'; known: {string.Join(", ", Options.Main.Where(o => o != Options.Config).Select(o => o.Name[2..]))}");
                var given = first.GetResult(option);
                if (given is { Implicit: false }) continue; // the command line wins
                extra.Add(option.Name);
                extra.Add(property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number => property.Value.GetDouble().ToString(CultureInfo.InvariantCulture),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw new ArgumentException($"config file '{path}': '{property.Name}' must be a string, number or true/false"),
                });
            }
            return [.. extra, .. args];
        }
    }
}

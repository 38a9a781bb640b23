using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StreamMatte.Bench;

// dotnet run -c Release --project bench -- --filter '*Model*'      (see bench/results/README.md for every suite)
// BenchmarkDotNet's own output goes to BenchmarkDotNet.Artifacts/; each suite's table is then copied into
// bench/results/<Suite>.md and .csv with the machine, provider and versions on top (ResultsWriter).
var config = ManualConfig.Create(DefaultConfig.Instance)
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(64))   // model names must not be cut short
    .AddExporter(MarkdownExporter.GitHub)
    .AddExporter(CsvExporter.Default);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ModelInferenceBenchmarks).Assembly).Run(args, config);
ResultsWriter.Publish(summaries, string.Join(' ', args));

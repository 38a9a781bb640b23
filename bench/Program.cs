using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StreamMatte.Bench;

// dotnet run -c Release --project bench -- --filter '*Model*'      (see bench/results/README.md for every suite)
// dotnet run -c Release --project bench -- live-quality CLIP       live matte against the same model offline (bench/live-quality.sh)
// dotnet run -c Release --project bench -- warp-quality CLIP       stale mattes warped and not, against each frame's own (issue 20)
// dotnet run -c Release --project bench -- encode-rounds [ROUNDS]  the two encode pipes of FramePipeBenchmarks in alternating rounds
// BenchmarkDotNet's own output goes to BenchmarkDotNet.Artifacts/; each suite's table is then copied into
// bench/results/<Suite>.md and .csv with the machine, provider and versions on top (ResultsWriter).
if (args.Length > 1 && args[0] == "live-quality") return LiveMatteQuality.Run(args[1..]);   // a measuring tool, not a BenchmarkDotNet suite
if (args.Length > 1 && args[0] == "warp-quality") return MotionWarpQuality.Run(args[1..]);    // the motion warp apart from load (issue 20)
if (args.Length > 0 && args[0] == "encode-rounds") return EncodePipeRounds.Run(args[1..]);    // drift-free pairs of the encode rows
ResultsWriter.NoteLoad();
var config = ManualConfig.Create(DefaultConfig.Instance)
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(64))   // model names must not be cut short
    .AddExporter(MarkdownExporter.GitHub)
    .AddExporter(CsvExporter.Default);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ModelInferenceBenchmarks).Assembly).Run(args, config);
ResultsWriter.Publish(summaries, string.Join(' ', args));
return 0;

using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(StreamMatte.Bench.ModelInferenceBenchmarks).Assembly).Run(args);

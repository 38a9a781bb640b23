using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/StreamMatte.Bench.csproj -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(StreamMatte.Bench.ModelInferenceBenchmarks).Assembly).Run(args);

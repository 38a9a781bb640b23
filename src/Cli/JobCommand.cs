using System.CommandLine;
using StreamMatte.Jobs;
using StreamMatte.Models;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Cli;

/// <summary>
/// <c>stream-matte job plan|run|status|merge|slurm|k8s</c>: parses and hands over to the job tooling (src/Jobs). The
/// plan takes the same options as a normal run, checks them as a run would, and stores them in the manifest.
/// </summary>
internal static class JobCommand
{
    private static readonly Argument<string> Dir = new("DIR") { Description = "The job folder (made by `job plan`; on storage every worker mounts)" };
    private static readonly Option<string> PlanDir = new("--dir") { Description = "The job folder to create (on storage every worker mounts)", Required = true };
    private static readonly Option<int> Chunks = new("--chunks", "-n") { Description = "How many chunks to split the clip into (one per worker, or more)", Required = true };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "Frames each chunk decodes and processes before its own and does not write, so temporal smoothing and recurrent models match a single run", DefaultValueFactory = _ => JobPlanner.DefaultWarmup };
    private static readonly Option<int?> Chunk = new("--chunk") { Description = "Which chunk (0-based); default: $SLURM_ARRAY_TASK_ID (a Slurm job array) or $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)" };
    private static readonly Option<bool> Submit = new("--submit") { Description = "Submit with sbatch: the array of chunks, then the merge depending on it" };
    private static readonly Option<bool> Wait = new("--wait") { Description = "With --submit: wait until the merge job has finished (sbatch --wait); the exit code is the merge's" };
    private static readonly Option<string?> Partition = new("--partition", "-p") { Description = "Slurm partition (default: the cluster's)" };
    private static readonly Option<int> GpusPerTask = new("--gpus-per-task") { Description = "GPUs each chunk gets (0: none requested)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> CpusPerTask = new("--cpus-per-task") { Description = "CPUs each chunk gets (0: the cluster's default)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Time = new("--time", "-t") { Description = "Time limit per chunk, HH:MM:SS (default: the partition's)" };
    private static readonly Option<string?> Command = new("--command") { Description = "How workers start stream-matte (default for Slurm: the way this one was started; for Kubernetes: stream-matte)" };
    private static readonly Option<string> Image = new("--image") { Description = "Container image with stream-matte and ffmpeg", DefaultValueFactory = _ => "stream-matte:latest" };
    private static readonly Option<string> Claim = new("--claim") { Description = "PersistentVolumeClaim (ReadWriteMany) holding the job folder, input and outputs", DefaultValueFactory = _ => "stream-matte-jobs" };
    private static readonly Option<string?> Mount = new("--mount") { Description = "Where the claim is mounted in the pods (default: the folder that holds the job folder, input and outputs, so their paths stay valid)" };
    private static readonly Option<int?> Parallelism = new("--parallelism") { Description = "Pods at once (default: every chunk at once)" };

    public static Command Build()
    {
        var job = new Command("job",
            "Post-production beyond one machine: split a long file→file run into chunks of frames that separate processes, machines or a\n" +
            "batch engine (Slurm, Kubernetes) render in parallel, then join them. Each chunk starts a warm-up before its first frame so\n" +
            "smoothing and recurrent models match a single run; a chunk writes all or nothing, is skipped when done, and is simply run\n" +
            "again after a crash. The merge joins without re-encoding, adds the input's audio and checks the frame count.\n\n" +
            "Examples:\n" +
            "  stream-matte job plan -i in.mp4 -o out.mp4 --chunks 3 --dir /shared/job1 [run options]   write the job folder\n" +
            "  stream-matte job run /shared/job1 --chunk 0        render chunk 0 (on any machine that mounts /shared)\n" +
            "  stream-matte job status /shared/job1               which chunks are done, running, missing\n" +
            "  stream-matte job merge /shared/job1                join the parts into out.mp4\n" +
            "  stream-matte job slurm /shared/job1 --submit --partition gpu --gpus-per-task 1 --time 01:00:00\n" +
            "  stream-matte job k8s /shared/job1 --image registry/stream-matte:1 --claim footage");
        job.Add(PlanCommand());
        job.Add(RunChunkCommand());
        job.Add(StatusCommand());
        job.Add(MergeCommand());
        job.Add(SlurmCommand());
        job.Add(KubernetesCommand());
        return job;
    }

    private static Command PlanCommand()
    {
        var plan = new Command("plan", "Write a job folder: the manifest (input, outputs, these run options, the chunks' frame ranges) every worker reads. Takes every option of a normal file → file run") { PlanDir, Chunks, Warmup };
        foreach (var option in Options.Main) plan.Add(option);
        plan.SetAction(parse => CommandLine.Guarded(() => Plan(parse)));
        return plan;
    }

    private static int Plan(ParseResult parse)
    {
        var folder = new JobFolder(parse.GetValue(PlanDir)!);
        if (File.Exists(folder.ManifestPath))
            throw new InvalidOperationException($"{folder.Directory} already holds a job ({Path.GetFileName(folder.ManifestPath)}): use another --dir, or delete it to plan again");
        var run = RunArguments(parse);
        var runParse = CommandLine.Build().Parse(run);
        if (runParse.Errors.Count > 0) throw new ArgumentException(runParse.Errors[0].Message);

        string input = runParse.GetValue(Options.Input) ?? throw new ArgumentException("--input is required: the video file to process");
        string output = runParse.GetValue(Options.Output) ?? throw new ArgumentException("--output is required: the file (or NAME_%05d.png) the merge writes");
        if (input == "testsrc" || CameraSource.IsCamera(input)) throw new ArgumentException($"a job needs a file as --input, not '{input}' (a live source cannot be split)");
        if (output == "null" || VirtualCameraSink.IsVirtualCamera(output, out _)) throw new ArgumentException($"a job writes a file: --output '{output}' is not one");
        if (runParse.GetValue(Options.Realtime)) throw new ArgumentException("--realtime plays a file live; a job is offline (every frame, in order)");
        if (runParse.GetValue(Options.Fps) != null)
            throw new ArgumentException("--fps resamples the whole clip, so its frames cannot be split exactly: resample the input first (ffmpeg -i in -vf fps=N resampled.mp4) and plan that");
        if (runParse.GetValue(Options.Keep) is { } keep && keep.Trim().ToLowerInvariant() is not ("all" or "largest") || runParse.GetValue(Options.Remove) != null)
            throw new ArgumentException("--keep/--remove by person number cannot be used in a job: each chunk numbers people from its own start (the merge renumbers only --instance-output); use --keep largest or a single run");
        var settings = RunCommand.Settings(runParse);
        bool transparent = settings.Composite.Background is Background.Transparent;
        string? codec = runParse.GetValue(Options.Codec), matte = runParse.GetValue(Options.MatteOutput);
        OutputFormat.For(output, codec, transparent ? OutputContent.Transparent : OutputContent.Composite); // a bad name fails here, not on every worker
        if (matte != null) OutputFormat.For(matte, null, OutputContent.Matte);

        var manifest = JobPlanner.Plan(new JobRequest
        {
            Input = input, Output = output, MatteOutput = matte, InstanceOutput = settings.People?.OutputDirectory, Codec = codec,
            Transparent = transparent, Arguments = run, Chunks = parse.GetValue(Chunks), WarmupFrames = parse.GetValue(Warmup),
            MaxFrames = runParse.GetValue(Options.Frames),
        });
        OutputFolder.Ensure(folder.Directory, "job folder");
        Directory.CreateDirectory(folder.PartsDirectory);
        manifest.Save(folder.ManifestPath);
        Console.Error.WriteLine($"planned {folder.Directory}: {manifest.TotalFrames} frames of {input} in {manifest.Chunks.Count} chunks " +
                                $"(warm-up {manifest.WarmupFrames} frames, chunks start by {manifest.Seeking}) → {output}");
        foreach (var c in manifest.Chunks) Console.Error.WriteLine($"  chunk {c.Index}: {c.Frames} ({c.Count} frames{(c.Warmup > 0 ? $", warm-up from {c.First - c.Warmup}" : "")})");
        Console.Error.WriteLine($"next: stream-matte job run {folder.Directory} --chunk I   (or: job slurm / job k8s {folder.Directory})");
        return 0;
    }

    /// <summary>
    /// The run options as a normal run takes them: those given on the command line, then --config's, with paths made
    /// absolute (workers start elsewhere) and the model pinned, so that every chunk runs the very same configuration.
    /// </summary>
    private static string[] RunArguments(ParseResult parse)
    {
        var given = new List<string>();
        foreach (var option in Options.Main)
        {
            if (parse.GetResult(option) is not { Implicit: false } result) continue;
            given.Add(option.Name);
            given.AddRange(result.Tokens.Select(t => t.Value));
        }
        var merged = ConfigFile.Merge(CommandLine.Build(), [.. given]).ToList();
        int config = merged.IndexOf(Options.Config.Name);
        if (config >= 0) merged.RemoveRange(config, 2);
        for (int i = 0; i + 1 < merged.Count; i++)
        {
            string name = merged[i], value = merged[i + 1];
            if (name is "--input" or "-i" or "--output" or "-o" or "--matte-output" or "--instance-output") merged[i + 1] = Path.GetFullPath(value);
            else if (name is "--model" or "-m" or "--people-model" or "--background" or "-b" && File.Exists(value)) merged[i + 1] = Path.GetFullPath(value);
            else if (name is "--models-dir" && Directory.Exists(value)) merged[i + 1] = Path.GetFullPath(value);
        }
        string? modelsDir = Environment.GetEnvironmentVariable(ModelCatalog.ModelsDirEnvironmentVariable);
        if (!merged.Contains("--models-dir") && !string.IsNullOrEmpty(modelsDir)) merged.AddRange(["--models-dir", Path.GetFullPath(modelsDir)]);
        if (!merged.Contains("--model") && !merged.Contains("-m"))
        {
            int at = merged.IndexOf("--models-dir");
            string? dir = at >= 0 ? merged[at + 1] : null;
            string model = ModelCatalog.DefaultModel(dir)?.Path ?? throw new FileNotFoundException("no model found: pass --model FILE, or --models-dir DIR");
            merged.AddRange(["--model", Path.GetFullPath(model)]);
        }
        return [.. merged];
    }

    private static Command RunChunkCommand()
    {
        var run = new Command("run", "Render one chunk of a job: decode from its warm-up, write its parts into a folder of its own, rename it into place when complete. A chunk already done is skipped") { Dir, Chunk };
        run.SetAction(parse => CommandLine.Guarded(() =>
        {
            var folder = new JobFolder(parse.GetValue(Dir)!);
            int index = parse.GetValue(Chunk) ?? IndexFromEnvironment();
            var (_, code) = new ChunkRunner(folder, Console.Error).Run(index, work =>
            {
                var runParse = CommandLine.Build().Parse([.. work.Manifest.Arguments]);
                if (runParse.Errors.Count > 0) throw new FormatException($"the manifest's run options do not parse here: {runParse.Errors[0].Message}");
                return RunCommand.Run(runParse, work);
            });
            return code;
        }));
        return run;
    }

    private static int IndexFromEnvironment()
    {
        foreach (var name in new[] { "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX" })
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                return int.TryParse(value, out int index) ? index : throw new ArgumentException($"${name} is '{value}', not a chunk number");
        throw new ArgumentException("which chunk? pass --chunk I, or run under a Slurm job array ($SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job ($JOB_COMPLETION_INDEX)");
    }

    private static Command StatusCommand()
    {
        var status = new Command("status", "Which chunks of a job are done, running or missing, and what to do next") { Dir };
        status.SetAction(parse => CommandLine.Guarded(() =>
        {
            var folder = new JobFolder(parse.GetValue(Dir)!);
            JobStatus.Print(folder, folder.LoadManifest(), Console.Out);
            return 0;
        }));
        return status;
    }

    private static Command MergeCommand()
    {
        var merge = new Command("merge", "Join the chunks' parts into the job's outputs without re-encoding (videos by stream copy with the input's audio; PNG sequences and per-person mattes moved into place), checking the frame count. Writes nothing while a chunk is missing") { Dir };
        merge.SetAction(parse => CommandLine.Guarded(() =>
        {
            var folder = new JobFolder(parse.GetValue(Dir)!);
            var record = new JobMerger(folder, Console.Error).Merge();
            Console.Error.WriteLine($"merged {record.Frames} frames (the input's count) into {string.Join(", ", record.Written)}");
            return 0;
        }));
        return merge;
    }

    private static Command SlurmCommand()
    {
        var slurm = new Command("slurm", "Write sbatch scripts for a job (a job array over the chunks not done yet, and the merge as a job depending on it) and, with --submit, submit them") { Dir, Submit, Wait, Partition, GpusPerTask, CpusPerTask, Time, Command };
        slurm.SetAction(parse => CommandLine.Guarded(() =>
        {
            var scripts = new SlurmScripts(new JobFolder(parse.GetValue(Dir)!), new SlurmOptions
            {
                Partition = parse.GetValue(Partition), GpusPerTask = parse.GetValue(GpusPerTask), CpusPerTask = parse.GetValue(CpusPerTask),
                TimeLimit = parse.GetValue(Time), Command = parse.GetValue(Command),
            });
            var todo = scripts.Write();
            Console.Error.WriteLine($"wrote {scripts.ChunksScript} (array over chunks {(todo.Count == 0 ? "none: all done" : SlurmScripts.Ranges(todo))}) and {scripts.MergeScript}");
            if (!parse.GetValue(Submit))
            {
                Console.Error.WriteLine($"submit: stream-matte job slurm {parse.GetValue(Dir)} --submit   (or: jid=$(sbatch --parsable {scripts.ChunksScript}); sbatch --dependency=afterok:$jid --kill-on-invalid-dep=yes {scripts.MergeScript})");
                return 0;
            }
            var (_, _, merged) = scripts.Submit(todo, parse.GetValue(Wait), Console.Error);
            if (merged is false) Console.Error.WriteLine($"the merge job did not succeed: see `stream-matte job status {parse.GetValue(Dir)}` and the logs");
            return merged is false ? 1 : 0;
        }));
        return slurm;
    }

    private static Command KubernetesCommand()
    {
        var k8s = new Command("k8s", "Write Kubernetes manifests for a job: an Indexed Job over the chunks (index from JOB_COMPLETION_INDEX) and a merge Job, both mounting one shared volume") { Dir, Image, Command, Claim, Mount, Parallelism, GpusPerTask };
        k8s.SetAction(parse => CommandLine.Guarded(() =>
        {
            var manifests = new KubernetesManifests(new JobFolder(parse.GetValue(Dir)!), new KubernetesOptions
            {
                Image = parse.GetValue(Image)!, Command = parse.GetValue(Command) ?? "stream-matte", Claim = parse.GetValue(Claim)!,
                MountPath = parse.GetValue(Mount), Parallelism = parse.GetValue(Parallelism), GpusPerTask = parse.GetValue(GpusPerTask),
            });
            var (chunks, merge) = manifests.Write();
            Console.Error.WriteLine($"wrote {manifests.ChunksFile} (Indexed Job {chunks}) and {manifests.MergeFile} (Job {merge})");
            Console.Error.WriteLine($"run: kubectl apply -f {manifests.ChunksFile} && kubectl wait --for=condition=complete --timeout=24h job/{chunks} && kubectl apply -f {manifests.MergeFile}");
            return 0;
        }));
        return k8s;
    }
}

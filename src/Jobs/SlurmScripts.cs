using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamMatte.Jobs;

/// <summary>Resources a Slurm job asks for (each null or 0 leaves the cluster's default).</summary>
public sealed record SlurmOptions
{
    public string? Partition { get; init; }
    public int GpusPerTask { get; init; }
    public int CpusPerTask { get; init; }

    /// <summary>Per chunk, HH:MM:SS (or anything sbatch --time accepts, e.g. D-HH:MM:SS).</summary>
    public string? TimeLimit { get; init; }

    /// <summary>How the nodes start stream-matte (see <see cref="WorkerCommand"/>).</summary>
    public string? Command { get; init; }
}

/// <summary>
/// Writes DIR/slurm/chunks.sbatch (a job array: task i runs <c>job run DIR</c>, which takes chunk i from
/// SLURM_ARRAY_TASK_ID) and DIR/slurm/merge.sbatch (<c>job merge DIR</c>), and submits them: the merge depends on
/// the whole array (afterok) and is cancelled if a chunk fails. Only the chunks not done yet are in the array, so
/// submitting again after a failure runs just what is missing.
/// </summary>
public sealed partial class SlurmScripts(JobFolder folder, SlurmOptions options)
{
    [GeneratedRegex(@"^(\d+-)?\d{1,3}(:\d{2}){0,2}$")]
    private static partial Regex TimePattern();

    public string Directory => Path.Combine(folder.Directory, "slurm");
    public string ChunksScript => Path.Combine(Directory, "chunks.sbatch");
    public string MergeScript => Path.Combine(Directory, "merge.sbatch");

    /// <summary>Writes both scripts; returns the chunks in the array (those not done).</summary>
    public IReadOnlyList<int> Write()
    {
        if (options.TimeLimit is { } t && !TimePattern().IsMatch(t)) throw new ArgumentException($"--time must look like HH:MM:SS (or D-HH:MM:SS), got '{t}'");
        if (options.GpusPerTask < 0 || options.CpusPerTask < 0) throw new ArgumentException("--gpus-per-task and --cpus-per-task must be 0 or more");
        var manifest = folder.LoadManifest();
        var todo = JobStatus.Read(folder, manifest).Where(s => !s.IsDone).Select(s => s.Chunk.Index).ToList();
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(folder.LogsDirectory);
        string command = options.Command ?? WorkerCommand.Default();
        string dir = WorkerCommand.ShellQuote(folder.Directory);
        string name = JobName(manifest);

        var chunks = Header($"{name}-chunks", Path.Combine(folder.LogsDirectory, "chunk_%a.log"), gpus: options.GpusPerTask);
        chunks.AppendLine($"#SBATCH --array={(todo.Count == 0 ? "0" : Ranges(todo))}");
        chunks.AppendLine("set -euo pipefail");
        chunks.AppendLine("# Each array task renders one chunk: `job run` takes its index from SLURM_ARRAY_TASK_ID. A chunk already");
        chunks.AppendLine("# done is skipped; a failed one is simply run again (sbatch this file, or `stream-matte job slurm DIR --submit`).");
        chunks.AppendLine($"exec {command} job run {dir}");
        WriteScript(ChunksScript, chunks.ToString());

        var merge = Header($"{name}-merge", Path.Combine(folder.LogsDirectory, "merge.log"), gpus: 0);
        merge.AppendLine("set -euo pipefail");
        merge.AppendLine("# Submitted with --dependency=afterok:<the array> --kill-on-invalid-dep=yes: it runs once every chunk succeeded.");
        merge.AppendLine($"exec {command} job merge {dir}");
        WriteScript(MergeScript, merge.ToString());
        return todo;
    }

    /// <summary>Submits the array, then the merge depending on it; returns both job ids.</summary>
    /// <param name="wait">Block until the merge job ends (sbatch --wait), returning its success.</param>
    public (string ChunksJob, string MergeJob, bool? MergeSucceeded) Submit(IReadOnlyList<int> todo, bool wait, TextWriter log)
    {
        string? chunks = null;
        if (todo.Count > 0)
        {
            chunks = Sbatch(["--parsable", ChunksScript], out _);
            log.WriteLine($"submitted the chunks as job array {chunks} ({todo.Count} tasks: {Ranges(todo)})");
        }
        var args = new List<string> { "--parsable" };
        if (chunks != null) args.AddRange([$"--dependency=afterok:{chunks}", "--kill-on-invalid-dep=yes"]);
        if (wait) args.Add("--wait");
        args.Add(MergeScript);
        if (wait) log.WriteLine("submitting the merge and waiting for it (sbatch --wait) …");
        var submitted = DateTime.UtcNow.AddSeconds(-1);
        string merge = Sbatch(args, out int code);
        log.WriteLine($"merge job {merge}{(chunks is null ? "" : $" runs after array {chunks} succeeds")}; logs in {folder.LogsDirectory}");
        if (!wait) return (chunks ?? "", merge, null);
        // sbatch --wait also returns 0 for a merge cancelled because a chunk failed: the merge's own record is the proof.
        bool merged = code == 0 && File.Exists(folder.MergedRecordPath) && File.GetLastWriteTimeUtc(folder.MergedRecordPath) >= submitted;
        return (chunks ?? "", merge, merged);
    }

    private static string JobName(JobManifest manifest) =>
        "stream-matte-" + new string(Path.GetFileNameWithoutExtension(manifest.Output).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');

    private StringBuilder Header(string name, string logFile, int gpus)
    {
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine($"# Written by `stream-matte job slurm` for the job in {folder.Directory}.");
        s.AppendLine($"#SBATCH --job-name={name}");
        s.AppendLine($"#SBATCH --output={logFile}");
        s.AppendLine("#SBATCH --ntasks=1");
        if (options.Partition is { } p) s.AppendLine($"#SBATCH --partition={p}");
        if (gpus > 0) s.AppendLine($"#SBATCH --gpus-per-task={gpus}");
        if (options.CpusPerTask > 0) s.AppendLine($"#SBATCH --cpus-per-task={options.CpusPerTask}");
        if (options.TimeLimit is { } t) s.AppendLine($"#SBATCH --time={t}");
        // sbatch reads #SBATCH lines only up to the first command: the caller adds its own directives, then the commands.
        return s;
    }

    /// <summary>0,1,2,5 → "0-2,5".</summary>
    public static string Ranges(IReadOnlyList<int> indices)
    {
        var parts = new List<string>();
        for (int i = 0; i < indices.Count;)
        {
            int j = i;
            while (j + 1 < indices.Count && indices[j + 1] == indices[j] + 1) j++;
            parts.Add(i == j ? $"{indices[i]}" : $"{indices[i]}-{indices[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead);
    }

    private static string Sbatch(IReadOnlyList<string> args, out int exitCode)
    {
        var info = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"sbatch could not be started ({e.Message}): this machine is not a Slurm submit host; the scripts are written, copy the job folder to one and sbatch them there");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            exitCode = process.ExitCode;
            string id = stdout.Trim().Split(';')[0];
            if (id.Length == 0 || !id.All(char.IsAsciiDigit))
                throw new InvalidOperationException($"sbatch {args[^1]} failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
            return id;
        }
    }
}

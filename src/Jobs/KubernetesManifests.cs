using System.Text;
using System.Text.Json;

namespace StreamMatte.Jobs;

/// <summary>What the Kubernetes Jobs run and mount.</summary>
public sealed record KubernetesOptions
{
    /// <summary>A container image with stream-matte (and ffmpeg) in it.</summary>
    public string Image { get; init; } = "stream-matte:latest";

    /// <summary>How the container starts stream-matte.</summary>
    public string Command { get; init; } = "stream-matte";

    /// <summary>The PersistentVolumeClaim (ReadWriteMany) that holds the job folder, the input and the outputs.</summary>
    public string Claim { get; init; } = "stream-matte-jobs";

    /// <summary>Where the claim is mounted in the pods: the paths in the manifest must be valid there (null: their common folder).</summary>
    public string? MountPath { get; init; }

    /// <summary>Pods at once (null: every chunk at once).</summary>
    public int? Parallelism { get; init; }

    public int GpusPerTask { get; init; }
}

/// <summary>
/// Writes DIR/k8s/chunks.yaml, a batch/v1 Indexed Job (completions = chunks; Kubernetes gives each pod its index in
/// JOB_COMPLETION_INDEX, and <c>job run</c> takes the chunk from it), and DIR/k8s/merge.yaml, a one-pod Job for the
/// merge, to apply once the first has completed. Both mount one shared volume at the same path the manifest's
/// paths use. Strings are written as JSON strings, which YAML reads as they are.
/// </summary>
public sealed class KubernetesManifests(JobFolder folder, KubernetesOptions options)
{
    public string Directory => Path.Combine(folder.Directory, "k8s");
    public string ChunksFile => Path.Combine(Directory, "chunks.yaml");
    public string MergeFile => Path.Combine(Directory, "merge.yaml");

    public (string ChunksJob, string MergeJob) Write()
    {
        var manifest = folder.LoadManifest();
        if (options.Parallelism is < 1) throw new ArgumentException($"--parallelism must be at least 1, got {options.Parallelism}");
        if (options.GpusPerTask < 0) throw new ArgumentException("--gpus-per-task must be 0 or more");
        string mount = options.MountPath ?? CommonFolder([folder.Directory, manifest.Input, manifest.Output, .. Optional(manifest.MatteOutput), .. Optional(manifest.InstanceOutput)]);
        foreach (var path in new[] { folder.Directory, manifest.Input, manifest.Output })
            if (!IsUnder(path, mount))
                throw new ArgumentException($"'{path}' is not under the volume's mount path '{mount}': the pods would not see it (plan the job with its input and outputs on the shared volume, or pass --mount)");
        string name = JobName(manifest);
        string chunks = name + "-chunks", merge = name + "-merge";
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(ChunksFile, Job(chunks, manifest.Chunks.Count, options.Parallelism ?? manifest.Chunks.Count, indexed: true, "chunk", ["job", "run", folder.Directory], mount, options.GpusPerTask));
        File.WriteAllText(MergeFile, Job(merge, 1, 1, indexed: false, "merge", ["job", "merge", folder.Directory], mount, gpus: 0));
        return (chunks, merge);
    }

    private string Job(string name, int completions, int parallelism, bool indexed, string container, string[] args, string mount, int gpus)
    {
        var y = new StringBuilder();
        y.AppendLine($"# Written by `stream-matte job k8s` for the job in {folder.Directory}.");
        y.AppendLine("apiVersion: batch/v1");
        y.AppendLine("kind: Job");
        y.AppendLine("metadata:");
        y.AppendLine($"  name: {Q(name)}");
        y.AppendLine("  labels:");
        y.AppendLine($"    app.kubernetes.io/name: {Q("stream-matte")}");
        y.AppendLine($"    app.kubernetes.io/instance: {Q(name)}");
        y.AppendLine("spec:");
        if (indexed) y.AppendLine($"  completionMode: {Q("Indexed")}");
        y.AppendLine($"  completions: {completions}");
        y.AppendLine($"  parallelism: {parallelism}");
        // A chunk that fails is retried (it starts over cleanly); beyond that the Job fails and `job status` says which.
        y.AppendLine($"  backoffLimit: {Math.Max(3, completions * 2)}");
        y.AppendLine("  template:");
        y.AppendLine("    metadata:");
        y.AppendLine("      labels:");
        y.AppendLine($"        app.kubernetes.io/name: {Q("stream-matte")}");
        y.AppendLine($"        app.kubernetes.io/instance: {Q(name)}");
        y.AppendLine("    spec:");
        y.AppendLine($"      restartPolicy: {Q("Never")}");
        y.AppendLine("      containers:");
        y.AppendLine($"        - name: {Q(container)}");
        y.AppendLine($"          image: {Q(options.Image)}");
        y.AppendLine($"          command: [{Q(options.Command)}]");
        y.AppendLine($"          args: [{string.Join(", ", args.Select(Q))}]");
        if (indexed)
        {
            // Kubernetes sets JOB_COMPLETION_INDEX itself in an Indexed Job; naming it here too documents where it comes from.
            y.AppendLine("          env:");
            y.AppendLine($"            - name: {Q("JOB_COMPLETION_INDEX")}");
            y.AppendLine("              valueFrom:");
            y.AppendLine("                fieldRef:");
            y.AppendLine($"                  fieldPath: {Q("metadata.annotations['batch.kubernetes.io/job-completion-index']")}");
        }
        if (gpus > 0)
        {
            y.AppendLine("          resources:");
            y.AppendLine("            limits:");
            y.AppendLine($"              nvidia.com/gpu: {gpus}");
        }
        y.AppendLine("          volumeMounts:");
        y.AppendLine($"            - name: {Q("work")}");
        y.AppendLine($"              mountPath: {Q(mount)}");
        y.AppendLine("      volumes:");
        y.AppendLine($"        - name: {Q("work")}");
        y.AppendLine("          persistentVolumeClaim:");
        y.AppendLine($"            claimName: {Q(options.Claim)}");
        return y.ToString();
    }

    private static string Q(string s) => JsonSerializer.Serialize(s);

    private static IEnumerable<string> Optional(string? path) => path is null ? [] : [path];

    /// <summary>A DNS-1123 label (lower-case letters, digits, '-'; at most 63 characters with the "-chunks" suffix).</summary>
    public static string JobName(JobManifest manifest)
    {
        string stem = new string(Path.GetFileNameWithoutExtension(manifest.Output).ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (stem.Contains("--")) stem = stem.Replace("--", "-");
        stem = ("stream-matte-" + stem.Trim('-')).TrimEnd('-');
        return stem.Length > 56 ? stem[..56].TrimEnd('-') : stem;
    }

    private static bool IsUnder(string path, string folder)
    {
        string full = Path.GetFullPath(path), root = Path.GetFullPath(folder).TrimEnd('/') + "/";
        return full.StartsWith(root, StringComparison.Ordinal) || root == "/";
    }

    /// <summary>The deepest folder that holds all of the paths.</summary>
    public static string CommonFolder(IEnumerable<string> paths)
    {
        string[]? common = null;
        foreach (var p in paths)
        {
            var parts = Path.GetDirectoryName(Path.GetFullPath(p))!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (common is null) { common = parts; continue; }
            int n = 0;
            while (n < common.Length && n < parts.Length && common[n] == parts[n]) n++;
            common = common[..n];
        }
        return "/" + string.Join("/", common ?? []);
    }
}

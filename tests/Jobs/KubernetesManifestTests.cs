using StreamMatte.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// `job k8s` writes YAML that a batch/v1 Job accepts: parsed with YamlDotNet and every field checked against the Job
/// schema's fields it uses (name, type, allowed values; from the Kubernetes API reference for batch/v1 Job, PodSpec,
/// Container, EnvVar, VolumeMount, Volume). No cluster exists here, so the schema is the check.
/// </summary>
public class KubernetesManifestTests
{
    private enum Kind { String, Integer, Map, List, Quantity }

    /// <summary>Field path (list items as []) → what the schema says it is; anything else in the file is an unknown field.</summary>
    private static readonly Dictionary<string, Kind> Schema = new()
    {
        ["apiVersion"] = Kind.String, ["kind"] = Kind.String, ["metadata"] = Kind.Map, ["metadata.name"] = Kind.String,
        ["metadata.labels"] = Kind.Map, ["metadata.labels.*"] = Kind.String,
        ["spec"] = Kind.Map, ["spec.completionMode"] = Kind.String, ["spec.completions"] = Kind.Integer, ["spec.parallelism"] = Kind.Integer,
        ["spec.backoffLimit"] = Kind.Integer, ["spec.template"] = Kind.Map, ["spec.template.metadata"] = Kind.Map,
        ["spec.template.metadata.labels"] = Kind.Map, ["spec.template.metadata.labels.*"] = Kind.String,
        ["spec.template.spec"] = Kind.Map, ["spec.template.spec.restartPolicy"] = Kind.String,
        ["spec.template.spec.containers"] = Kind.List, ["spec.template.spec.containers[]"] = Kind.Map,
        ["spec.template.spec.containers[].name"] = Kind.String, ["spec.template.spec.containers[].image"] = Kind.String,
        ["spec.template.spec.containers[].command"] = Kind.List, ["spec.template.spec.containers[].command[]"] = Kind.String,
        ["spec.template.spec.containers[].args"] = Kind.List, ["spec.template.spec.containers[].args[]"] = Kind.String,
        ["spec.template.spec.containers[].env"] = Kind.List, ["spec.template.spec.containers[].env[]"] = Kind.Map,
        ["spec.template.spec.containers[].env[].name"] = Kind.String, ["spec.template.spec.containers[].env[].valueFrom"] = Kind.Map,
        ["spec.template.spec.containers[].env[].valueFrom.fieldRef"] = Kind.Map,
        ["spec.template.spec.containers[].env[].valueFrom.fieldRef.fieldPath"] = Kind.String,
        ["spec.template.spec.containers[].resources"] = Kind.Map, ["spec.template.spec.containers[].resources.limits"] = Kind.Map,
        ["spec.template.spec.containers[].resources.limits.*"] = Kind.Quantity,
        ["spec.template.spec.containers[].volumeMounts"] = Kind.List, ["spec.template.spec.containers[].volumeMounts[]"] = Kind.Map,
        ["spec.template.spec.containers[].volumeMounts[].name"] = Kind.String, ["spec.template.spec.containers[].volumeMounts[].mountPath"] = Kind.String,
        ["spec.template.spec.volumes"] = Kind.List, ["spec.template.spec.volumes[]"] = Kind.Map, ["spec.template.spec.volumes[].name"] = Kind.String,
        ["spec.template.spec.volumes[].persistentVolumeClaim"] = Kind.Map, ["spec.template.spec.volumes[].persistentVolumeClaim.claimName"] = Kind.String,
    };

    private static readonly string[] Required =
    [
        "apiVersion", "kind", "metadata.name", "spec.template.spec.containers", "spec.template.spec.containers[].name",
        "spec.template.spec.containers[].image", "spec.template.spec.restartPolicy",
    ];

    private static string PlannedJob(string root)
    {
        string clip = StampedClip.Make(root, 12, 64, 48);
        string dir = Path.Combine(root, "job");
        var (code, _, err) = Tool.Run("job", "plan", "-i", clip, "-o", Path.Combine(root, "out", "result.mp4"), "--chunks", "3", "--dir", dir);
        Assert.True(code == 0, err);
        return dir;
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        Assert.Single(stream.Documents);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Every node checked against <see cref="Schema"/> (path in schema terms: list items [], free map keys *); returns the paths seen.</summary>
    private static HashSet<string> Validate(YamlNode node, string path, HashSet<string>? seen = null)
    {
        seen ??= [];
        if (path.Length > 0)
        {
            Assert.True(Schema.TryGetValue(path, out var kind), $"'{path}' is not a field of a batch/v1 Job (as used here)");
            seen.Add(path);
            switch (kind)
            {
                case Kind.Map: Assert.IsType<YamlMappingNode>(node); break;
                case Kind.List: Assert.IsType<YamlSequenceNode>(node); break;
                case Kind.Integer:
                    var scalar = Assert.IsType<YamlScalarNode>(node);
                    Assert.True(scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && int.TryParse(scalar.Value, out int n) && n >= 0, $"'{path}' must be a non-negative integer, is '{scalar.Value}'");
                    break;
                case Kind.Quantity:
                    Assert.Matches(@"^\d+$", Assert.IsType<YamlScalarNode>(node).Value!);
                    break;
                default:
                    var text = Assert.IsType<YamlScalarNode>(node);
                    Assert.False(string.IsNullOrEmpty(text.Value), $"'{path}' is empty");
                    break;
            }
        }
        if (node is YamlMappingNode map)
            foreach (var (k, v) in map.Children)
            {
                string prefix = path.Length == 0 ? "" : path + ".";
                Validate(v, Schema.ContainsKey(prefix + "*") ? prefix + "*" : prefix + ((YamlScalarNode)k).Value, seen);
            }
        else if (node is YamlSequenceNode list)
            foreach (var item in list.Children) Validate(item, path + "[]", seen);
        return seen;
    }

    private static string Scalar(YamlMappingNode root, string dotted)
    {
        YamlNode node = root;
        foreach (var part in dotted.Split('.'))
            node = part.EndsWith("[0]") ? ((YamlSequenceNode)((YamlMappingNode)node)[part[..^3]])[0] : ((YamlMappingNode)node)[part];
        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public void The_chunks_are_an_Indexed_Job_with_one_completion_per_chunk_on_a_shared_volume()
    {
        string root = Tool.TempDir(), dir = PlannedJob(root);
        var (code, _, err) = Tool.Run("job", "k8s", dir, "--image", "registry.example/stream-matte:1", "--claim", "footage", "--gpus-per-task", "1", "--parallelism", "2");
        Assert.True(code == 0, err);
        Assert.Contains("kubectl apply -f", err);

        var chunks = Load(Path.Combine(dir, "k8s", "chunks.yaml"));
        var seen = Validate(chunks, "");
        foreach (var field in Required) Assert.Contains(field, seen);
        Assert.Equal("batch/v1", Scalar(chunks, "apiVersion"));
        Assert.Equal("Job", Scalar(chunks, "kind"));
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Scalar(chunks, "metadata.name"));
        Assert.True(Scalar(chunks, "metadata.name").Length <= 63);
        Assert.Equal("Indexed", Scalar(chunks, "spec.completionMode"));
        Assert.Equal("3", Scalar(chunks, "spec.completions"));
        Assert.Equal("2", Scalar(chunks, "spec.parallelism"));
        Assert.Contains(Scalar(chunks, "spec.template.spec.restartPolicy"), new[] { "Never", "OnFailure" });
        Assert.Equal("registry.example/stream-matte:1", Scalar(chunks, "spec.template.spec.containers[0].image"));
        Assert.Equal("JOB_COMPLETION_INDEX", Scalar(chunks, "spec.template.spec.containers[0].env[0].name"));
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", Scalar(chunks, "spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"));
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)chunks["spec"])["template"])["spec"])["containers"])[0];
        Assert.Equal("1", ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)container["resources"])["limits"])["nvidia.com/gpu"]).Value);
        var args = ((YamlSequenceNode)container["args"]).Children.Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal(["job", "run", dir], args);

        // The volume the pods mount is the claim, at a path holding the job folder, the input and the output.
        Assert.Equal("footage", Scalar(chunks, "spec.template.spec.volumes[0].persistentVolumeClaim.claimName"));
        Assert.Equal(Scalar(chunks, "spec.template.spec.volumes[0].name"), Scalar(chunks, "spec.template.spec.containers[0].volumeMounts[0].name"));
        string mount = Scalar(chunks, "spec.template.spec.containers[0].volumeMounts[0].mountPath");
        Assert.StartsWith(mount.TrimEnd('/') + "/", dir);
        Assert.StartsWith(mount.TrimEnd('/') + "/", Path.Combine(root, "out", "result.mp4"));

        var merge = Load(Path.Combine(dir, "k8s", "merge.yaml"));
        Validate(merge, "");
        Assert.Equal("1", Scalar(merge, "spec.completions"));
        Assert.Throws<KeyNotFoundException>(() => Scalar(merge, "spec.completionMode"));
    }

    [Fact]
    public void Paths_outside_the_mounted_volume_are_refused()
    {
        string root = Tool.TempDir(), dir = PlannedJob(root);
        var (code, _, err) = Tool.Run("job", "k8s", dir, "--mount", "/elsewhere");
        Assert.Equal(1, code);
        Assert.Contains("is not under the volume's mount path '/elsewhere'", err);
    }
}

using System.Text;

namespace StreamMatte.Tests.Support;

/// <summary>
/// Writes small ONNX models (the protobuf wire format, by hand) so tests can make the exact networks they need
/// and compute the expected outputs independently. Field numbers are those of onnx.proto (IR version 8).
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly List<(string Key, string Value)> _metadata = [];
    public int Opset { get; init; } = 17;

    /// <summary>Declares a float graph input or output; a string dimension is dynamic (named), an int is fixed.</summary>
    public OnnxModelBuilder Input(string name, params object[] dims) { _inputs.Add(ValueInfo(name, 1, dims)); return this; }
    public OnnxModelBuilder Output(string name, params object[] dims) { _outputs.Add(ValueInfo(name, 1, dims)); return this; }
    public OnnxModelBuilder InputOfType(string name, int elemType, params object[] dims) { _inputs.Add(ValueInfo(name, elemType, dims)); return this; }

    public OnnxModelBuilder Initializer(string name, float[] values, params long[] dims)
    {
        var t = new Proto();
        foreach (long d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, 1); // FLOAT
        t.String(8, name);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        t.Bytes(9, raw);
        _initializers.Add(t.ToArray());
        return this;
    }

    public OnnxModelBuilder Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var n = new Proto();
        foreach (var i in inputs) n.String(1, i);
        foreach (var o in outputs) n.String(2, o);
        n.String(3, $"{op}_{_nodes.Count}");
        n.String(4, op);
        foreach (var (name, value) in attributes) n.Message(5, Attribute(name, value));
        _nodes.Add(n.ToArray());
        return this;
    }

    public OnnxModelBuilder Metadata(string key, string value) { _metadata.Add((key, value)); return this; }

    public byte[] Build(string graphName = "test")
    {
        var g = new Proto();
        foreach (var n in _nodes) g.Message(1, n);
        g.String(2, graphName);
        foreach (var i in _initializers) g.Message(5, i);
        foreach (var i in _inputs) g.Message(11, i);
        foreach (var o in _outputs) g.Message(12, o);

        var m = new Proto();
        m.Varint(1, 8); // ir_version
        m.String(2, "stream-matte-tests");
        m.Message(7, g.ToArray());
        var opset = new Proto();
        opset.String(1, "");
        opset.Varint(2, (ulong)Opset);
        m.Message(8, opset.ToArray());
        foreach (var (k, v) in _metadata)
        {
            var e = new Proto();
            e.String(1, k);
            e.String(2, v);
            m.Message(14, e.ToArray());
        }
        return m.ToArray();
    }

    private static byte[] ValueInfo(string name, int elemType, object[] dims)
    {
        var shape = new Proto();
        foreach (var d in dims)
        {
            var dim = new Proto();
            if (d is string s) dim.String(2, s); else dim.Varint(1, (ulong)Convert.ToInt64(d));
            shape.Message(1, dim.ToArray());
        }
        var tensor = new Proto();
        tensor.Varint(1, (ulong)elemType);
        tensor.Message(2, shape.ToArray());
        var type = new Proto();
        type.Message(1, tensor.ToArray());
        var vi = new Proto();
        vi.String(1, name);
        vi.Message(2, type.ToArray());
        return vi.ToArray();
    }

    private static byte[] Attribute(string name, object value)
    {
        var a = new Proto();
        a.String(1, name);
        switch (value)
        {
            case float f: a.Fixed32(2, BitConverter.SingleToUInt32Bits(f)); a.Varint(20, 1); break;
            case int or long: a.Varint(3, (ulong)Convert.ToInt64(value)); a.Varint(20, 2); break;
            case string s: a.Bytes(4, Encoding.UTF8.GetBytes(s)); a.Varint(20, 3); break;
            case long[] ints: foreach (var i in ints) a.Varint(8, (ulong)i); a.Varint(20, 7); break;
            case float[] floats: foreach (var f in floats) a.Fixed32(7, BitConverter.SingleToUInt32Bits(f)); a.Varint(20, 6); break;
            default: throw new NotSupportedException(value.GetType().Name);
        }
        return a.ToArray();
    }

    /// <summary>Protobuf wire-format writer: varints, length-delimited fields and fixed32.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _s = new();
        public byte[] ToArray() => _s.ToArray();
        private void Raw(ulong v) { while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; } _s.WriteByte((byte)v); }
        private void Tag(int field, int wire) => Raw((ulong)(field << 3 | wire));
        public void Varint(int field, ulong v) { Tag(field, 0); Raw(v); }
        public void Fixed32(int field, uint v) { Tag(field, 5); Span<byte> b = stackalloc byte[4]; BitConverter.TryWriteBytes(b, v); _s.Write(b); }
        public void Bytes(int field, byte[] b) { Tag(field, 2); Raw((ulong)b.Length); _s.Write(b); }
        public void String(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));
        public void Message(int field, byte[] m) => Bytes(field, m);
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LatentTerrain.Engine.Terrain;
using static LatentTerrain.Engine.Files.TorchPickle;

namespace LatentTerrain.Engine.Files;

/// <summary>
/// Imports and exports the terrains of the reference system (nn.terrain~, jasper-zheng/nn_terrain):
/// libtorch serialize archives, an uncompressed zip with <c>&lt;root&gt;/data.pkl</c> and the raw
/// storages <c>&lt;root&gt;/data/&lt;key&gt;</c>. The export is in ReferenceCheckpoint.Export.cs.
/// </summary>
/// <remarks>
/// What the reference source says (src/backend/backend.h, <c>FourierCPPNImpl</c>, and
/// src/backend/backend.cpp, <c>FCPPN::save</c>; the Python port fourier_cppn.py of
/// jasper-zheng/latent-terrain-pytorch agrees):
/// <list type="bullet">
/// <item><c>B_T = torch::normal(0, gauss_scale, {mapping_size, in_dim}).transpose(0, 1)</c>: sigma is
/// already in it, 2π is not; it is saved as that transposed view, so its storage is [m, in_dim]
/// and the tensor has strides (1, in_dim).</item>
/// <item>forward: <c>x = matmul(two_pi * x, B_T); x = cat({x.sin(), x.cos()}, 1); x = prelu1(fc_in_gau(x));
/// x = prelu2(fc2(x)); x = prelu3(fc3(x)); x = prelu4(fc4(x)); return fc_out(x)</c>. With gauss_scale 0,
/// <c>prelu1(fc_in_linear(x))</c> replaces the first two steps, and two_pi and B_T are not saved.</item>
/// <item><c>two_pi</c> is a float32 buffer holding 2π; each PReLU has one slope; the configuration is
/// written beside the module: m_in_dim, m_out_dim, m_cmax, m_mapping_size (int64), m_gauss_scale (float32).</item>
/// </list>
/// So B_T is our B as it stands and the features are in our order, [sin, cos]: no column of the
/// first layer needs moving. The inference clamp to ±100 is <see cref="TerrainEvaluator"/>'s too.
/// </remarks>
public static partial class ReferenceCheckpoint
{
    /// <summary>Whether the bytes start like a zip archive (a local file header, "PK\x03\x04").</summary>
    internal static bool IsArchive(ReadOnlySpan<byte> file) => file.StartsWith("PK\x03\x04"u8);

    private const int Depth = 4;
    private const int MaxNesting = 8;
    /// <summary>A terrain's data.pkl is under 2 kB; a bound keeps a hostile archive from filling memory.</summary>
    private const long MaxPickleLength = 1 << 20;

    private const string TwoPiName = "two_pi", FourierName = "B_T";
    private const string InputDimsName = "m_in_dim", LatentSizeName = "m_out_dim", WidthName = "m_cmax",
        SigmaName = "m_gauss_scale", FourierFeaturesName = "m_mapping_size";

    /// <summary>A tensor of one of the reference's submodules: its name there, its name in <see cref="TerrainNetwork.ToTensors"/>, its shape.</summary>
    private sealed record ModuleTensor(string Name, string Ours, int[] Shape);

    /// <summary>
    /// The reference's submodules in the order <c>FourierCPPNImpl</c> registers them, which is the order
    /// of its archives, each with its tensors: both ways of the mapping read this one table.
    /// </summary>
    private static List<(string Module, ModuleTensor[] Tensors)> Modules(TerrainConfig config)
    {
        string[] linear = [config.UsesFourierFeatures ? "fc_in_gau" : "fc_in_linear", "fc2", "fc3", "fc4", "fc_out"];
        var modules = new List<(string, ModuleTensor[])>();
        for (int l = 0; l <= Depth; l++)
        {
            int inputs = l == 0 ? config.FirstLayerInputs : config.Width, outputs = l == Depth ? config.LatentSize : config.Width;
            modules.Add((linear[l], [new("weight", TerrainNetwork.WeightName(l), [outputs, inputs]), new("bias", TerrainNetwork.BiasName(l), [outputs])]));
            if (l < Depth) modules.Add(($"prelu{l + 1}", [new("weight", TerrainNetwork.SlopeName(l), [1])]));
        }
        return modules;
    }

    internal static TerrainNetwork Read(byte[] file, string path)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
            return new Import(zip, path).Network();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new TerrainFileException(path, $"damaged or not an nn.terrain checkpoint: {e.Message}", e);
        }
    }

    /// <summary>One checkpoint being read: its archive, its attributes by dotted name, and the storages read so far.</summary>
    private sealed class Import
    {
        private readonly ZipArchive _zip;
        private readonly string _path;
        private readonly string _root;
        private readonly Dictionary<string, TensorView> _tensors = [];
        private readonly Dictionary<string, byte[]> _storages = [];

        public Import(ZipArchive zip, string path)
        {
            _zip = zip;
            _path = path;
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw Fail("a zip archive without data.pkl: not a PyTorch checkpoint");
            _root = pickle.FullName[..^"data.pkl".Length];
            var byteOrder = zip.GetEntry(_root + "byteorder");
            if (byteOrder != null && (byteOrder.Length != "little".Length || Encoding.ASCII.GetString(ReadEntry(byteOrder)) != "little"))
                throw Fail("the checkpoint was saved big-endian, which is not supported");
            if (pickle.Length > MaxPickleLength) throw Fail($"data.pkl has {pickle.Length} bytes, far more than a terrain's");
            Collect(TorchPickle.Read(ReadEntry(pickle)), "", 0);
        }

        private TerrainFileException Fail(string problem) => new(_path, problem);

        /// <summary>Flattens the module tree into PyTorch's dotted names ("fc2.weight").</summary>
        private void Collect(object? value, string name, int depth)
        {
            // A pickle can make a dictionary hold itself; a terrain's tree is two levels deep.
            if (depth > MaxNesting) throw Fail("the checkpoint's modules nest too deeply for a terrain");
            if (value is TensorView tensor) _tensors[name] = tensor;
            var children = value switch
            {
                ScriptObject module => module.Attributes,
                Dictionary<string, object?> dictionary => dictionary,
                _ => null,
            };
            if (children == null) return;
            foreach (var (key, child) in children) Collect(child, name.Length == 0 ? key : $"{name}.{key}", depth + 1);
        }

        public TerrainNetwork Network()
        {
            var config = new TerrainConfig
            {
                InputDims = Integer(InputDimsName),
                LatentSize = Integer(LatentSizeName),
                Width = Integer(WidthName),
                FourierFeatures = Integer(FourierFeaturesName),
                Sigma = Floats(SigmaName)[0],
                Depth = Depth,
                Activation = Activation.PReLU,
            };
            try
            {
                config.Validate();
            }
            catch (ArgumentException e)
            {
                throw Fail($"a terrain this program cannot hold: {e.Message}");
            }

            var tensors = new Dictionary<string, NamedTensor>();
            void Add(string ours, string theirs, params int[] shape) => tensors[ours] = new NamedTensor(ours, shape, Floats(theirs, shape));

            if (config.UsesFourierFeatures)
            {
                // Our network has 2π built in; a checkpoint with another constant would be another function.
                float twoPi = Floats(TwoPiName)[0];
                if (twoPi != 2f * MathF.PI) throw Fail($"two_pi holds {twoPi}, not 2π");
                Add(TerrainNetwork.FourierName, FourierName, config.InputDims, config.FourierFeatures);
            }
            foreach (var (module, moduleTensors) in Modules(config))
                foreach (var tensor in moduleTensors)
                    Add(tensor.Ours, $"{module}.{tensor.Name}", tensor.Shape);

            try
            {
                return TerrainNetwork.FromTensors(config, tensors);
            }
            catch (ArgumentException e)
            {
                throw Fail(e.Message);
            }
        }

        private TensorView Tensor(string name) =>
            _tensors.TryGetValue(name, out var tensor) ? tensor : throw Fail($"not an nn.terrain checkpoint: it has no tensor '{name}'");

        private int Integer(string name)
        {
            var view = Tensor(name);
            if (view.Storage.Type != "LongStorage") throw Fail($"'{name}' is a {view.Storage.Type}, expected an integer");
            var (storage, offsets) = Elements(name, view, [], sizeof(long));
            long value = BinaryPrimitives.ReadInt64LittleEndian(storage.AsSpan(offsets[0]));
            return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Fail($"'{name}' is {value}, out of range");
        }

        /// <summary>A float32 tensor as a dense row-major array; <paramref name="shape"/> empty means a single value of any shape.</summary>
        private float[] Floats(string name, params int[] shape)
        {
            var view = Tensor(name);
            if (view.Storage.Type != "FloatStorage") throw Fail($"'{name}' is a {view.Storage.Type}, expected float32");
            var (storage, offsets) = Elements(name, view, shape, sizeof(float));
            var values = offsets.Select(o => BinaryPrimitives.ReadSingleLittleEndian(storage.AsSpan(o))).ToArray();
            if (!values.All(float.IsFinite)) throw Fail($"tensor '{name}' contains NaN or infinity");
            return values;
        }

        /// <summary>The storage of a strided view and the byte offset of each of its elements in row-major order.</summary>
        private (byte[] Storage, int[] Offsets) Elements(string name, TensorView view, int[] shape, int size)
        {
            long count = view.Shape.Aggregate(1L, (a, b) => a * b);
            if (shape.Length > 0 ? !view.Shape.SequenceEqual(shape.Select(d => (long)d)) : count != 1)
                throw Fail($"tensor '{name}' has shape [{string.Join(", ", view.Shape)}], expected [{(shape.Length > 0 ? string.Join(", ", shape) : "1")}]");

            byte[] storage = ReadStorage(name, view.Storage, size);
            long last = view.Offset + view.Shape.Zip(view.Stride, (d, s) => (d - 1) * s).Sum();
            if (view.Offset < 0 || view.Stride.Any(s => s < 0) || (count > 0 && last >= view.Storage.Count))
                throw Fail($"tensor '{name}' reaches outside its storage");

            var offsets = new int[count];
            var index = new long[view.Shape.Length];
            for (long n = 0; n < count; n++)
            {
                long at = view.Offset;
                for (int d = 0; d < index.Length; d++) at += index[d] * view.Stride[d];
                offsets[n] = (int)(at * size);
                // Next index, the last dimension fastest.
                for (int d = index.Length - 1; d >= 0 && ++index[d] == view.Shape[d]; d--) index[d] = 0;
            }
            return (storage, offsets);
        }

        private byte[] ReadStorage(string name, Storage storage, int size)
        {
            long length = storage.Count * size;
            if (!_storages.TryGetValue(storage.Key, out byte[]? bytes))
            {
                var entry = _zip.GetEntry($"{_root}data/{storage.Key}") ?? throw Fail($"the storage of '{name}' (data/{storage.Key}) is missing");
                // Checked before reading, so a damaged size cannot make us read gigabytes.
                if (entry.Length != length) throw Fail($"the storage of '{name}' (data/{storage.Key}) has {entry.Length} bytes, expected {length}");
                bytes = ReadEntry(entry);
                _storages[storage.Key] = bytes;
            }
            if (bytes.Length != length) throw Fail($"the storage of '{name}' (data/{storage.Key}) has {bytes.Length} bytes, expected {length}");
            return bytes;
        }

        /// <summary>Exactly the entry's declared length, so the size checks made before reading hold for what is read.</summary>
        private static byte[] ReadEntry(ZipArchiveEntry entry)
        {
            var bytes = new byte[entry.Length];
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
            return bytes;
        }
    }
}

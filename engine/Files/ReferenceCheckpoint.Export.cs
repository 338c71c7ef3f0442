using System.Buffers.Binary;
using System.Globalization;
using LatentTerrain.Engine.Terrain;

namespace LatentTerrain.Engine.Files;

public static partial class ReferenceCheckpoint
{
    /// <summary>The archive format version of the reference's checkpoints (libtorch writes 3 for a module without methods).</summary>
    private const int ArchiveVersion = 3;
    /// <summary>nn.terrain~ takes a Fourier mapping size of 16 to 2048; the other limits are <see cref="TerrainConfig"/>'s own.</summary>
    private const int MinFourierFeatures = 16, MaxFourierFeatures = 2048;

    /// <summary>
    /// Writes <paramref name="network"/> as the reference's nn.terrain~ saves a terrain, so that Max
    /// loads it and <c>torch.jit.load</c> opens it: the same records, pickle and storages, atomically.
    /// Only the reference's kind of terrain can go: four PReLU hidden layers, its sizes; anything else
    /// throws <see cref="TerrainFileException"/> saying why. The seed is not kept (the reference has none).
    /// </summary>
    public static void Write(TerrainNetwork network, string path)
    {
        var config = network.Config;
        if (config.Activation != Activation.PReLU || config.Depth != Depth)
            throw new TerrainFileException(path,
                $"not exported: the reference's nn.terrain~ has {Depth} PReLU layers; this terrain has depth {config.Depth} with {config.Activation}: keep it as a .terrain (safetensors) file");
        if (config.UsesFourierFeatures && config.FourierFeatures is < MinFourierFeatures or > MaxFourierFeatures)
            throw new TerrainFileException(path,
                $"not exported: nn.terrain~ takes {MinFourierFeatures} to {MaxFourierFeatures} Fourier features; this terrain has {config.FourierFeatures}: keep it as a .terrain (safetensors) file");

        var tensors = network.ToTensors();
        string folder = TorchArchiveWriter.FolderFor(path);
        TerrainFile.Write(path, tensors, "exported", stream => new Export(stream, folder).Write(config, tensors.ToDictionary(t => t.Name)));
    }

    /// <summary>
    /// One archive being written as libtorch's <c>OutputArchive</c> writes the reference's module: a
    /// TorchScript object per module whose class is declared in code/, and a storage per tensor.
    /// </summary>
    private sealed class Export(Stream stream, string folder)
    {
        private readonly TorchArchiveWriter _archive = new(stream, folder);
        private readonly TorchPickleWriter _pickle = new();
        private readonly List<byte[]> _storages = [];
        private readonly List<ScriptClass> _classes = [];

        /// <summary>How a tensor is held: a module's parameter, a buffer, or one of the five settings written beside the module.</summary>
        private enum Role { Parameter, Buffer, Setting }

        /// <summary>A class of the archive's code: libtorch makes one per module, "__torch__.Module", then mangled names.</summary>
        private sealed class ScriptClass(string qualifier)
        {
            public string Qualifier { get; } = qualifier;
            public List<string> Parameters { get; } = [];
            public List<string> Buffers { get; } = [];
            public List<(string Name, string Type)> Attributes { get; } = [];

            public string Source =>
                $"class Module(Module):\n  __parameters__ = {List(Parameters)}\n  __buffers__ = {List(Buffers)}\n"
                + string.Concat(Attributes.Select(a => $"  {a.Name} : {a.Type}\n"));

            private static string List(List<string> names) => $"[{string.Concat(names.Select(n => $"\"{n}\", "))}]";
        }

        public void Write(TerrainConfig config, Dictionary<string, NamedTensor> tensors)
        {
            var root = Begin();
            if (config.UsesFourierFeatures)
            {
                Tensor(root, TwoPiName, Role.Buffer, Floats([2f * MathF.PI]), []);
                // The reference keeps B_T as the transpose of a [m, in] matrix: B's columns are its storage's rows.
                float[] b = tensors[TerrainNetwork.FourierName].Data, transposed = new float[b.Length];
                for (int i = 0; i < config.InputDims; i++)
                    for (int j = 0; j < config.FourierFeatures; j++)
                        transposed[j * config.InputDims + i] = b[i * config.FourierFeatures + j];
                Tensor(root, FourierName, Role.Buffer, Floats(transposed), [config.InputDims, config.FourierFeatures], [1, config.InputDims]);
            }
            foreach (var (module, moduleTensors) in Modules(config))
            {
                _pickle.String(module);
                var child = Begin();
                root.Attributes.Add((module, $"{child.Qualifier}.Module"));
                foreach (var tensor in moduleTensors)
                    Tensor(child, tensor.Name, Role.Parameter, Floats(tensors[tensor.Ours].Data), tensor.Shape);
                End();
            }
            Tensor(root, InputDimsName, Role.Setting, Int64(config.InputDims), []);
            Tensor(root, LatentSizeName, Role.Setting, Int64(config.LatentSize), []);
            Tensor(root, WidthName, Role.Setting, Int64(config.Width), []);
            Tensor(root, SigmaName, Role.Setting, Floats([config.Sigma]), []);
            Tensor(root, FourierFeaturesName, Role.Setting, Int64(config.FourierFeatures), []);
            End();
            _pickle.Put();

            for (int key = 0; key < _storages.Count; key++) _archive.Write($"data/{key}", _storages[key]);
            _archive.Write("data.pkl", _pickle.Finish());
            byte[] debug = DebugInfo();
            foreach (var scriptClass in _classes)
            {
                string file = $"code/{scriptClass.Qualifier.Replace('.', '/')}.py";
                _archive.Write(file, scriptClass.Source);
                _archive.Write($"{file}.debug_pkl", debug);
            }
            _archive.Write("constants.pkl", new TorchPickleWriter().EmptyTuple().Finish());
            _archive.Finish(ArchiveVersion);
        }

        /// <summary>Starts an object of a new class, in the order libtorch creates them (the first is the root); its attributes follow.</summary>
        private ScriptClass Begin()
        {
            var scriptClass = new ScriptClass(_classes.Count == 0 ? "__torch__" : $"__torch__.___torch_mangle_{_classes.Count - 1}");
            _classes.Add(scriptClass);
            _pickle.Global(scriptClass.Qualifier, "Module").EmptyTuple().NewObject().EmptyDictionary().Mark();
            return scriptClass;
        }

        private void End() => _pickle.SetItems().Build();

        /// <summary>An attribute holding a tensor on a storage of its own, as torch._utils._rebuild_tensor_v2 rebuilds it.</summary>
        private void Tensor(ScriptClass owner, string name, Role role, (string Type, byte[] Bytes, int Count) storage, int[] shape, int[]? stride = null)
        {
            (role == Role.Buffer ? owner.Buffers : owner.Parameters).Add(name);
            owner.Attributes.Add((name, "Tensor"));
            string key = _storages.Count.ToString(CultureInfo.InvariantCulture);
            _storages.Add(storage.Bytes);

            _pickle.String(name).Global("torch._utils", "_rebuild_tensor_v2").Mark()
                .Mark().String("storage").Global("torch", storage.Type).String(key).String("cpu").Integer(storage.Count).Tuple().PersistentId().Put()
                .Integer(0)
                .Mark();
            foreach (int size in shape) _pickle.Integer(size);
            _pickle.Tuple().Mark();
            foreach (int step in stride ?? RowMajor(shape)) _pickle.Integer(step);
            _pickle.Tuple()
                // Only a module's parameters learn; the settings are plain tensors that OutputArchive registers as parameters.
                .Boolean(role == Role.Parameter)
                .Global("collections", "OrderedDict").EmptyTuple().Reduce() // no backward hooks
                .Tuple().Reduce();
            // libtorch memoises a tensor that something else holds too: the module's tensors, not the settings made for the archive.
            if (role != Role.Setting) _pickle.Put();
        }

        private static int[] RowMajor(int[] shape)
        {
            var stride = new int[shape.Length];
            for (int d = shape.Length - 1, step = 1; d >= 0; step *= shape[d], d--) stride[d] = step;
            return stride;
        }

        private static (string, byte[], int) Floats(float[] values)
        {
            var bytes = new byte[values.Length * sizeof(float)];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            return ("FloatStorage", bytes, values.Length);
        }

        private static (string, byte[], int) Int64(long value)
        {
            var bytes = new byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            return ("LongStorage", bytes, 1);
        }

        /// <summary>
        /// The debug_pkl beside each class: a table of source ranges holding one empty range, since the
        /// classes have no Python source to point at; ("FORMAT_WITH_STRING_TABLE", ("",), ((0, ((intlist, 0, 0), 0, 0), 0),)).
        /// </summary>
        private static byte[] DebugInfo() => new TorchPickleWriter()
            .String("FORMAT_WITH_STRING_TABLE")
            .String("").Tuple1().Put()
            .Integer(0)
            .Global("torch.jit._pickle", "build_intlist").Mark().EmptyList().Mark().Appends().Tuple().Reduce()
            .Integer(0).Integer(0).Tuple3().Put()
            .Integer(0).Integer(0).Tuple3()
            .Integer(0).Tuple3()
            .Tuple1().Put()
            .Tuple3()
            .Finish();
    }
}
